import type { TomlValue } from 'smol-toml';
import { isTable, lineOfKey, parseToml, tableAt, tomlText } from '../runner-config/toml-document.ts';
import { booleanOf, type CheckerSetting, flag, level } from './checker-setting.ts';

const lintLevels = { allow: 0, expect: 0, warn: 1, deny: 2, forbid: 3 } as const;

/**
 * The lint levels of a Cargo.toml: `[lints.rust]`, `[lints.clippy]`, `[lints.rustdoc]` and their
 * `[workspace.lints.*]` (`"allow"` < `"warn"` < `"deny"` < `"forbid"`, also as `{ level = ..., priority = ... }`),
 * and a member's `lints.workspace = true` taken out (the workspace's lints no longer apply to it).
 * A crate-level `#![allow(...)]` in the code is `checks-suppressed`'s.
 */
export function cargoLintSettings(source: string): CheckerSetting[] {
  const document = parseToml(source);
  const settings: CheckerSetting[] = [];
  for (const prefix of [['lints'], ['workspace', 'lints']]) {
    const lints = tableAt(document, ...prefix);
    if (!lints) continue;
    for (const [tool, table] of Object.entries(lints)) {
      if (tool === 'workspace' && prefix.length === 1) {
        settings.push(
          flag('lints.workspace', booleanOf(table), lineOfKey(source, 'workspace', 'lints'), {
            stricter: true,
            unset: false,
          }),
        );
        continue;
      }
      if (!isTable(table)) continue;
      const tableName = [...prefix, tool].join('.');
      for (const [lint, value] of Object.entries(table)) {
        const written: TomlValue | undefined = isTable(value) ? value.level : value;
        if (written === undefined) continue;
        const setting = level(
          `${tableName}.${lint}`,
          tomlText(written),
          lineOfKey(source, lint, tableName),
          lintLevels,
          undefined,
          lintLevels.deny,
        );
        if (setting) settings.push(setting);
      }
    }
  }
  return settings;
}
