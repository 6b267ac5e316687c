import { Lang, parse, type SgNode } from '@ast-grep/napi';
import { languageOf } from '../js/test-files.ts';
import type { ListSetting } from './checker-setting.ts';

/** Where a config object of some checker names its files and holds its rules, as keys from the object. */
export interface ScopedRulesShape {
  /** Keys of the array of file patterns the object applies to: `files` (ESLint), `includes` (Biome). */
  files: readonly string[];
  /** Keys down to the object of rules: `rules`, or `linter`, `rules`. */
  rules: readonly string[];
  /** Group objects between the rules object and each rule (Biome's `suspicious`, `style`: 1). */
  groups: number;
  /** The name of a rule as the checker's other settings spell it: `rules.no-console`. */
  ruleName(keys: readonly string[]): string;
  /** The rank of a level as written (`off`: 0), or undefined when it is none; the lowest failing rank. */
  rankOf(value: string): number | undefined;
  failRank: number;
}

/**
 * For each config object that turns rules down for some files (an ESLint flat config object or legacy
 * `overrides` entry with `files` and `rules`, a Biome override with `includes` and `linter.rules`): its
 * file patterns, once per rule it turns down. A pattern added there puts more code under the weaker rule.
 * Only literal patterns and levels are read. A list the base did not have is not reported here: the rule's
 * own level reports the new object.
 */
export function filesWithLoweredRules(fileName: string, source: string, shape: ScopedRulesShape): ListSetting[] {
  const json = !/\.[cm]?[jt]sx?$/.test(fileName);
  const root = parse(json ? Lang.JavaScript : languageOf(fileName), json ? `(${source}\n)` : source).root();
  return root.findAll({ rule: { kind: 'object' } }).flatMap((object) => {
    const files = shape.files.map((key) => pairValue(object, [key])).find((node) => node?.kind() === 'array');
    const rules = pairValue(object, shape.rules);
    if (!files || rules?.kind() !== 'object') return [];
    const patterns = files
      .children()
      .filter((child) => child.kind() === 'string')
      .map((child) => unquote(child.text()));
    return levelsUnder(rules, shape.groups, []).flatMap(({ keys, value }): ListSetting[] => {
      const rank = shape.rankOf(value);
      if (rank === undefined || rank >= shape.failRank) return [];
      return [
        {
          kind: 'gains',
          name: `files where ${shape.ruleName(keys)} is turned down`,
          line: files.range().start.line + 1,
          values: patterns,
          entries: 'paths',
          verb: 'takes in',
          onlyWhenAtBase: true,
        },
      ];
    });
  });
}

/** The value at `keys` through the direct pairs of nested object literals. */
function pairValue(object: SgNode, keys: readonly string[]): SgNode | undefined {
  let current: SgNode | undefined = object;
  for (const key of keys) {
    const pair: SgNode | undefined = current
      ?.children()
      .find((child) => child.kind() === 'pair' && keyOf(child) === key);
    current = pair?.field('value') ?? undefined;
  }
  return current;
}

/** Each rule's level as written (`'off'`, `0`, `['warn', {...}]`, `{ level: 'off' }`) under `groups` group objects. */
function levelsUnder(object: SgNode, groups: number, keys: string[]): Array<{ keys: string[]; value: string }> {
  return object.children().flatMap((pair) => {
    const key = pair.kind() === 'pair' ? keyOf(pair) : undefined;
    const value = pair.field('value');
    if (key === undefined || !value) return [];
    if (groups > 0) return value.kind() === 'object' ? levelsUnder(value, groups - 1, [...keys, key]) : [];
    const written =
      value.kind() === 'array'
        ? value.children().find((child) => child.isNamed() && child.kind() !== 'comment')
        : value.kind() === 'object'
          ? pairValue(value, ['level'])
          : value;
    if (!written || !['string', 'number'].includes(String(written.kind()))) return [];
    return [{ keys: [...keys, key], value: written.kind() === 'string' ? unquote(written.text()) : written.text() }];
  });
}

function keyOf(pair: SgNode): string | undefined {
  const key = pair.field('key');
  if (!key || key.kind() === 'computed_property_name') return undefined;
  return key.kind() === 'string' ? unquote(key.text()) : key.text();
}

function unquote(text: string): string {
  return /^(["'`])[\s\S]*\1$/.test(text) ? text.slice(1, -1).replace(/\\(.)/g, '$1') : text;
}
