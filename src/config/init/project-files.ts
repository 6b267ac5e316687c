import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Top-level directories that hold generated or installed files, never sources. */
const generatedDirs = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', 'target', '__pycache__', 'venv']);

/** The names at the top of a repository, split into files and directories. */
export interface RootListing {
  files: Set<string>;
  dirs: string[];
}

/** Lists the top level of `dir`; generated and hidden directories are left out of `dirs`. */
export async function listRoot(dir: string): Promise<RootListing> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = new Set<string>();
  const dirs: string[] = [];
  for (const entry of entries) {
    if (entry.isFile()) files.add(entry.name);
    else if (entry.isDirectory() && !entry.name.startsWith('.') && !generatedDirs.has(entry.name))
      dirs.push(entry.name);
  }
  return { files, dirs: dirs.sort() };
}

/** Reads a text file, or returns undefined when it does not exist or cannot be read. */
export async function readTextIfPresent(dir: string, name: string): Promise<string | undefined> {
  try {
    return await readFile(join(dir, name), 'utf8');
  } catch {
    return undefined;
  }
}

/** The first of `names` present in the listing. */
export function firstPresent(root: RootListing, names: readonly string[]): string | undefined {
  return names.find((name) => root.files.has(name));
}

/** Section headers of a TOML or INI text, without brackets: `tool.ruff`, `tool:pytest`, `mypy`. */
export function sectionNames(text: string): string[] {
  const sections: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(line);
    if (header?.[1]) sections.push(header[1]);
  }
  return sections;
}

/** The first section named `name` or nested under it (`tool.ruff` matches `tool.ruff.lint`). */
export function findSection(sections: readonly string[], name: string): string | undefined {
  return sections.find((section) => section === name || section.startsWith(`${name}.`));
}

/** A quoted string value `key = "value"` inside section `section` of a TOML text. */
export function tomlString(text: string, section: string, key: string): string | undefined {
  let current = '';
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[\s*([^\]]+?)\s*\]/.exec(line);
    if (header?.[1]) {
      current = header[1];
      continue;
    }
    const pair = /^\s*([A-Za-z0-9_-]+)\s*=\s*["']([^"']*)["']/.exec(line);
    if (current === section && pair?.[1] === key) return pair[2];
  }
  return undefined;
}

/** Whether a dependency list (pyproject, requirements, Pipfile) names the package `name`. */
export function mentionsPackage(text: string, name: string): boolean {
  // The name must stand alone: `mypy` but not `mypy-extensions`, `pytest` but not `[tool.pytest...]`.
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|["'\\s])${escaped}\\s*(\\[[^\\]]*\\])?\\s*([=<>!~;,"']|$)`, 'mi').test(text);
}
