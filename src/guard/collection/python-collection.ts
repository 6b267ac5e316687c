import { isPythonTestFile } from '../python/test-files.ts';
import { commandArgs } from '../runner-config/command-args.ts';
import { conftestSettings } from '../runner-config/conftest-ignores.ts';
import { pytestSettings } from '../runner-config/pytest-config.ts';
import type { RunnerSetting } from '../runner-config/runner-setting.ts';
import { type Collection, collectedUnknown, collectedYes, notCollected } from './collection.ts';
import { type ConfigSide, configRoot, foldersAbove } from './config-side.ts';
import { fnmatch } from './fnmatch.ts';
import { remembered } from './memo.ts';

const iniFiles = ['pytest.ini', '.pytest.ini', 'pyproject.toml', 'tox.ini', 'setup.cfg'];
const defaultPythonFiles = ['test_*.py', '*_test.py'];
const defaultNorecursedirs = ['*.egg', '.*', '_darcs', 'build', 'CVS', 'dist', 'node_modules', 'venv', '{arch}'];

/** The pytest configuration that governs a file: the nearest ini file above it that holds a pytest section. */
interface PytestConfig {
  /** The folder of the ini file: testpaths, --ignore and the rest are relative to it. */
  root: string;
  file: string;
  settings: RunnerSetting[];
}

/**
 * Whether pytest (or, without a pytest configuration, unittest's discovery) collects the Python test file at
 * `path`, by the configuration on that side: `python_files`, `testpaths`, `norecursedirs`, `--ignore` in
 * `addopts`, and `collect_ignore` in the conftest.py files on the way.
 */
export function pythonCollection(path: string, side: ConfigSide, baseSide: ConfigSide): Collection {
  // Doctests in a module are collected by `--doctest-modules` and its own globs: not read here.
  if (!isPythonTestFile(path)) return collectedUnknown;
  const config = pytestConfigOf(path, side, baseSide);
  if (config === 'unreadable') return collectedUnknown;
  const root = config?.root ?? '';
  const inRoot = path.slice(root.length);
  const where = config ? `\`${config.file}\`` : "pytest's defaults";
  const values = (name: string) => {
    const setting = config?.settings.find((entry) => entry.name === name);
    return setting && setting.kind !== 'command' && setting.kind !== 'toggle' ? setting.values : undefined;
  };
  const name = path.slice(path.lastIndexOf('/') + 1);
  const pythonFiles = values('python_files');
  if (pythonFiles) {
    if (!pythonFiles.some((pattern) => fnmatch(pattern.includes('/') ? inRoot : name, pattern))) {
      return notCollected(
        'pytest',
        `\`${name}\` matches none of \`python_files\` in ${where} (${pythonFiles.join(' ')})`,
      );
    }
  } else if (
    !defaultPythonFiles.some((pattern) => fnmatch(name, pattern)) &&
    !(config === undefined && name.startsWith('test'))
  ) {
    // Without a pytest configuration, unittest's discovery (`test*.py`) may be the runner.
    return notCollected(
      'pytest',
      `\`${name}\` matches neither \`test_*.py\` nor \`*_test.py\`, the files pytest collects by default`,
    );
  }
  const folders = inRoot.split('/').slice(0, -1);
  const norecursedirs = values('norecursedirs') ?? defaultNorecursedirs;
  const skipped = folders.find((folder) => norecursedirs.some((pattern) => fnmatch(folder, pattern)));
  if (skipped !== undefined) {
    return notCollected('pytest', `pytest does not enter \`${skipped}/\` (\`norecursedirs\` of ${where})`);
  }
  const addopts = config?.settings.find((entry) => entry.name === 'addopts');
  const optionArgs = (addopts?.kind === 'command' ? addopts.commands : []).map((command) => commandArgs(command.words));
  for (const args of optionArgs) {
    const ignored = ignoredByOptions(args.options, inRoot);
    if (ignored) return notCollected('pytest', `\`${ignored}\` in \`addopts\` of ${where} leaves it out`);
  }
  // Paths named in addopts are collected instead of testpaths; a word there may also be the value of an option
  // this reader does not know (`--durations 5`), so then testpaths says nothing.
  const named = optionArgs.some((args) => args.positionals.length > 0);
  const testpaths = values('testpaths');
  if (!named && testpaths && testpaths.length > 0 && !testpaths.some((entry) => isUnder(inRoot, entry))) {
    return notCollected('pytest', `it is outside \`testpaths\` of ${where} (${testpaths.join(' ')})`);
  }
  for (const folder of foldersAbove(path)) {
    if (!folder.startsWith(root) && folder !== '') continue;
    const conftest = side(`${folder}conftest.py`);
    if (conftest === undefined) continue;
    const ignores = conftestIgnores(conftest).flatMap((setting) => (setting.kind === 'excludes' ? setting.values : []));
    const below = path.slice(folder.length);
    const ignore = ignores.find((entry) => isUnder(below, entry));
    if (ignore !== undefined)
      return notCollected('pytest', `\`collect_ignore\` in \`${folder}conftest.py\` names \`${ignore}\``);
  }
  return collectedYes;
}

/** The nearest ini file above `path` with a pytest section; undefined when none; 'unreadable' when one does not parse. */
function pytestConfigOf(path: string, side: ConfigSide, baseSide: ConfigSide): PytestConfig | undefined | 'unreadable' {
  const root = configRoot(path, side, baseSide, (folder, on) => pytestIniOf(folder, on) !== undefined);
  const name = root === undefined ? undefined : pytestIniOf(root, side);
  const source = name === undefined ? undefined : side(`${root}${name}`);
  if (root === undefined || name === undefined || source === undefined) return undefined;
  const settings = iniSettings(`${name === '.pytest.ini' ? 'pytest.ini' : name}\0${source}`);
  return settings ? { root, file: `${root}${name}`, settings } : 'unreadable';
}

/** The name of the file in `folder` that holds a pytest section, as pytest looks for them. */
function pytestIniOf(folder: string, side: ConfigSide): string | undefined {
  return iniFiles.find((name) => {
    const source = side(`${folder}${name}`);
    return source !== undefined && hasPytestSection(name, source);
  });
}

const iniSettings = remembered((key): RunnerSetting[] | undefined => {
  try {
    return pytestSettings(key.slice(0, key.indexOf('\0')), key.slice(key.indexOf('\0') + 1));
  } catch {
    return undefined;
  }
});

const conftestIgnores = remembered(conftestSettings);

function hasPytestSection(name: string, source: string): boolean {
  if (name === 'pytest.ini' || name === '.pytest.ini') return true;
  if (name === 'pyproject.toml') return /^\s*\[\s*tool\.pytest(?:\.ini_options)?\s*\]/m.test(source);
  if (name === 'tox.ini') return /^\s*\[pytest\]/m.test(source);
  return /^\s*\[tool:pytest\]/m.test(source);
}

/** `--ignore=<path>` / `--ignore-glob=<glob>` among pytest's options that leaves out `inRoot`. */
function ignoredByOptions(options: ReadonlyMap<string, string[]>, inRoot: string): string | undefined {
  for (const [option, values] of options) {
    if (option !== '--ignore' && option !== '--ignore-glob') continue;
    for (const value of values) if (isUnder(inRoot, value)) return `${option}=${value}`;
  }
  return undefined;
}

/** Whether `path` is `entry` (a file, a folder or a glob, relative to the same folder) or below it. */
function isUnder(path: string, entry: string): boolean {
  const clean = entry.replace(/^\.\//, '').replace(/\/+$/, '');
  if (clean === '' || clean === '.') return true;
  if (/[*?[]/.test(clean)) {
    const parts = path.split('/');
    return parts.some((_, index) => fnmatch(parts.slice(0, index + 1).join('/'), clean));
  }
  return path === clean || path.startsWith(`${clean}/`);
}
