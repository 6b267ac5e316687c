import { resolve } from 'node:path';
import { detectNode } from './detect-node.ts';
import { detectPython } from './detect-python.ts';
import {
  firstPresent,
  listRoot,
  type RootListing,
  readTextIfPresent,
  sectionNames,
  tomlString,
} from './project-files.ts';
import {
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

/** Finds the languages, tools and scripts of the repository at `dir` by reading its files (it never runs them). */
export async function detectStack(dir: string): Promise<StackDetection> {
  const absoluteDir = resolve(dir);
  const root = await listRoot(absoluteDir);
  const findings: Finding[] = [];
  const node = await detectNode(absoluteDir, root, findings);
  const python = await detectPython(absoluteDir, root, findings);
  const go = await detectGo(absoluteDir, root, findings);
  const rust = await detectRust(absoluteDir, root, findings);
  const make = await detectMake(absoluteDir, root, findings);
  return {
    dir: absoluteDir,
    unignoredDirs: root.unignoredDirs,
    ...(node ? { node } : {}),
    ...(python ? { python } : {}),
    ...(go ? { go } : {}),
    ...(rust ? { rust } : {}),
    ...(make ? { make } : {}),
    findings,
  };
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

async function detectRust(dir: string, root: RootListing, findings: Finding[]): Promise<RustStack | undefined> {
  const text = root.files.has('Cargo.toml') ? await readTextIfPresent(dir, 'Cargo.toml') : undefined;
  if (text === undefined) return undefined;
  const crate = tomlString(text, 'package', 'name');
  const workspace = sectionNames(text).includes('workspace');
  const description = [crate ? `Rust crate ${crate}` : 'Rust', workspace ? 'workspace' : ''].filter(Boolean).join(' ');
  findings.push({ file: 'Cargo.toml', says: description });
  return { ...(crate ? { crate } : {}), workspace };
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
