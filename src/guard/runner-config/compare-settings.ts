import { commandNarrowings } from './compare-commands.ts';
import type { CommandSetting, RunnerNarrowing, RunnerSetting } from './runner-setting.ts';

/** Every narrowing from the settings of a file at the base to its settings in the working tree. */
export function compareSettings(before: readonly RunnerSetting[], after: readonly RunnerSetting[]): RunnerNarrowing[] {
  const was = byName(before);
  const now = byName(after);
  const names = [...new Set([...was.keys(), ...now.keys()])];
  return names.flatMap((name) => {
    const old = was.get(name);
    const current = now.get(name);
    const effects = settingEffects(old, current);
    return effects.map(({ effect, certain }) => ({
      setting: name,
      effect,
      line: current?.line,
      baseLine: old?.line,
      before: shownValue(old),
      after: shownValue(current),
      certain,
    }));
  });
}

/** Settings by name; a name seen twice (one per jest or vitest project) merges its values. */
function byName(settings: readonly RunnerSetting[]): Map<string, RunnerSetting> {
  const merged = new Map<string, RunnerSetting>();
  for (const setting of settings) {
    const seen = merged.get(setting.name);
    if (seen?.kind === 'command' && setting.kind === 'command') {
      merged.set(setting.name, { ...seen, commands: [...seen.commands, ...setting.commands] });
    } else if (seen && seen.kind !== 'command' && seen.kind !== 'toggle' && setting.kind === seen.kind) {
      merged.set(setting.name, { ...seen, values: [...new Set([...seen.values, ...setting.values])] });
    } else if (!seen) merged.set(setting.name, setting);
  }
  return merged;
}

type Effect = { effect: string; certain: boolean };

function settingEffects(old: RunnerSetting | undefined, current: RunnerSetting | undefined): Effect[] {
  const setting = current ?? old;
  if (!setting) return [];
  const certain = (effect: string) => [{ effect, certain: true }];
  switch (setting.kind) {
    case 'selects': {
      const was = old?.kind === 'selects' ? old.values : undefined;
      const now = current?.kind === 'selects' ? current.values : undefined;
      if (was && now) {
        const lost = was.filter((value) => !now.includes(value));
        return lost.length > 0 ? certain(`no longer selects ${listValues(lost)}`) : [];
      }
      const defaults = current?.kind === 'selects' ? current.defaults : undefined;
      if (!was && now && defaults) {
        const lost = defaults.filter((value) => !now.includes(value));
        return lost.length > 0 ? certain(`no longer selects the runner's default ${listValues(lost)}`) : [];
      }
      if (!was && now && setting.hasDefault) {
        return [{ effect: `is now set, replacing the runner's default, to ${listValues(now)}`, certain: false }];
      }
      return [];
    }
    case 'excludes': {
      const was = old?.kind === 'excludes' ? old.values : [];
      const gained = current?.kind === 'excludes' ? current.values.filter((value) => !was.includes(value)) : [];
      return gained.length > 0 ? certain(`now also leaves out ${listValues(gained)}`) : [];
    }
    case 'filter': {
      if (current?.kind !== 'filter') return [];
      const was = old?.kind === 'filter' ? old.values : [];
      const same = was.length === current.values.length && was.every((value) => current.values.includes(value));
      return same ? [] : certain(`now runs only the tests matching ${listValues(current.values)}`);
    }
    case 'toggle': {
      const value = (entry: RunnerSetting | undefined) => (entry?.kind === 'toggle' ? entry.value : setting.unset);
      if (value(current) !== setting.weak || value(old) === setting.weak) return [];
      return certain(`is now ${setting.weak}${current ? '' : ' (by default, since it was removed)'}`);
    }
    case 'command':
      return commandEffects(old, current);
  }
}

function commandEffects(old: RunnerSetting | undefined, current: RunnerSetting | undefined): Effect[] {
  const was = old?.kind === 'command' ? old : undefined;
  const now = current?.kind === 'command' ? current : undefined;
  const commandsOf = (setting: CommandSetting | undefined, other: CommandSetting | undefined) =>
    setting?.commands ?? other?.unset;
  const before = commandsOf(was, now);
  const after = commandsOf(now, was);
  if (!before) return [];
  if (!after) return [{ effect: 'was removed: its commands no longer run', certain: true }];
  const certain = !(now ?? was)?.uncertain;
  return commandNarrowings(before, after).map((effect) => ({ effect, certain }));
}

function shownValue(setting: RunnerSetting | undefined): string {
  if (!setting) return '(not set)';
  switch (setting.kind) {
    case 'toggle':
      return setting.value;
    case 'command':
      return setting.text;
    default:
      return JSON.stringify(setting.values);
  }
}

function listValues(values: readonly string[]): string {
  return values.map((value) => `\`${value}\``).join(', ');
}
