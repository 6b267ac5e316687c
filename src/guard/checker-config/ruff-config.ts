import type { TomlTable, TomlValue } from 'smol-toml';
import { isTable, lineOfKey, parseToml, tableAt, tomlText } from '../runner-config/toml-document.ts';
import type { CheckerSetting, ListSetting } from './checker-setting.ts';

export const ruffConfigName = /^\.?ruff\.toml$/;

/** What ruff checks when `select` is not set. */
const defaultSelect = ['E4', 'E7', 'E9', 'F'];

/**
 * The settings of ruff's config (`[tool.ruff]` of pyproject.toml, or ruff.toml) that decide what it reports,
 * in `lint` or at the top (the older place): the codes selected (`select` with `extend-select`, against ruff's
 * default), ignored (`ignore`, `extend-ignore`), the files left out (`exclude`, `extend-exclude`) and the
 * codes ignored per file (`per-file-ignores`, as `path: code`).
 */
export function ruffSettings(fileName: string, source: string): CheckerSetting[] {
  const document = parseToml(source);
  const prefix = fileName === 'pyproject.toml' ? ['tool', 'ruff'] : [];
  const top = prefix.length === 0 ? document : tableAt(document, ...prefix);
  if (!top) return [];
  const lint = tableAt(top, 'lint');
  const tables: Array<{ table: TomlTable; name: string | undefined }> = [
    { table: top, name: prefix.length === 0 ? undefined : prefix.join('.') },
    ...(lint ? [{ table: lint, name: [...prefix, 'lint'].join('.') }] : []),
  ];
  const written = (keys: readonly string[]) =>
    tables.flatMap(({ table, name }) =>
      keys.flatMap((key) => {
        const value = table[key];
        if (value === undefined) return [];
        // A table (`[tool.ruff.lint.per-file-ignores]`) has no `key =` line: the line of its first key.
        const first = isTable(value) ? Object.keys(value)[0] : undefined;
        const line =
          first === undefined ? lineOfKey(source, key, name) : lineOfKey(source, first, name ? `${name}.${key}` : key);
        return [{ key, value, line }];
      }),
    );
  const strings = (value: TomlValue) => (Array.isArray(value) ? value.map(tomlText) : [tomlText(value)]);
  const list = (
    name: string,
    keys: readonly string[],
    setting: Pick<ListSetting, 'kind' | 'entries' | 'verb' | 'within'>,
    unsetValues?: readonly string[],
  ): ListSetting[] => {
    const found = written(keys);
    const select = found.filter(({ key }) => key === 'select');
    // `extend-select` adds to ruff's default when `select` is not written.
    const base = unsetValues && select.length === 0 ? unsetValues : [];
    return [
      {
        ...setting,
        name,
        line: found[0]?.line ?? 1,
        values: [...base, ...found.flatMap(({ value }) => strings(value))],
        ...(unsetValues ? { unsetValues } : {}),
      },
    ];
  };
  const perFile = written(['per-file-ignores', 'extend-per-file-ignores']);
  return [
    ...list('select', ['select', 'extend-select'], { kind: 'keeps', entries: 'codes', verb: 'selects' }, defaultSelect),
    ...list('ignore', ['ignore', 'extend-ignore'], {
      kind: 'gains',
      entries: 'codes',
      verb: 'ignores',
      within: 'select',
    }),
    ...list('exclude', ['exclude', 'extend-exclude'], { kind: 'gains', entries: 'paths', verb: 'leaves out' }),
    {
      kind: 'gains',
      name: 'per-file-ignores',
      line: perFile[0]?.line ?? 1,
      values: perFile.flatMap(({ value }) =>
        isTable(value)
          ? Object.entries(value).flatMap(([path, codes]) => strings(codes).map((code) => `${path}: ${code}`))
          : [],
      ),
      entries: 'codes',
      verb: 'ignores',
    },
  ];
}
