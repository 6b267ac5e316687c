import type { TomlValue } from 'smol-toml';
import { configEntries } from '../runner-config/js-config.ts';
import { lineOfKey, parseToml, tableAt, tomlText } from '../runner-config/toml-document.ts';
import { booleanOf, type CheckerSetting, flag, type ListSetting, level } from './checker-setting.ts';

export const pyrightConfigName = /^(?:pyrightconfig|basedpyrightconfig)\.json$/;

const modes = { off: 0, basic: 1, standard: 2, strict: 3, recommended: 3, all: 4 } as const;
/** A `report*` rule: only `error` fails the run. */
const ruleLevels = { none: 0, false: 0, information: 1, hint: 1, warning: 2, error: 3, true: 3 } as const;
/** Inference and analysis switches; unset, their value depends on `typeCheckingMode`. */
const stricterWhenTrue = [
  'strictListInference',
  'strictDictionaryInference',
  'strictSetInference',
  'strictParameterNoneValue',
  'analyzeUnannotatedFunctions',
];

interface Option {
  key: string;
  value: TomlValue;
  values: string[];
  line: number;
}

/**
 * The settings of pyright's or basedpyright's config (pyrightconfig.json, `[tool.pyright]` or
 * `[tool.basedpyright]` of pyproject.toml) that decide what it reports: `typeCheckingMode` (off < basic <
 * standard < strict), each `report*` rule (none < information < warning < error), the inference switches,
 * the files left out (`exclude`, `ignore`), checked (`include`) and checked strictly (`strict`).
 * `enableTypeIgnoreComments` counts the other way round: turned on, `# type: ignore` silences pyright.
 */
export function pyrightSettings(fileName: string, source: string): CheckerSetting[] {
  const options = fileName === 'pyproject.toml' ? pyprojectOptions(source) : jsonOptions(source);
  if (options === undefined) return [];
  const based = fileName.startsWith('basedpyright') || options.based;
  return options.list.flatMap(({ key, value, values, line }): CheckerSetting[] => {
    const text = values[0] ?? '';
    if (key === 'typeCheckingMode') {
      const mode = level(key, text, line, modes, based ? 'recommended' : 'standard');
      return mode ? [mode] : [];
    }
    if (/^report[A-Z]/.test(key)) {
      const rule = level(key, text, line, ruleLevels, undefined);
      return rule ? [rule] : [];
    }
    if (key === 'enableTypeIgnoreComments') {
      return [flag(key, booleanOf(value), line, { stricter: false, unset: true })];
    }
    if (stricterWhenTrue.includes(key))
      return [flag(key, booleanOf(value), line, { stricter: true, unset: undefined })];
    const list = (kind: ListSetting['kind'], verb: string, unsetValues?: string[]): ListSetting[] => [
      { kind, name: key, line, values, entries: 'paths', verb, ...(unsetValues ? { unsetValues } : {}) },
    ];
    if (key === 'exclude' || key === 'ignore') return list('gains', 'leaves out');
    if (key === 'include') return list('keeps', 'checks');
    if (key === 'strict') return list('keeps', 'checks strictly', []);
    return [];
  });
}

function jsonOptions(source: string): { list: Option[]; based: boolean } {
  const list = configEntries('pyrightconfig.json', source)
    .filter((entry) => entry.keys.length === 1)
    .map((entry) => ({
      key: entry.keys[0] ?? '',
      value: entry.values[0] ?? '',
      values: entry.values,
      line: entry.line,
    }));
  return { list, based: false };
}

function pyprojectOptions(source: string): { list: Option[]; based: boolean } | undefined {
  const document = parseToml(source);
  const based = tableAt(document, 'tool', 'basedpyright');
  const table = based ?? tableAt(document, 'tool', 'pyright');
  if (!table) return undefined;
  const tableName = based ? 'tool.basedpyright' : 'tool.pyright';
  const list = Object.entries(table).map(([key, value]) => ({
    key,
    value,
    values: Array.isArray(value) ? value.map(tomlText) : [tomlText(value)],
    line: lineOfKey(source, key, tableName),
  }));
  return { list, based: based !== undefined };
}
