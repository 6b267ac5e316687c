import type { TomlValue } from 'smol-toml';
import { iniSections } from '../runner-config/ini-sections.ts';
import { isTable, lineOfKey, parseToml, tableAt, tomlText } from '../runner-config/toml-document.ts';
import type { CheckerSetting, ListSetting } from './checker-setting.ts';

export const flake8ConfigName = /^\.flake8$/;
export const pylintConfigName = /^\.?pylintrc$/;

/** What flake8 ignores and selects when `ignore` and `select` are not set (its documented defaults). */
const flake8DefaultIgnore = ['E121', 'E123', 'E126', 'E226', 'E24', 'E704', 'W503', 'W504'];
const flake8DefaultSelect = ['E', 'F', 'W', 'C90'];

const splitCodes = (value: string) => value.split(/[,\s]+/).filter(Boolean);

/**
 * flake8's `[flake8]` section (.flake8, setup.cfg, tox.ini): codes ignored (`ignore`, `extend-ignore`, over
 * flake8's default list), selected (`select`, `extend-select`), files left out (`exclude`, `extend-exclude`)
 * and codes ignored per file (`per-file-ignores`, as `path: code`).
 */
export function flake8Settings(source: string): CheckerSetting[] {
  const section = iniSections(source).get('flake8');
  if (!section) return [];
  const written = (keys: readonly string[]) =>
    keys.flatMap((key) => {
      const option = section.get(key) ?? section.get(key.replace(/-/g, '_'));
      return option ? [option] : [];
    });
  const list = (
    name: string,
    keys: readonly string[],
    setting: Pick<ListSetting, 'kind' | 'entries' | 'verb' | 'within'>,
    unsetValues?: readonly string[],
  ): ListSetting => {
    const found = written(keys);
    const [replacing] = written([keys[0] ?? '']);
    // `extend-*` adds to the default when the plain option is not written.
    const base = unsetValues && !replacing ? unsetValues : [];
    const values = [...base, ...found.flatMap(({ value }) => splitCodes(value))];
    return { ...setting, name, line: found[0]?.line ?? 1, values, ...(unsetValues ? { unsetValues } : {}) };
  };
  const perFile = written(['per-file-ignores', 'extend-per-file-ignores']);
  const perFileValues = perFile.flatMap(({ value }) =>
    value.split('\n').flatMap((line) => {
      const colon = line.lastIndexOf(':');
      if (colon === -1) return [];
      const path = line.slice(0, colon).trim();
      return splitCodes(line.slice(colon + 1)).map((code) => `${path}: ${code}`);
    }),
  );
  return [
    list(
      'ignore',
      ['ignore', 'extend-ignore'],
      { kind: 'gains', entries: 'codes', verb: 'ignores', within: 'select' },
      flake8DefaultIgnore,
    ),
    list(
      'select',
      ['select', 'extend-select'],
      { kind: 'keeps', entries: 'codes', verb: 'selects' },
      flake8DefaultSelect,
    ),
    list('exclude', ['exclude', 'extend-exclude'], { kind: 'gains', entries: 'paths', verb: 'leaves out' }),
    {
      kind: 'gains',
      name: 'per-file-ignores',
      line: perFile[0]?.line ?? 1,
      values: perFileValues,
      entries: 'codes',
      verb: 'ignores',
    },
  ];
}

interface PylintOption {
  key: string;
  values: string[];
  line: number;
}

/**
 * pylint's options (.pylintrc, pylintrc, `[pylint.*]` sections of setup.cfg or tox.ini, `[tool.pylint.*]` of
 * pyproject.toml), whatever section holds them: messages disabled (`disable`) or no longer enabled (`enable`),
 * files left out (`ignore`, `ignore-paths`, `ignore-patterns`), and `fail-under` lowered.
 */
export function pylintSettings(fileName: string, source: string): CheckerSetting[] {
  const options = fileName === 'pyproject.toml' ? pyprojectPylint(source) : iniPylint(fileName, source);
  return options.flatMap(({ key, values, line }): CheckerSetting[] => {
    const list = (kind: ListSetting['kind'], entries: ListSetting['entries'], verb: string): ListSetting[] => [
      { kind, name: key, line, values, entries, verb, ...(kind === 'keeps' ? { unsetValues: [] } : {}) },
    ];
    if (key === 'disable') return list('gains', 'names', 'disables');
    if (key === 'enable') return list('keeps', 'names', 'enables');
    if (key === 'ignore' || key === 'ignore-paths' || key === 'ignore-patterns')
      return list('gains', 'paths', 'leaves out');
    const score = Number(values[0]);
    if (key === 'fail-under' && Number.isFinite(score)) {
      return [
        {
          kind: 'level',
          name: key,
          line,
          value: String(values[0]),
          rank: score,
          unsetRank: 10,
          unsetValue: '10',
          failRank: 10,
        },
      ];
    }
    return [];
  });
}

const pylintKeys = new Set(['disable', 'enable', 'ignore', 'ignore-paths', 'ignore-patterns', 'fail-under']);

function iniPylint(fileName: string, source: string): PylintOption[] {
  const dedicated = /pylintrc$/.test(fileName);
  return [...iniSections(source)].flatMap(([section, values]) => {
    if (!dedicated && !/^pylint\b/i.test(section)) return [];
    return [...values].flatMap(([key, { value, line }]) =>
      pylintKeys.has(key.trim()) ? [{ key: key.trim(), values: splitCodes(value), line }] : [],
    );
  });
}

function pyprojectPylint(source: string): PylintOption[] {
  const pylint = tableAt(parseToml(source), 'tool', 'pylint');
  if (!pylint) return [];
  const tables: Array<[string, Record<string, TomlValue>]> = [
    ['tool.pylint', pylint],
    ...Object.entries(pylint).flatMap(
      ([name, value]): Array<[string, Record<string, TomlValue>]> =>
        isTable(value) ? [[`tool.pylint.${/\s/.test(name) ? `"${name}"` : name}`, value]] : [],
    ),
  ];
  return tables.flatMap(([tableName, table]) =>
    Object.entries(table).flatMap(([key, value]) =>
      pylintKeys.has(key)
        ? [
            {
              key,
              values: Array.isArray(value) ? value.map(tomlText) : splitCodes(tomlText(value)),
              line: lineOfKey(source, key, tableName),
            },
          ]
        : [],
    ),
  );
}
