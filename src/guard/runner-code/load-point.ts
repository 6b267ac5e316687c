/** A place in a file where a change can make a test runner load code before the tests. */
export interface LoadPoint {
  /** Where, as the file names it: `node-options`, `scripts.test`, `test.setupFiles`, `NODE_OPTIONS`. */
  setting: string;
  /** What it loads, normalized so that reformatting and comments do not change it. */
  value: string;
  /** 1-based line of the setting in its file. */
  line: number;
  /** Who loads it: `npm`, `vitest`, `node`, `pytest`, `the shell`. */
  runner: string;
}

/** A file that a configuration names as code the runner loads before the tests: a setup file, a plugin. */
export interface NamedFile {
  /** Whether the repository path `path` is the file the name points at (`./test/setup` names `test/setup.ts`). */
  matches(path: string): boolean;
  /** `vitest.config.ts:7 test.setupFiles`. */
  by: string;
  runner: string;
}

/** What one file makes the runner load: its settings, and the files it names. */
export interface FileLoads {
  points: LoadPoint[];
  named: NamedFile[];
}

export const noLoads: FileLoads = { points: [], named: [] };

const scriptExtensions = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.jsx', '.tsx', '.json'];

/** Drop `./` and resolve `..` in a repository path; undefined when it leaves the repository. */
export function normalizePath(path: string): string | undefined {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/**
 * The file a JS runner option names, relative to the folder `dir` of its config: `./setup`, `setup.ts`,
 * `<rootDir>/jest/setup.js`. Package names (`ts-node/register`, `@scope/x`) name nothing in the repository;
 * they resolve into node_modules, which the guard does not judge.
 */
export function namedScript(dir: string, name: string, by: string, runner: string): NamedFile | undefined {
  const local = name.replace(/^<rootDir>\/?/, './');
  if (local.startsWith('/') || local.startsWith('@') || /^[a-z]+:/i.test(local)) return undefined;
  if (!local.startsWith('.') && !/\.[cm]?[jt]sx?$/.test(local)) return undefined;
  const target = normalizePath(`${dir}/${local}`);
  if (!target) return undefined;
  return {
    by,
    runner,
    matches: (path) =>
      path === target ||
      scriptExtensions.some((extension) => path === `${target}${extension}` || path === `${target}/index${extension}`),
  };
}

/** The file of a Python module name (`tests.plugins.db`) wherever the path puts it: `tests/plugins/db.py`. */
export function namedPythonModule(name: string, by: string, runner: string): NamedFile | undefined {
  if (!/^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*$/.test(name)) return undefined;
  const base = name.replaceAll('.', '/');
  const files = [`${base}.py`, `${base}/__init__.py`];
  return { by, runner, matches: (path) => files.some((file) => path === file || path.endsWith(`/${file}`)) };
}

/** The folder of a repository path, `.` at the top. */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '.' : path.slice(0, slash);
}
