import type { TomlTable } from 'smol-toml';
import { isTable, lineOfKey, parseToml, tableAt, tomlText } from '../runner-config/toml-document.ts';
import { dotenvLoads, isDotenvFile, isShellFile, npmrcLoads, shellFileLoads } from './env-files.ts';
import {
  ava,
  type JsRunner,
  jasmine,
  jest,
  mocha,
  nyc,
  playwright,
  runnerOptionLoads,
  vitest,
} from './js-runner-loads.ts';
import { type FileLoads, folderOf, type LoadPoint, namedScript, noLoads } from './load-point.ts';
import { makefileLoads } from './makefile-loads.ts';
import { scriptOptions, yamlOptions } from './option-entries.ts';
import { packageJsonLoads } from './package-json-loads.ts';
import { noxfileLoads, pytestPluginsLoads, pythonConfigLoads } from './python-loads.ts';

/** A kind of file that can make a test runner load code: what it loads, by its name. */
interface LoadFile {
  matches(fileName: string, path: string): boolean;
  loads(path: string, fileName: string, source: string): FileLoads;
}

const script = String.raw`\.(?:[cm]?[jt]s|json)$`;
const configOf = (name: string) => new RegExp(`^(?:${name})(?:\\.[\\w-]+)*\\.config(?:\\.[\\w-]+)*${script}`);
const jestConfig = configOf('jest');
const vitestConfig = configOf('vitest|vite');
const vitestWorkspace = new RegExp(`^vitest\\.(?:workspace|projects)${script}`);
const playwrightConfig = configOf('playwright');
const yaml = /\.ya?ml$/;

const yarn: JsRunner = {
  name: 'yarn',
  options: { yarnPath: 'files', plugins: 'files', injectEnvironmentFiles: 'files' },
};

/** A JS runner's config file: JS/TS/JSON by the syntax tree, YAML by its document. */
function runnerConfig(matches: (fileName: string) => boolean, runner: JsRunner): LoadFile {
  return {
    matches,
    loads: (path, fileName, source) =>
      runnerOptionLoads(
        path,
        yaml.test(fileName) ? { entries: yamlOptions(source), imports: [] } : scriptOptions(path, source),
        runner,
      ),
  };
}

const loadFiles: readonly LoadFile[] = [
  { matches: (name) => name === '.npmrc', loads: (path, _, source) => npmrcLoads(path, source) },
  { matches: isDotenvFile, loads: (path, _, source) => dotenvLoads(path, source) },
  { matches: isShellFile, loads: (path, _, source) => shellFileLoads(path, source) },
  { matches: (name) => name === 'package.json', loads: (path, _, source) => packageJsonLoads(path, source) },
  runnerConfig((name) => jestConfig.test(name), jest),
  runnerConfig((name) => vitestConfig.test(name) || vitestWorkspace.test(name), vitest),
  runnerConfig((name) => playwrightConfig.test(name), playwright),
  runnerConfig((name) => /^\.mocharc(?:\.(?:[cm]?js|jsonc?|ya?ml))?$/.test(name), mocha),
  runnerConfig((name) => /^ava\.config\.[cm]?js$/.test(name), ava),
  runnerConfig((name) => /^(?:\.nycrc(?:\.(?:json|ya?ml))?|nyc\.config\.[cm]?js)$/.test(name), nyc),
  runnerConfig((name) => name === 'jasmine.json', jasmine),
  runnerConfig((name) => name === '.yarnrc.yml', yarn),
  { matches: (name) => name === 'bunfig.toml', loads: bunfigLoads },
  { matches: (_, path) => /(?:^|\/)\.cargo\/config(?:\.toml)?$/.test(path), loads: cargoConfigLoads },
  {
    matches: (name) => ['Makefile', 'makefile', 'GNUmakefile'].includes(name) || name.endsWith('.mk'),
    loads: (path, _, source) => makefileLoads(path, source),
  },
  {
    matches: (name) => ['pytest.ini', 'tox.ini', 'setup.cfg', 'pyproject.toml'].includes(name),
    loads: pythonConfigLoads,
  },
  { matches: (name) => name.endsWith('.py'), loads: (path, _, source) => pytestPluginsLoads(path, source) },
  { matches: (name) => name === 'noxfile.py', loads: (_, __, source) => noxfileLoads(source) },
];

/** A superset of the names of `loadFiles`, tested in one go. */
const configLike =
  /(?:^|\/)(?:\.[^/]*|[^/]*\.(?:env|sh|bash|zsh|ksh|mk)|[^/]*(?:config|workspace|projects)[^/]*\.(?:[cm]?[jt]s|json)|package\.json|jasmine\.json|bunfig\.toml|pyproject\.toml|pytest\.ini|tox\.ini|setup\.cfg|[Mm]akefile|GNUmakefile|conftest\.py)$/;

export function fileNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Whether `path` is a file that can make a test runner load code (a runner config, an env file, a script). */
export function isLoadFile(path: string): boolean {
  const fileName = fileNameOf(path);
  return loadFiles.some((file) => file.matches(fileName, path));
}

/**
 * Whether `path` is a config that may name a setup file, so that its content at the base is needed to tell
 * whether a changed file is one. Python modules other than conftest.py are left out: reading every one costs
 * too much for the rare `pytest_plugins` in a test module.
 */
export function mayNameSetupFiles(path: string): boolean {
  // Called for every file of the base tree: one regular expression turns most away before the exact test.
  if (!configLike.test(path)) return false;
  const fileName = fileNameOf(path);
  if (fileName.endsWith('.py')) return fileName === 'conftest.py';
  return isLoadFile(path);
}

/** What the file at `path` with content `source` makes a runner load; nothing for an absent file. */
export function loadsOf(path: string, source: string | undefined): FileLoads {
  if (source === undefined) return noLoads;
  const fileName = fileNameOf(path);
  const found = loadFiles
    .filter((file) => file.matches(fileName, path))
    .map((file) => file.loads(path, fileName, source));
  return { points: found.flatMap((load) => load.points), named: found.flatMap((load) => load.named) };
}

/** bun's `preload` (top level and under `[test]`): modules bun runs before the tests. */
function bunfigLoads(path: string, _: string, source: string): FileLoads {
  const document = parseToml(source);
  const lines = source.split(/\r?\n/);
  const line = Math.max(1, lines.findIndex((text) => /^\s*preload\s*=/.test(text)) + 1);
  const points: LoadPoint[] = [];
  for (const [table, setting] of [
    [document, 'preload'],
    [tableAt(document, 'test'), 'test.preload'],
  ] as const) {
    const value = table?.preload;
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      points.push({ setting, value: tomlText(item), line, runner: 'bun' });
    }
  }
  const named = points.flatMap((point) => {
    const file = namedScript(folderOf(path), point.value, `${path}:${point.line} ${point.setting}`, 'bun');
    return file ? [file] : [];
  });
  return { points, named };
}

/** Cargo settings that wrap or change how test binaries are built and run. */
const cargoLoaders = new Set([
  'runner',
  'rustc-wrapper',
  'rustc-workspace-wrapper',
  'rustc',
  'rustflags',
  'rustdocflags',
]);

/**
 * `.cargo/config.toml`: a target `runner` (cargo runs every test binary through it), compiler wrappers and
 * flags, and its `[env]` table.
 */
function cargoConfigLoads(_: string, __: string, source: string): FileLoads {
  const points: LoadPoint[] = [];
  const walk = (table: TomlTable, keys: string[]) => {
    for (const [key, value] of Object.entries(table)) {
      if (cargoLoaders.has(key) || (keys.length === 1 && keys[0] === 'env')) {
        const setting = [...keys, key].join('.');
        points.push({ setting, value: tomlText(value), line: lineOfKey(source, key), runner: 'cargo' });
      } else if (isTable(value)) walk(value, [...keys, key]);
    }
  };
  walk(parseToml(source) ?? {}, []);
  return { points, named: [] };
}
