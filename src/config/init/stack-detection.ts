/** What `detectStack` found in a repository; every detected tool names the file that says so. */

export const packageManagers = ['npm', 'pnpm', 'yarn', 'bun'] as const;
export type PackageManager = (typeof packageManagers)[number];

/** The jobs a package.json script can do for Sluice. */
export type ScriptRole = 'build' | 'typecheck' | 'lint' | 'test' | 'e2e';

/** The Makefile targets Sluice turns into gates. */
export const makeTargets = ['build', 'lint', 'test', 'check'] as const;
export type MakeTarget = (typeof makeTargets)[number];

/** A fact and the file it comes from: `package.json` `script test` says `vitest run`. */
export interface Finding {
  file: string;
  /** The part of the file, when it matters: `script test`, `[tool.ruff]`. */
  subject?: string;
  says: string;
}

/** A tool and the file that shows the project uses it. */
export interface DetectedTool<Name extends string> {
  name: Name;
  evidence: string;
}

export interface PackageScript {
  name: string;
  command: string;
}

export interface NodeStack {
  packageManager: PackageManager;
  /** The lockfile or package.json field that names the manager; absent when npm is assumed. */
  packageManagerEvidence?: string;
  scripts: Partial<Record<ScriptRole, PackageScript>>;
  typescript?: { tsconfig: string; installed: boolean };
  testRunner?: DetectedTool<'vitest' | 'jest'>;
  /** The dependency that lets jest run TypeScript tests without a build (ts-jest, @swc/jest, ...). */
  jestTransform?: string;
  linter?: DetectedTool<'eslint' | 'biome'>;
}

export interface PythonStack {
  /** A tool that runs commands inside the project's environment (`uv run`), from its lockfile. */
  runPrefix?: DetectedTool<'uv run' | 'poetry run' | 'pdm run' | 'pipenv run'>;
  pytest?: DetectedTool<'pytest'>;
  ruff?: DetectedTool<'ruff'>;
  mypy?: DetectedTool<'mypy'>;
  /** A virtualenv folder at the top (`.venv/`, `venv/`) with a working `bin/python`. */
  virtualenv?: VirtualEnv;
}

export interface VirtualEnv {
  dir: string;
  /** Whether ruff is installed in it (`<dir>/bin/ruff`). */
  hasRuff: boolean;
}

export interface GoStack {
  module: string;
  linter?: DetectedTool<'golangci-lint'>;
}

export interface RustStack {
  /** The package name, or undefined for a virtual workspace. */
  crate?: string;
  workspace: boolean;
}

export interface MakeStack {
  file: string;
  targets: MakeTarget[];
}

export interface StackDetection {
  dir: string;
  /** Top-level folders the root .gitignore does not ignore (`.git/` left out): they may hold sources. */
  unignoredDirs: string[];
  node?: NodeStack;
  python?: PythonStack;
  go?: GoStack;
  rust?: RustStack;
  make?: MakeStack;
  findings: Finding[];
}
