import { avaSettings } from './ava-config.ts';
import { configEntries, runnerSettings } from './js-config.ts';
import { type RunnerSetting, SettingKinds } from './runner-setting.ts';
import { shellTokens, simpleCommands } from './shell-words.ts';
import { isTestTaskName } from './test-task.ts';

/** The runner settings of a package.json: its `jest` and `ava` options and its test scripts (`test`, `test:*`, `ci`). */
export function packageJsonSettings(source: string): RunnerSetting[] {
  const entries = configEntries('package.json', source);
  const scripts = entries.flatMap((entry): RunnerSetting[] => {
    const [group, name, ...deeper] = entry.keys;
    const [text] = entry.values;
    if (group !== 'scripts' || name === undefined || deeper.length > 0 || text === undefined) return [];
    if (!isTestTaskName(name)) return [];
    const commands = simpleCommands(shellTokens(text));
    return [
      { kind: SettingKinds.command, name: `scripts.${name}`, line: entry.line, text, commands, unset: undefined },
    ];
  });
  return [...runnerSettings(entries, 'jest'), ...avaSettings(entries, 'ava'), ...scripts];
}
