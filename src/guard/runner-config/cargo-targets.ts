import type { TomlTable, TomlValue } from 'smol-toml';
import { type RunnerSetting, SettingKinds, type ToggleSetting } from './runner-setting.ts';
import { isTable, lineOfKey, parseToml, tableAt } from './toml-document.ts';

/** Target tables and the switches that stop `cargo test` from running a target's tests (all default on). */
const targetSwitches: Record<string, readonly string[]> = {
  lib: ['test', 'doctest'],
  bin: ['test'],
  test: ['test', 'harness'],
  example: ['test'],
  bench: ['test'],
};

/**
 * The switches of a Cargo.toml that drop tests from `cargo test`: `autotests` of `[package]`, and `test`,
 * `doctest`, `harness` of `[lib]`, `[[bin]]`, `[[test]]`, ... (a target named by its `name`, else its `path`).
 */
export function cargoSettings(source: string): RunnerSetting[] {
  const document = parseToml(source);
  if (!document) return [];
  const settings: RunnerSetting[] = [];
  const autotests = tableAt(document, 'package')?.autotests;
  settings.push(toggle('package.autotests', autotests, lineOfKey(source, 'autotests', 'package')));
  for (const [section, switches] of Object.entries(targetSwitches)) {
    const value: TomlValue | undefined = document[section];
    const targets: TomlTable[] = Array.isArray(value) ? value.filter(isTable) : isTable(value) ? [value] : [];
    targets.forEach((target, occurrence) => {
      const label = Array.isArray(value)
        ? `[[${section}]] ${String(target.name ?? target.path ?? occurrence)}`
        : `[${section}]`;
      for (const name of switches) {
        const line = lineOfKey(source, name, section, occurrence);
        settings.push(toggle(`${label} ${name}`, target[name], line));
      }
    });
  }
  return settings;
}

function toggle(name: string, value: TomlValue | undefined, line: number): ToggleSetting {
  return {
    kind: SettingKinds.toggle,
    name,
    line,
    value: value === false ? 'false' : 'true',
    unset: 'true',
    weak: 'false',
  };
}
