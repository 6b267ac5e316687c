import { type FileLoads, folderOf, type LoadPoint, type NamedFile, namedScript } from './load-point.ts';
import { hasNodePreload, isLoaderVariable } from './loader-variables.ts';
import type { ConfigOptions, OptionEntry } from './option-entries.ts';

/**
 * How a runner option loads code: `files` names modules run before the tests (their changes count too),
 * `reporters` name built-in reporters or modules (only modules count: a reporter can end the run early),
 * `redirects` points imports elsewhere (aliases, mappers, conditions), `arguments` are node options.
 */
type OptionKind = 'files' | 'reporters' | 'redirects' | 'arguments' | 'environment';

/** A test runner and the options of its config that load code besides the tests. */
export interface JsRunner {
  name: string;
  options: Record<string, OptionKind>;
}

export const jest: JsRunner = {
  name: 'jest',
  options: {
    setupFiles: 'files',
    setupFilesAfterEnv: 'files',
    globalSetup: 'files',
    globalTeardown: 'files',
    testEnvironment: 'files',
    testRunner: 'files',
    runner: 'files',
    resolver: 'files',
    transform: 'files',
    preset: 'files',
    snapshotResolver: 'files',
    testResultsProcessor: 'files',
    testSequencer: 'files',
    reporters: 'reporters',
    moduleNameMapper: 'redirects',
    modulePaths: 'redirects',
    moduleDirectories: 'redirects',
  },
};

export const vitest: JsRunner = {
  name: 'vitest',
  options: {
    setupFiles: 'files',
    globalSetup: 'files',
    environment: 'files',
    environmentMatchGlobs: 'files',
    runner: 'files',
    sequencer: 'files',
    reporters: 'reporters',
    plugins: 'files',
    alias: 'redirects',
    conditions: 'redirects',
    moduleDirectories: 'redirects',
  },
};

export const playwright: JsRunner = {
  name: 'playwright',
  options: { globalSetup: 'files', globalTeardown: 'files' },
};

export const mocha: JsRunner = {
  name: 'mocha',
  options: {
    require: 'files',
    file: 'files',
    loader: 'files',
    ui: 'files',
    reporter: 'reporters',
    'node-option': 'arguments',
    'node-options': 'arguments',
  },
};

export const ava: JsRunner = {
  name: 'ava',
  options: { require: 'files', nodeArguments: 'arguments', environmentVariables: 'environment' },
};

export const nyc: JsRunner = { name: 'nyc', options: { require: 'files' } };

export const jasmine: JsRunner = { name: 'jasmine', options: { helpers: 'files', requires: 'files' } };

/** node's subpath imports (`"imports": {"#db": "./src/db.js"}`) in package.json. */
export const nodeImports: JsRunner = { name: 'node', options: { imports: 'redirects' } };

/**
 * The loads of a config of `runner` at `path`: each value of an option that loads code, and the files those
 * options and the config's own imports name. `scope` keeps only the options under one key (package.json's
 * `jest`); without one an option counts at any depth (vitest's `test`, inline projects, a `const`).
 */
export function runnerOptionLoads(path: string, config: ConfigOptions, runner: JsRunner, scope?: string): FileLoads {
  const dir = folderOf(path);
  const points: LoadPoint[] = [];
  const named: NamedFile[] = [];
  for (const entry of config.entries) {
    if (scope !== undefined && entry.keys[0] !== scope) continue;
    const keys = scope === undefined ? entry.keys : entry.keys.slice(1);
    const index = keys.findIndex((key) => key in runner.options);
    const option = keys[index];
    if (option === undefined) continue;
    const kind = runner.options[option];
    const setting = [scope, ...keys.slice(0, index + 1)].filter(Boolean).join('.');
    const under = keys.slice(index + 1).join('.');
    for (const value of valuesOf(entry, kind, under)) {
      points.push({ setting, value, line: entry.line, runner: runner.name });
      if (kind !== 'files' && kind !== 'reporters') continue;
      // `resolve(__dirname, 'setup.ts')`, `new URL('./setup.ts', import.meta.url)`: the strings inside name it.
      for (const name of [value, ...[...value.matchAll(/'([^']+)'/g)].map((match) => match[1] ?? '')]) {
        const file = namedScript(dir, name, `${path}:${entry.line} ${setting}`, runner.name);
        if (file) named.push(file);
      }
    }
  }
  for (const specifier of config.imports) {
    const file = namedScript(dir, specifier, `${path}, which imports it`, runner.name);
    if (file) named.push(file);
  }
  return { points, named };
}

function valuesOf(entry: OptionEntry, kind: OptionKind | undefined, under: string): string[] {
  const values = under === '' ? entry.values : entry.values.map((value) => `${under} → ${value}`);
  // node options only count when they load a module; `--max-old-space-size` does not.
  if (kind === 'arguments')
    return values.filter((value) => hasNodePreload(value.startsWith('-') ? value : `--${value}`));
  if (kind === 'reporters') return values.filter(isModulePath);
  if (kind === 'environment')
    return entry.values.filter((value) => isLoaderVariable(under, value)).map((value) => `${under}=${value}`);
  return values;
}

/** A reporter given as a file (`./reporter.js`) rather than by a built-in name (`default`, `dot`). */
export function isModulePath(value: string): boolean {
  return /^\.{0,2}\/|\.[cm]?[jt]s\b|<rootDir>/.test(value);
}
