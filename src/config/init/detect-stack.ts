import { resolve } from 'node:path';
import { detectNode } from './detect-node.ts';
import { detectPython } from './detect-python.ts';
import {
  firstPresent,
  listRoot,
  parseJsonc,
  programsOnPath,
  type RootListing,
  readTextIfPresent,
  sectionNames,
  tomlString,
} from './project-files.ts';
import {
  type DenoStack,
  type Finding,
  type GoStack,
  type MakeStack,
  type MakeTarget,
  makeTargets,
  type RustStack,
  type StackDetection,
} from './stack-detection.ts';

export type * from './stack-detection.ts';

const golangciConfigs = ['.golangci.yml', '.golangci.yaml', '.golangci.toml', '.golangci.json'];

export interface DetectOptions {
  /** The PATH searched for package managers (pnpm, yarn, bun); the process's own by default. */
  searchPath?: string;
}

/** Finds the languages, tools and scripts of the repository at `dir` by reading its files (it never runs them). */
export async function detectStack(dir: string, options: DetectOptions = {}): Promise<StackDetection> {
  const absoluteDir = resolve(dir);
  const root = await listRoot(absoluteDir);
  const findings: Finding[] = [];
  const installed = await programsOnPath(
    ['pnpm', 'yarn', 'bun', 'cargo-nextest', 'uv', 'poetry', 'pdm', 'pipenv', 'deno'],
    options.searchPath ?? process.env.PATH ?? '',
  );
  const node = await detectNode(absoluteDir, root, findings, (program) => installed.has(program));
  const python = await detectPython(absoluteDir, root, findings, (program) => installed.has(program));
  const go = await detectGo(absoluteDir, root, findings);
  const rust = await detectRust(absoluteDir, root, findings, installed.has('cargo-nextest'));
  const deno = await detectDeno(absoluteDir, root, findings, installed.has('deno'));
  const make = await detectMake(absoluteDir, root, findings);
  return {
    dir: absoluteDir,
    unignoredDirs: root.unignoredDirs,
    ...(node ? { node } : {}),
    ...(python ? { python } : {}),
    ...(go ? { go } : {}),
    ...(rust ? { rust } : {}),
    ...(deno ? { deno } : {}),
    ...(make ? { make } : {}),
    findings,
  };
}

/** Deno tasks Sluice runs as gates, when the config has them: `deno task test`, `deno task lint`. */
const denoGateTasks = ['lint', 'test'];

async function detectDeno(
  dir: string,
  root: RootListing,
  findings: Finding[],
  installed: boolean,
): Promise<DenoStack | undefined> {
  const config = firstPresent(root, ['deno.json', 'deno.jsonc']);
  if (!config) return undefined;
  findings.push({ file: config, says: installed ? 'Deno' : 'Deno, but deno is not on PATH' });
  const parsed = parseJsonc((await readTextIfPresent(dir, config)) ?? '');
  const declared = isRecord(parsed) && isRecord(parsed.tasks) ? parsed.tasks : {};
  const tasks: Record<string, string> = {};
  for (const name of denoGateTasks) {
    const task = declared[name];
    // A task is a command, or (Deno 2) an object with one and its dependencies, which `deno task` runs first.
    const command = typeof task === 'string' ? task : isRecord(task) ? task.command : undefined;
    if (typeof command !== 'string' || command.trim() === '') continue;
    tasks[name] = command;
    findings.push({ file: config, subject: `task ${name}`, says: command });
  }
  return { config, installed, ...(Object.keys(tasks).length > 0 ? { tasks } : {}) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function detectGo(dir: string, root: RootListing, findings: Finding[]): Promise<GoStack | undefined> {
  const text = root.files.has('go.mod') ? await readTextIfPresent(dir, 'go.mod') : undefined;
  if (text === undefined) return undefined;
  const module = /^\s*module\s+"?([^\s"]+)"?/m.exec(text)?.[1] ?? '(unnamed)';
  findings.push({ file: 'go.mod', says: `Go module ${module}` });
  const lintConfig = firstPresent(root, golangciConfigs);
  if (lintConfig) findings.push({ file: lintConfig, says: 'golangci-lint' });
  return {
    module,
    ...(lintConfig ? { linter: { name: 'golangci-lint', evidence: lintConfig } } : {}),
  };
}

async function detectRust(
  dir: string,
  root: RootListing,
  findings: Finding[],
  hasNextest: boolean,
): Promise<RustStack | undefined> {
  const text = root.files.has('Cargo.toml') ? await readTextIfPresent(dir, 'Cargo.toml') : undefined;
  if (text === undefined) return undefined;
  const crate = tomlString(text, 'package', 'name');
  const workspace = sectionNames(text).includes('workspace');
  const description = [crate ? `Rust crate ${crate}` : 'Rust', workspace ? 'workspace' : ''].filter(Boolean).join(' ');
  findings.push({ file: 'Cargo.toml', says: description });
  const nextest = await nextestJunit(dir, findings, hasNextest);
  return { ...(crate ? { crate } : {}), workspace, ...(nextest ? { nextest } : {}) };
}

const nextestConfig = '.config/nextest.toml';

/**
 * The nextest profile that writes a JUnit report (`[profile.ci.junit]` with `path`), when cargo-nextest is
 * installed. nextest writes it under `target/nextest/<profile>/`.
 */
async function nextestJunit(
  dir: string,
  findings: Finding[],
  hasNextest: boolean,
): Promise<RustStack['nextest'] | undefined> {
  const text = await readTextIfPresent(dir, nextestConfig);
  if (text === undefined) return undefined;
  const profile = sectionNames(text)
    .map((section) => /^profile\.([A-Za-z0-9_-]+)\.junit$/.exec(section)?.[1])
    .find((name) => name !== undefined && tomlString(text, `profile.${name}.junit`, 'path') !== undefined);
  if (!profile) return undefined;
  if (!hasNextest) {
    findings.push({
      file: nextestConfig,
      says: `nextest profile ${profile} writes JUnit, but cargo-nextest is not on PATH`,
    });
    return undefined;
  }
  const path = tomlString(text, `profile.${profile}.junit`, 'path') ?? 'junit.xml';
  findings.push({ file: nextestConfig, subject: `[profile.${profile}.junit]`, says: `nextest JUnit report ${path}` });
  return { profile, reportPath: `target/nextest/${profile}/${path}`, evidence: nextestConfig };
}

async function detectMake(dir: string, root: RootListing, findings: Finding[]): Promise<MakeStack | undefined> {
  const file = firstPresent(root, ['GNUmakefile', 'Makefile', 'makefile']);
  const text = file ? await readTextIfPresent(dir, file) : undefined;
  if (!file || text === undefined) return undefined;
  const defined = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    // A rule line `name other: deps`; `name := value` and `name ?= value` are variables, not targets.
    const rule = /^([A-Za-z0-9_.\- ]+?)\s*::?(?!=)/.exec(line);
    if (rule?.[1]) for (const target of rule[1].split(/\s+/)) defined.add(target);
  }
  const targets = makeTargets.filter((target): target is MakeTarget => defined.has(target));
  if (targets.length === 0) return undefined;
  findings.push({ file, says: `targets ${targets.join(', ')}` });
  return { file, targets };
}
