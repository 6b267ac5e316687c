import { testDataFolder } from '../tests/test-data-folders.ts';

/**
 * Files a change adds where the test runner looks for itself or its packages before anything else: inside a
 * dependency folder (`node_modules/vitest/...`, `.venv/lib/.../site-packages/pytest/...`), or a module at the top
 * of the repository named like the runner or a standard module it imports (`pytest.py`, `_pytest/`,
 * `unittest.py`): `python -m pytest` puts the current folder first on `sys.path`. Such a file can replace the
 * runner by one that passes without running a test, and a judge checkout holds what the commit holds.
 */

/** Folders of installed packages; the judge never takes them from the agent's change. */
const dependencyFolder = /^(?:(.*?\/)?(node_modules|\.venv|venv|__pypackages__|site-packages)\/)((?:@[^/]+\/)?[^/]+)/;

/**
 * Top-level module names that `python -m pytest` or `python -m unittest` import from the first folder on the
 * path: the runners and their own packages, and the standard modules they start with.
 */
const runnerModules = new Set([
  'pytest',
  '_pytest',
  'pluggy',
  'iniconfig',
  'py',
  'unittest',
  'doctest',
  'nose',
  'nose2',
  'xdist',
  'pytest_cov',
  'coverage',
  'hypothesis',
  'exceptiongroup',
  'tomli',
  'packaging',
  'colorama',
  'argparse',
  'ast',
  'atexit',
  'bdb',
  'codecs',
  'collections',
  'contextlib',
  'copy',
  'dataclasses',
  'difflib',
  'enum',
  'fnmatch',
  'functools',
  'gc',
  'glob',
  'importlib',
  'inspect',
  'io',
  'itertools',
  'json',
  'linecache',
  'logging',
  'os',
  'pathlib',
  'pdb',
  'platform',
  'pprint',
  're',
  'shlex',
  'shutil',
  'signal',
  'site',
  'stat',
  'string',
  'struct',
  'subprocess',
  'sys',
  'tempfile',
  'textwrap',
  'threading',
  'tokenize',
  'traceback',
  'types',
  'typing',
  'warnings',
  'weakref',
]);

/** What an added or changed file at `path` replaces, and the place to report it under; undefined for other files. */
export function shadowedBy(path: string): { place: string; reason: string } | undefined {
  const dependency = dependencyFolder.exec(path);
  // Packages inside test fixtures are the test's data (a resolver's or a bundler's), not what the runner loads.
  if (dependency && !testDataFolder.test(dependency[1] ?? '')) {
    const place = `${dependency[1] ?? ''}${dependency[2]}/${dependency[3]}`;
    return {
      place,
      reason:
        `\`${place}\` is a folder of installed packages: the runner and the code under test load from it, ` +
        'and a judge checkout holds what the commit holds. Dependencies come from setup, never from the change ' +
        '(an install of your own belongs in .gitignore)',
    };
  }
  const module = /^([A-Za-z_]\w*)(?:\.py|\/__init__\.py)$/.exec(path)?.[1];
  if (module !== undefined && runnerModules.has(module)) {
    return {
      place: path,
      reason:
        `\`${path}\` at the top of the repository replaces python's \`${module}\` for \`python -m pytest\` and ` +
        '`python -m unittest` run from there (the current folder comes first on the path)',
    };
  }
  return undefined;
}
