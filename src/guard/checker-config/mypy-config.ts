import type { TomlTable, TomlValue } from 'smol-toml';
import { iniSections } from '../runner-config/ini-sections.ts';
import { isTable, lineOfKey, parseToml, tableAt, tomlText } from '../runner-config/toml-document.ts';
import { booleanOf, type CheckerSetting, flag, level } from './checker-setting.ts';

export const mypyConfigName = /^\.?mypy\.ini$/;

/** The flags `strict = true` turns on: unset, each takes the value of `strict`. */
const strictFamily = [
  'warn_unused_configs',
  'disallow_any_generics',
  'disallow_subclassing_any',
  'disallow_untyped_calls',
  'disallow_untyped_defs',
  'disallow_incomplete_defs',
  'check_untyped_defs',
  'disallow_untyped_decorators',
  'warn_redundant_casts',
  'warn_unused_ignores',
  'warn_return_any',
  'no_implicit_reexport',
  'strict_equality',
  'extra_checks',
];

/** Flags that make mypy report more when true, with mypy's default. */
const stricterWhenTrue: Record<string, boolean> = {
  strict: false,
  disallow_any_unimported: false,
  disallow_any_expr: false,
  disallow_any_decorated: false,
  disallow_any_explicit: false,
  warn_unreachable: false,
  warn_no_return: true,
  strict_optional: true,
  no_implicit_optional: true,
  local_partial_types: false,
  strict_bytes: false,
};

/** Flags that make mypy report less when true (all false by default); `ignore_missing_imports` is often needed. */
const looserWhenTrue = ['ignore_errors', 'allow_untyped_globals', 'allow_redefinition', 'implicit_optional'];

const followImports = { skip: 0, silent: 1, normal: 2, error: 2 } as const;

interface Option {
  key: string;
  value: TomlValue;
  line: number;
}

/** The options of one section: global (`[mypy]`, `[tool.mypy]`) or for some modules (`[mypy-app.legacy.*]`). */
interface Section {
  modules: string | undefined;
  options: Option[];
}

/**
 * The settings of mypy's config (mypy.ini, .mypy.ini, `[mypy]` of setup.cfg, `[tool.mypy]` and its
 * `overrides` in pyproject.toml) that decide what it reports: `strict` and the flags it implies, the other
 * checking flags, `ignore_errors` (global or per module), `follow_imports`, `disable_error_code`,
 * `enable_error_code`, `exclude` and `files`. A per-module flag not written takes the global value.
 * `ignore_missing_imports` turned on is a warning only: untyped third-party packages often need it.
 */
export function mypySettings(fileName: string, source: string): CheckerSetting[] {
  const sections = fileName === 'pyproject.toml' ? pyprojectSections(source) : iniMypySections(source);
  const global = sections.find((section) => section.modules === undefined);
  if (sections.length === 0) return [];
  const globalValue = (key: string) => booleanOf(global?.options.find((option) => option.key === key)?.value);
  const strict = globalValue('strict') ?? false;
  const defaultOf = (key: string): boolean | undefined =>
    strictFamily.includes(key) ? strict : Object.hasOwn(stricterWhenTrue, key) ? stricterWhenTrue[key] : false;
  return sections.flatMap(({ modules, options }) => {
    const scope = modules === undefined ? '' : ` (module ${modules})`;
    const written = (key: string) => options.find((option) => option.key === key);
    // Per module, what is not written is the global value.
    const unset = (key: string) => (modules === undefined ? defaultOf(key) : (globalValue(key) ?? defaultOf(key)));
    const flagOf = (key: string, stricter: boolean, certain = true) => {
      const option = written(key);
      return flag(`${key}${scope}`, option && booleanOf(option.value), option?.line ?? 1, {
        stricter,
        unset: unset(key),
        certain,
      });
    };
    const settings: CheckerSetting[] = [
      ...[...strictFamily, ...Object.keys(stricterWhenTrue)].map((key) => flagOf(key, true)),
      ...looserWhenTrue.map((key) => flagOf(key, false)),
      flagOf('ignore_missing_imports', false, false),
    ];
    const follow = written('follow_imports');
    const followLevel =
      follow && level(`follow_imports${scope}`, tomlText(follow.value), follow.line, followImports, 'normal');
    if (followLevel) settings.push(followLevel);
    const listOf = (key: string) => {
      const option = written(key);
      if (!option) return undefined;
      const values = Array.isArray(option.value)
        ? option.value.map(tomlText)
        : tomlText(option.value)
            // `exclude` is one regex (a verbose one may span lines); `files` and error codes are comma lists.
            .split(key === 'exclude' ? /\n/ : key === 'files' ? /[,\n]/ : /[,\s]+/)
            .map((value) => value.trim())
            .filter(Boolean);
      return { values, line: option.line };
    };
    const disabled = listOf('disable_error_code');
    if (disabled) {
      settings.push({
        kind: 'gains',
        name: `disable_error_code${scope}`,
        ...disabled,
        entries: 'names',
        verb: 'disables',
      });
    }
    const enabled = listOf('enable_error_code');
    if (enabled) {
      settings.push({
        kind: 'keeps',
        name: `enable_error_code${scope}`,
        ...enabled,
        entries: 'names',
        verb: 'enables',
        unsetValues: [],
      });
    }
    const exclude = listOf('exclude');
    if (exclude)
      settings.push({ kind: 'gains', name: `exclude${scope}`, ...exclude, entries: 'paths', verb: 'leaves out' });
    const files = listOf('files');
    if (files) settings.push({ kind: 'keeps', name: `files${scope}`, ...files, entries: 'paths', verb: 'checks' });
    return settings;
  });
}

/** `[mypy]` and `[mypy-pattern,pattern]` of mypy.ini or setup.cfg. */
function iniMypySections(source: string): Section[] {
  return [...iniSections(source)].flatMap(([name, values]): Section[] => {
    const match = /^mypy(?:-(.+))?$/.exec(name.trim());
    if (!match) return [];
    const options = [...values].map(([key, { value, line }]) => ({ key: key.trim(), value, line }));
    const patterns = match[1]?.split(',').map((pattern) => pattern.trim());
    return patterns ? patterns.map((modules) => ({ modules, options })) : [{ modules: undefined, options }];
  });
}

/** `[tool.mypy]` and each `[[tool.mypy.overrides]]`, one section per module pattern it names. */
function pyprojectSections(source: string): Section[] {
  const mypy = tableAt(parseToml(source), 'tool', 'mypy');
  if (!mypy) return [];
  const optionsOf = (table: TomlTable, tableName: string, occurrence?: number): Option[] =>
    Object.entries(table).map(([key, value]) => ({ key, value, line: lineOfKey(source, key, tableName, occurrence) }));
  const overrides = Array.isArray(mypy.overrides) ? mypy.overrides.filter(isTable) : [];
  const global = Object.fromEntries(Object.entries(mypy).filter(([key]) => key !== 'overrides'));
  return [
    { modules: undefined, options: optionsOf(global, 'tool.mypy') },
    ...overrides.flatMap((table, occurrence) => {
      const modules = Array.isArray(table.module) ? table.module.map(tomlText) : [tomlText(table.module ?? '*')];
      const options = optionsOf(table, 'tool.mypy.overrides', occurrence).filter(({ key }) => key !== 'module');
      return modules.map((pattern) => ({ modules: pattern, options }));
    }),
  ];
}
