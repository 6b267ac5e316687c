import { Lang, parse, type SgNode } from '@ast-grep/napi';
import { languageOf } from '../js/test-files.ts';
import { type RunnerSetting, SettingKinds } from './runner-setting.ts';

/** A `key: value` of an object literal in a JS, TS or JSON config, with the keys of the objects around it. */
export interface ConfigEntry {
  /** Keys from the outermost object in: `['test', 'exclude']`; `[]` for an array outside any object. */
  keys: string[];
  /** A string, number or boolean as one value; an array as its elements (nested objects left out). */
  values: string[];
  line: number;
  /** Every value is written out (strings, numbers, booleans): no variable, call, spread or condition to evaluate. */
  literal: boolean;
}

type SettingOf = (name: string, entry: ConfigEntry) => RunnerSetting;

const list =
  (kind: 'selects' | 'excludes' | 'filter'): SettingOf =>
  (name, { values, line }) => ({ kind, name, values, line, hasDefault: true });
const enabling: SettingOf = (name, { values, line }) => ({
  kind: SettingKinds.toggle,
  name,
  line,
  value: values[0] ?? 'true',
  unset: 'false',
  weak: 'true',
});

/** jest's `testFailureExitCode: 0`: a run with failing tests exits as a passing one. */
const failureExitCode: SettingOf = (name, { values, line }) => ({
  kind: SettingKinds.toggle,
  name,
  line,
  value: values[0] ?? '1',
  unset: '1',
  weak: '0',
});

/** The jest and vitest options that choose which tests run, or let a run with none (or a failing one) pass. */
const runnerOptions: Record<string, SettingOf> = {
  include: list('selects'),
  testMatch: list('selects'),
  testRegex: list('selects'),
  roots: list('selects'),
  projects: list('selects'),
  dir: list('selects'),
  exclude: list('excludes'),
  testPathIgnorePatterns: list('excludes'),
  modulePathIgnorePatterns: list('excludes'),
  testNamePattern: list('filter'),
  passWithNoTests: enabling,
  allowOnly: enabling,
  // vitest: errors thrown outside a test (an unawaited assertion's) no longer fail the run.
  dangerouslyIgnoreUnhandledErrors: enabling,
  testFailureExitCode: failureExitCode,
};

/**
 * Playwright's options that choose which tests run (at the top of its config or in a project): `testDir`,
 * `testMatch`, `testIgnore`, and the title filters `grep`/`grepInvert`.
 */
const playwrightOptions: Record<string, SettingOf> = {
  testDir: list('selects'),
  // Its default is one fixed glob: a `testMatch` set anew without it narrows for certain.
  testMatch: (name, { values, line }) => ({
    kind: 'selects',
    name,
    values,
    line,
    hasDefault: true,
    defaults: ['**/*.@(spec|test).?(c|m)[jt]s?(x)'],
  }),
  testIgnore: list('excludes'),
  grep: list('filter'),
  grepInvert: list('excludes'),
};

/** The settings of a `playwright.config.*` that choose its tests, top level and per project. */
export function playwrightSettings(entries: readonly ConfigEntry[]): RunnerSetting[] {
  return entries.flatMap((entry) => {
    const option = entry.keys.at(-1);
    const settingOf = option === undefined ? undefined : playwrightOptions[option];
    if (!settingOf || !entry.keys.slice(0, -1).every((key) => key === 'projects')) return [];
    return [settingOf(entry.keys.join('.'), entry)];
  });
}

/** Objects that hold runner options: vitest's `test`, and the projects of jest and vitest. */
const containers = new Set(['test', 'projects']);

/** Every `key: value` of the object literals in `source` (JS or TS by the path's extension; JSON read as JS). */
export function configEntries(path: string, source: string): ConfigEntry[] {
  const json = path.endsWith('.json');
  // JSON is a JS expression once parenthesized; the `(` goes on the first line so line numbers hold.
  const root = parse(json ? Lang.JavaScript : languageOf(path), json ? `(${source}\n)` : source).root();
  const entries: ConfigEntry[] = [];
  for (const pair of root.findAll({ rule: { kind: 'pair' } })) {
    const keys = keysTo(pair);
    const value = pair.field('value');
    if (keys && value) {
      entries.push({ keys, values: valuesOf(value), line: pair.range().start.line + 1, literal: isLiteral(value) });
    }
  }
  for (const array of root.findAll({ rule: { kind: 'array' } })) {
    if (array.ancestors().some((node) => node.kind() === 'pair' || node.kind() === 'array')) continue;
    entries.push({ keys: [], values: valuesOf(array), line: array.range().start.line + 1, literal: isLiteral(array) });
  }
  return entries;
}

/**
 * The runner settings among `entries`: jest's at the top (or under `jest` in package.json, `scope: 'jest'`),
 * vitest's under `test` (`scope: 'test'`); in either, also those of inline projects.
 */
export function runnerSettings(entries: readonly ConfigEntry[], scope: string | undefined): RunnerSetting[] {
  return entries.flatMap((entry) => {
    const keys = scope === undefined ? entry.keys : entry.keys[0] === scope ? entry.keys.slice(1) : undefined;
    const option = keys?.at(-1);
    const settingOf = option === undefined ? undefined : runnerOptions[option];
    if (!keys || !settingOf || !keys.slice(0, -1).every((key) => containers.has(key))) return [];
    return [settingOf(entry.keys.join('.'), entry)];
  });
}

/** The array a vitest workspace file exports (`export default ['packages/*', {...}]`), as `workspace`. */
export function workspaceSettings(entries: readonly ConfigEntry[]): RunnerSetting[] {
  return entries
    .filter((entry) => entry.keys.length === 0)
    .map((entry) => list('selects')('workspace', entry))
    .concat(runnerSettings(entries, 'test'));
}

/** The keys from the outermost enclosing pair to `pair`; undefined under a computed key. */
function keysTo(pair: SgNode): string[] | undefined {
  const keys: string[] = [];
  for (const node of [pair, ...pair.ancestors()]) {
    if (node.kind() !== 'pair') continue;
    const key = node.field('key');
    if (!key || key.kind() === 'computed_property_name') return undefined;
    keys.unshift(key.kind() === 'string' ? unquote(key.text()) : key.text());
  }
  return keys;
}

function valuesOf(node: SgNode): string[] {
  if (node.kind() !== 'array') return [scalarOf(node)];
  return node
    .children()
    .filter((child) => child.isNamed() && child.kind() !== 'comment' && child.kind() !== 'object')
    .map(scalarOf);
}

const literalKinds = new Set(['string', 'number', 'true', 'false', 'comment']);

/**
 * A string, number or boolean, or an array of them (a template string only without `${}`); a spread of vitest's
 * own defaults (`...configDefaults.exclude`) counts as written out: its values are known.
 */
function isLiteral(node: SgNode): boolean {
  const kind = String(node.kind());
  if (kind === 'template_string') return !node.text().includes('${');
  if (kind === 'spread_element')
    return /^\.\.\.\s*(?:configDefaults\.\w+|defaultExclude|defaultInclude)$/.test(node.text());
  if (kind !== 'array') return literalKinds.has(kind);
  return node.children().every((child) => !child.isNamed() || isLiteral(child));
}

/** A string's content; any other expression as written, spaces removed, so reformatting changes nothing. */
function scalarOf(node: SgNode): string {
  const kind = node.kind();
  if (kind === 'string' || kind === 'template_string') return unquote(node.text());
  return node.text().replace(/\s+/g, '');
}

function unquote(text: string): string {
  return text.slice(1, -1).replace(/\\(.)/g, '$1');
}
