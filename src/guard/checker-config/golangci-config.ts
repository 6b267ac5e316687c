import type { TomlValue } from 'smol-toml';
import { yamlOptions } from '../runner-code/option-entries.ts';
import { configEntries } from '../runner-config/js-config.ts';
import { isTable, lineOfKey, parseToml } from '../runner-config/toml-document.ts';
import { booleanOf, type CheckerSetting, flag, type ListSetting, level } from './checker-setting.ts';

export const golangciConfigName = /^\.?golangci\.(?:ya?ml|toml|json)$/;

/** `linters.default` of golangci-lint v2: which linters run before `enable`/`disable`. */
const defaults = { none: 0, fast: 1, standard: 2, all: 3 } as const;

interface Entry {
  keys: string[];
  values: string[];
  line: number;
}

/** Lists whose new entries leave issues unreported, v1 and v2 spellings. */
const gainingLists: Record<string, { entries: ListSetting['entries']; verb: string }> = {
  'linters.disable': { entries: 'names', verb: 'disables' },
  'issues.exclude': { entries: 'names', verb: 'excludes issues matching' },
  'issues.exclude-rules': { entries: 'names', verb: 'excludes issues by' },
  'issues.exclude-dirs': { entries: 'paths', verb: 'leaves out' },
  'issues.exclude-files': { entries: 'paths', verb: 'leaves out' },
  'run.skip-dirs': { entries: 'paths', verb: 'leaves out' },
  'run.skip-files': { entries: 'paths', verb: 'leaves out' },
  'linters.exclusions.rules': { entries: 'names', verb: 'excludes issues by' },
  'linters.exclusions.paths': { entries: 'paths', verb: 'leaves out' },
  'linters.exclusions.presets': { entries: 'names', verb: 'excludes the issues of the preset' },
};

/**
 * The settings of a golangci-lint config (YAML, TOML or JSON; v1 and v2) that decide what it reports: linters
 * no longer enabled or newly disabled, `disable-all` (v1) and `linters.default` (v2) lowered, issues and
 * paths excluded, and `issues.new` (only issues of new code reported).
 */
export function golangciSettings(fileName: string, source: string): CheckerSetting[] {
  const entries: Entry[] = fileName.endsWith('.toml')
    ? tomlEntries(source)
    : fileName.endsWith('.json')
      ? configEntries(fileName, source)
      : yamlOptions(source);
  return entries.flatMap(({ keys, values, line }): CheckerSetting[] => {
    const name = keys.join('.');
    const gaining = Object.hasOwn(gainingLists, name) ? gainingLists[name] : undefined;
    if (gaining) return [{ kind: 'gains', name, line, values, ...gaining }];
    if (name === 'linters.enable') {
      return [{ kind: 'keeps', name, line, values, entries: 'names', verb: 'enables', unsetValues: [] }];
    }
    if (name === 'linters.disable-all') {
      return [flag(name, booleanOf(values[0]), line, { stricter: false, unset: false })];
    }
    if (name === 'linters.default') {
      const setting = level(name, values[0] ?? '', line, defaults, 'standard');
      return setting ? [setting] : [];
    }
    if (name === 'issues.new') return [flag(name, booleanOf(values[0]), line, { stricter: false, unset: false })];
    return [];
  });
}

/** The keys of a TOML config as YAML's are read: nested tables walked, arrays as their elements. */
function tomlEntries(source: string): Entry[] {
  const entries: Entry[] = [];
  const walk = (value: TomlValue, keys: string[]) => {
    if (isTable(value)) {
      for (const [key, inner] of Object.entries(value)) walk(inner, [...keys, key]);
      return;
    }
    const values = (Array.isArray(value) ? value : [value]).map((item) =>
      typeof item === 'object' ? JSON.stringify(item) : String(item),
    );
    entries.push({
      keys,
      values,
      line: lineOfKey(source, keys.at(-1) ?? '', keys.slice(0, -1).join('.') || undefined),
    });
  };
  const document = parseToml(source);
  if (document) walk(document, []);
  return entries;
}
