import { access, constants, readdir, readFile } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import ignore from 'ignore';
import { type ParseError, parse } from 'jsonc-parser';

/** The names at the top of a repository, split into files and directories. */
export interface RootListing {
  files: Set<string>;
  /** The directories the root .gitignore (or .git/info/exclude) does not ignore, sorted. */
  unignoredDirs: string[];
}

/** Lists the top level of `dir`: its files, and the folders git would not ignore. */
export async function listRoot(dir: string): Promise<RootListing> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = new Set<string>();
  const dirs: string[] = [];
  for (const entry of entries) {
    if (entry.isFile()) files.add(entry.name);
    else if (entry.isDirectory() && entry.name !== '.git') dirs.push(entry.name);
  }
  // The same rule files the cache reads when it hashes inputs (src/gates/cache/gitignore-filter.ts).
  const ruleFiles = ['.gitignore', join('.git', 'info', 'exclude')];
  const rules = await Promise.all(ruleFiles.map(async (name) => (await readTextIfPresent(dir, name)) ?? ''));
  const ignored = ignore().add(rules.join('\n'));
  const unignoredDirs = dirs.filter((name) => !ignored.ignores(`${name}/`)).sort();
  return { files, unignoredDirs };
}

/** Whether `path` (relative to `dir`) is a file that can be run; follows symlinks, so a broken one is not. */
export async function isExecutable(dir: string, path: string): Promise<boolean> {
  try {
    await access(join(dir, path), constants.X_OK);
    return true;
  } catch {
    return false;
  }
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

/** Whether `key` is set right inside `section` of a TOML or INI text (`files = [...]`, `files: src`). */
export function sectionHasKey(text: string, section: string, key: string): boolean {
  let current = '';
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(line);
    if (header?.[1]) {
      current = header[1];
      continue;
    }
    if (current === section && /^\s*([A-Za-z0-9_-]+)\s*[=:]/.exec(line)?.[1] === key) return true;
  }
  return false;
}

/** A JSON file that may hold comments and trailing commas (`deno.jsonc`, `tsconfig.json`); undefined when it is not JSON. */
export function parseJsonc(text: string): unknown {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  return errors.length === 0 ? value : undefined;
}

/** Whether a dependency list (pyproject, requirements, Pipfile) names the package `name`. */
export function mentionsPackage(text: string, name: string): boolean {
  // The name must stand alone: `mypy` but not `mypy-extensions`, `pytest` but not `[tool.pytest...]`.
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|["'\\s])${escaped}\\s*(\\[[^\\]]*\\])?\\s*([=<>!~;,"']|$)`, 'mi').test(text);
}

/**
 * Which of `programs` can be started from `searchPath` (a PATH value): init reads the lockfile for the package
 * manager, but gates that call a manager that is not installed all fail with exit 127.
 */
export async function programsOnPath(programs: readonly string[], searchPath: string): Promise<Set<string>> {
  const dirs = searchPath.split(delimiter).filter((dir) => dir !== '' && isAbsolute(dir));
  const found = new Set<string>();
  for (const program of programs) {
    for (const dir of dirs) {
      if (await isExecutable(dir, program)) {
        found.add(program);
        break;
      }
    }
  }
  return found;
}
