import { configEntries } from '../runner-config/js-config.ts';
import { type CheckerSetting, flag, type ListSetting, level } from './checker-setting.ts';
import { filesWithLoweredRules, type ScopedRulesShape } from './scoped-rules.ts';

export const biomeConfigName = /^biome\.jsonc?$/;

/** Biome's rule levels; `on` is the rule's own default level, at least a warning. */
const severity = { off: 0, info: 1, warn: 1, on: 2, error: 2 } as const;

/**
 * The settings of a biome.json(c) that decide what `biome lint`/`check` reports: `linter.enabled`,
 * `linter.rules.recommended` (also per group), each rule's level (`"off"`, or `{ "level": "off" }`), also in
 * `overrides`; the files left out (`files.ignore`, `linter.ignore`, `!` entries of `includes`) and those kept
 * (`include`, the other `includes` entries).
 */
export function biomeSettings(source: string): CheckerSetting[] {
  return [...entrySettings(source), ...filesWithLoweredRules('biome.json', source, biomeOverrides)];
}

/** An override's `includes` (`include` before Biome 2) and the rules it sets under `linter.rules`, by group. */
const biomeOverrides: ScopedRulesShape = {
  files: ['includes', 'include'],
  rules: ['linter', 'rules'],
  groups: 1,
  ruleName: (keys) => `overrides.linter.rules.${keys.join('.')}`,
  rankOf: (value) => (Object.hasOwn(severity, value) ? severity[value as keyof typeof severity] : undefined),
  failRank: severity.error,
};

function entrySettings(source: string): CheckerSetting[] {
  return configEntries('biome.json', source).flatMap((entry): CheckerSetting[] => {
    const keys = entry.keys[0] === 'overrides' ? entry.keys.slice(1) : entry.keys;
    const scope = entry.keys[0] === 'overrides' ? 'overrides.' : '';
    const { values, line } = entry;
    const value = values[0] ?? '';
    const [section, key, group, rule, field] = keys;
    if (section === 'linter' && key === 'enabled' && keys.length === 2) {
      return [flag(`${scope}linter.enabled`, value === 'true', line, { stricter: true, unset: true })];
    }
    if ((section === 'files' || section === 'linter') && keys.length === 2 && key !== undefined) {
      return fileLists(`${scope}${section}.${key}`, key, values, line);
    }
    if (section !== 'linter' || key !== 'rules' || group === undefined) return [];
    const name = `${scope}linter.rules.${[group, rule].filter(Boolean).join('.')}`;
    if (keys.at(-1) === 'recommended' && (value === 'true' || value === 'false')) {
      return [
        flag(`${scope}linter.rules.${keys.slice(2).join('.')}`, value === 'true', line, {
          stricter: true,
          unset: true,
        }),
      ];
    }
    if (keys.length === 3 || keys.length === 4 || (keys.length === 5 && field === 'level')) {
      const setting = level(name, value, line, severity, undefined);
      return setting ? [setting] : [];
    }
    return [];
  });
}

function fileLists(name: string, key: string, values: string[], line: number): ListSetting[] {
  const list = (kind: ListSetting['kind'], listValues: string[], suffix: string, verb: string): ListSetting => ({
    kind,
    name: `${name}${suffix}`,
    line,
    values: listValues,
    entries: 'paths',
    verb,
  });
  if (key === 'ignore') return [list('gains', values, '', 'leaves out')];
  if (key === 'include') return [list('keeps', values, '', 'checks')];
  if (key !== 'includes') return [];
  const negated = values.filter((value) => value.startsWith('!'));
  return [
    list('gains', negated, ' (! entries)', 'leaves out'),
    list(
      'keeps',
      values.filter((value) => !value.startsWith('!')),
      '',
      'checks',
    ),
  ];
}
