import type { ConfigEntry } from './js-config.ts';
import { type RunnerSetting, SettingKinds } from './runner-setting.ts';

/**
 * The runner settings of an ava configuration: `ava.config.{js,cjs,mjs}` (`scope` undefined: its top-level
 * keys) or package.json's `ava` key (`scope: 'ava'`). `files` selects the test files, its `!` patterns leave
 * some out, `extensions` selects them by type, `match` runs only the tests whose titles match, and
 * `failWithoutAssertions: false` lets a test whose assertions were removed pass. `failFast`, `timeout` and the
 * like leave every test to run.
 */
export function avaSettings(entries: readonly ConfigEntry[], scope: string | undefined): RunnerSetting[] {
  return entries.flatMap((entry): RunnerSetting[] => {
    const keys = scope === undefined ? entry.keys : entry.keys[0] === scope ? entry.keys.slice(1) : undefined;
    const [option = '', extension] = keys ?? [];
    const name = [scope, option].filter(Boolean).join('.');
    const { line } = entry;
    // `extensions: { ts: 'module' }` names its extensions as keys: each a value of `extensions`.
    if (option === 'extensions' && keys?.length === 2 && extension !== undefined) {
      return [{ kind: SettingKinds.selects, name, values: [extension], line, hasDefault: true }];
    }
    if (keys?.length !== 1) return [];
    const values = entry.values.filter((value) => !value.startsWith('{'));
    switch (option) {
      case 'files': {
        const negated = values.filter((value) => value.startsWith('!'));
        const settings: RunnerSetting[] = [
          { kind: SettingKinds.excludes, name: `${name} (! patterns)`, values: negated, line, hasDefault: true },
        ];
        const selected = values.filter((value) => !value.startsWith('!'));
        if (selected.length > 0) {
          settings.push({ kind: SettingKinds.selects, name, values: selected, line, hasDefault: true });
        }
        return settings;
      }
      case 'extensions':
        return values.length > 0 ? [{ kind: SettingKinds.selects, name, values, line, hasDefault: true }] : [];
      case 'match':
        return [{ kind: SettingKinds.filter, name, values, line, hasDefault: true }];
      case 'failWithoutAssertions':
        return [{ kind: SettingKinds.toggle, name, line, value: values[0] ?? 'true', unset: 'true', weak: 'false' }];
      default:
        return [];
    }
  });
}
