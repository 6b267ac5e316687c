import type { SimpleCommand } from './shell-words.ts';

/** How a change to a runner setting can narrow the tests that run. */
export const SettingKinds = {
  /** Patterns or paths that choose the tests (include, testMatch, testpaths): losing one narrows. */
  selects: 'selects',
  /** Patterns that leave tests out (exclude, testPathIgnorePatterns, norecursedirs): gaining one narrows. */
  excludes: 'excludes',
  /** A filter on the tests to run (testNamePattern): setting or changing it narrows. */
  filter: 'filter',
  /** An on/off setting (passWithNoTests, harness): taking the `weak` value narrows. */
  toggle: 'toggle',
  /** A command line (scripts.test, a Makefile recipe, pytest addopts): compared command by command. */
  command: 'command',
} as const;

interface SettingAt {
  /** As the runner's docs name it: `test.exclude`, `scripts.test`, `addopts`, `recipe of test`. */
  name: string;
  /** 1-based line of the setting in its file. */
  line: number;
}

export interface ListSetting extends SettingAt {
  kind: typeof SettingKinds.selects | typeof SettingKinds.excludes | typeof SettingKinds.filter;
  values: string[];
  /** The runner picks its own default when the setting is absent: setting it anew may narrow (a warning). */
  hasDefault: boolean;
  /**
   * That default, where it is a fixed list (pytest's `python_functions` is `test`): setting it anew narrows for
   * certain when a default value is gone, and not at all when every one is kept.
   */
  defaults?: readonly string[];
}

export interface ToggleSetting extends SettingAt {
  kind: typeof SettingKinds.toggle;
  value: string;
  /** The value in force when the setting is absent. */
  unset: string;
  /** The value that lets tests go unrun or failures pass. */
  weak: string;
}

export interface CommandSetting extends SettingAt {
  kind: typeof SettingKinds.command;
  text: string;
  commands: SimpleCommand[];
  /** What runs when the setting is absent (pytest with no addopts); undefined when nothing runs then. */
  unset: SimpleCommand[] | undefined;
  /** It may not reach the runner (pytest-env sets PYTEST_ADDOPTS after pytest read it): narrowing warns. */
  uncertain?: true;
}

export type RunnerSetting = ListSetting | ToggleSetting | CommandSetting;

/** One way a changed setting runs fewer tests, or lets more failures pass. */
export interface RunnerNarrowing {
  setting: string;
  effect: string;
  /** Line in the working tree, when the setting is still there. */
  line: number | undefined;
  /** Line at the base, when the setting was there. */
  baseLine: number | undefined;
  before: string;
  after: string;
  /** `warn` when it may narrow (a selecting setting newly set, replacing the runner's default). */
  certain: boolean;
}
