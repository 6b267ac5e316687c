/** What `detectStack` found in a repository; every detected tool names the file that says so. */

export const packageManagers = ['npm', 'pnpm', 'yarn', 'bun'] as const;
export type PackageManager = (typeof packageManagers)[number];

/** The jobs a package.json script can do for Sluice. */
export type ScriptRole = 'build' | 'typecheck' | 'lint' | 'format' | 'test' | 'e2e';

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
  /** The lockfile's manager is not on PATH: gates run with npm instead, and init warns. */
  packageManagerMissing?: boolean;
  /** The script chosen for each role, by name. */
  scripts: Partial<Record<ScriptRole, PackageScript>>;
  /** Check scripts besides the chosen ones (`lint:css`, `check`, `ci`): gates only for tools no gate runs yet. */
  extraScripts?: PackageScript[];
  /** Every script of package.json, to follow `npm run x` and `run-s` inside a script. */
  scriptTable?: Record<string, string>;
  typescript?: { tsconfig: string; installed: boolean };
  testRunner?: DetectedTool<'vitest' | 'jest'>;
  /** The dependency that lets jest run TypeScript tests without a build (ts-jest, @swc/jest, ...). */
  jestTransform?: string;
  linter?: DetectedTool<'eslint' | 'biome'>;
}

export interface PythonStack {
  /** A tool that runs commands inside the project's environment (`uv run`), from its lockfile. */
  runPrefix?: DetectedTool<'uv run' | 'poetry run' | 'pdm run' | 'pipenv run'>;
  /** The runner a lockfile names (uv, poetry...) that is not on PATH: the tools come from elsewhere, with a warning. */
  missingRunner?: DetectedTool<string>;
  pytest?: DetectedTool<'pytest'>;
  ruff?: DetectedTool<'ruff'>;
  mypy?: MypyTool;
  /** A virtualenv folder at the top (`.venv/`, `venv/`) with a working `bin/python`. */
  virtualenv?: VirtualEnv;
  /**
   * The folder that holds the package when it is not the repository's (a src layout), and the pytest config
   * does not set `pythonpath`: the tests must import it from there, not from an installed copy.
   */
  srcLayout?: 'src';
}

export interface MypyTool extends DetectedTool<'mypy'> {
  /** The config lists the files to check (`files = ...`), so a bare `mypy` checks what the project chose. */
  configuresFiles?: boolean;
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
  /** A nextest profile in `.config/nextest.toml` that writes JUnit, and cargo-nextest on PATH: exact failures. */
  nextest?: { profile: string; reportPath: string; evidence: string };
}

/** A Deno project (deno.json): its own linter, formatter and test runner. */
export interface DenoStack {
  config: string;
  /** Whether `deno` is on PATH; without it every gate would fail with exit 127. */
  installed: boolean;
  /** The tasks of the config, name → command: the project's own commands, run in place of Sluice's picks. */
  tasks?: Record<string, string>;
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
  deno?: DenoStack;
  make?: MakeStack;
  findings: Finding[];
}
