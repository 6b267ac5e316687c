import { yamlOptions } from '../runner-code/option-entries.ts';
import { configEntries } from './js-config.ts';
import { type RunnerSetting, SettingKinds } from './runner-setting.ts';

/** `.mocharc`, `.mocharc.json(c)`, `.mocharc.y(a)ml`, `.mocharc.(c|m)js`: the files mocha reads its options from. */
export const mocharcName = /^\.mocharc(?:\.(?:[cm]?js|jsonc?|ya?ml))?$/;

/** Toggles whose `weak` value lets tests go unrun or failures pass; the value when absent is mocha's default. */
const toggles: Record<string, { unset: string; weak: string }> = {
  invert: { unset: 'false', weak: 'true' },
  'dry-run': { unset: 'false', weak: 'true' },
  'forbid-only': { unset: 'false', weak: 'false' },
  'forbid-pending': { unset: 'false', weak: 'false' },
  'pass-on-failing-test-suite': { unset: 'false', weak: 'true' },
};

/**
 * The runner settings of a mocha config file: `spec` selects the test files (mocha's default is `./test`),
 * `ignore`/`exclude` leave some out, `grep`/`fgrep` run only matching titles, and `invert`, `dry-run`,
 * `forbid-only: false` and the like let tests go unrun. Options are read in either spelling (`dry-run`, `dryRun`).
 */
export function mochaSettings(fileName: string, source: string): RunnerSetting[] {
  const yaml = /\.ya?ml$/.test(fileName) || (fileName === '.mocharc' && !source.trimStart().startsWith('{'));
  const json = fileName === '.mocharc' || /\.jsonc?$/.test(fileName);
  const entries = yaml ? yamlOptions(source) : configEntries(json ? '.mocharc.json' : fileName, source);
  return entries.flatMap((entry): RunnerSetting[] => {
    if (entry.keys.length !== 1) return [];
    const option = (entry.keys[0] ?? '').replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
    const { line, values } = entry;
    const name = option;
    if (option === 'spec') return [{ kind: SettingKinds.selects, name, values, line, hasDefault: true }];
    if (option === 'ignore' || option === 'exclude') {
      return [{ kind: SettingKinds.excludes, name, values, line, hasDefault: true }];
    }
    if (option === 'grep' || option === 'fgrep') {
      return [{ kind: SettingKinds.filter, name, values, line, hasDefault: true }];
    }
    const toggle = Object.hasOwn(toggles, option) ? toggles[option] : undefined;
    return toggle ? [{ kind: SettingKinds.toggle, name, line, value: values[0] ?? toggle.unset, ...toggle }] : [];
  });
}
