import { testDataFolder } from '../tests/test-data-folders.ts';
import { biomeConfigName, biomeSettings } from './biome-config.ts';
import { cargoLintSettings } from './cargo-lints.ts';
import type { CheckerSetting } from './checker-setting.ts';
import { eslintConfigName, eslintSettings } from './eslint-config.ts';
import { golangciConfigName, golangciSettings } from './golangci-config.ts';
import { mypyConfigName, mypySettings } from './mypy-config.ts';
import { pyrightConfigName, pyrightSettings } from './pyright-config.ts';
import { flake8ConfigName, flake8Settings, pylintConfigName, pylintSettings } from './python-lint-config.ts';
import { ruffConfigName, ruffSettings } from './ruff-config.ts';
import { tsconfigName, typescriptSettings } from './typescript-config.ts';

/** A linter or type checker, by the files it reads its configuration from. */
interface Checker {
  /** As users know it: `tsc`, `ESLint`, `mypy`. */
  name: string;
  /** Files that configure only this checker: present at all, the project uses it. */
  dedicated: RegExp;
  /** Files shared with other tools (package.json, pyproject.toml) that may hold a section for it. */
  shared: readonly string[];
  settings(fileName: string, source: string): CheckerSetting[];
  /**
   * `file`: every file is a configuration of its own (two tsconfigs are two projects); `folder`: the files of
   * one folder are one configuration, so a setting moved between them is no change.
   */
  scope: 'file' | 'folder';
}

const checkers: readonly Checker[] = [
  {
    name: 'tsc',
    dedicated: tsconfigName,
    shared: [],
    settings: (_, source) => typescriptSettings(source),
    scope: 'file',
  },
  { name: 'ESLint', dedicated: eslintConfigName, shared: ['package.json'], settings: eslintSettings, scope: 'folder' },
  {
    name: 'Biome',
    dedicated: biomeConfigName,
    shared: [],
    settings: (_, source) => biomeSettings(source),
    scope: 'folder',
  },
  { name: 'ruff', dedicated: ruffConfigName, shared: ['pyproject.toml'], settings: ruffSettings, scope: 'folder' },
  {
    name: 'mypy',
    dedicated: mypyConfigName,
    shared: ['setup.cfg', 'pyproject.toml'],
    settings: mypySettings,
    scope: 'folder',
  },
  {
    name: 'pyright',
    dedicated: pyrightConfigName,
    shared: ['pyproject.toml'],
    settings: pyrightSettings,
    scope: 'folder',
  },
  {
    name: 'flake8',
    dedicated: flake8ConfigName,
    shared: ['setup.cfg', 'tox.ini'],
    settings: (_, source) => flake8Settings(source),
    scope: 'folder',
  },
  {
    name: 'pylint',
    dedicated: pylintConfigName,
    shared: ['setup.cfg', 'tox.ini', 'pyproject.toml'],
    settings: pylintSettings,
    scope: 'folder',
  },
  { name: 'golangci-lint', dedicated: golangciConfigName, shared: [], settings: golangciSettings, scope: 'folder' },
  // rustc and clippy lint every crate: a Cargo.toml at the base is the checker configured (by its defaults).
  {
    name: 'rustc/clippy',
    dedicated: /^Cargo\.toml$/,
    shared: [],
    settings: (_, source) => cargoLintSettings(source),
    scope: 'file',
  },
];

function fileNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function folderOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

function checkersOf(path: string): Checker[] {
  if (testDataFolder.test(path)) return [];
  const fileName = fileNameOf(path);
  return checkers.filter((checker) => checker.dedicated.test(fileName) || checker.shared.includes(fileName));
}

/** Whether `path` may configure a linter or type checker the guard compares (by its name only). */
export function isCheckerConfigFile(path: string): boolean {
  return checkersOf(path).length > 0;
}

/** The settings of one checker, before and after the change, over the files of one configuration. */
export interface CheckerConfiguration {
  checker: string;
  before: CheckerSetting[];
  after: CheckerSetting[];
  /** Whether the base configured this checker here, or in a folder above (the change is judged against it). */
  configuredAtBase: boolean;
  /** Every file of it is gone: a package deleted with its config, as likely as a check removed. */
  deleted: boolean;
  /** A changed file of the group, for a finding no setting places. */
  path: string;
}

interface FileContents {
  path: string;
  before: string | undefined;
  after: string | undefined;
}

interface Group extends CheckerConfiguration {
  /** The folder its files sit in (`''` at the top, `web/` below). */
  folder: string;
}

/**
 * The configurations of every checker a changed file configures, grouped by file or folder, with their
 * settings at the base and now. `unchangedAtBase` holds the unchanged config files at the base in the
 * folders of the changed files and above: a checker configured there, or in a changed file at the base in
 * such a folder, counts as configured at the base.
 */
export function changedConfigurations(
  changed: readonly FileContents[],
  unchangedAtBase: ReadonlyMap<string, string> | undefined,
): CheckerConfiguration[] {
  const groups = new Map<string, Group>();
  for (const file of changed) {
    const fileName = fileNameOf(file.path);
    for (const checker of checkersOf(file.path)) {
      const key = `${checker.name}\0${checker.scope === 'file' ? file.path : folderOf(file.path)}`;
      const group = groups.get(key) ?? {
        checker: checker.name,
        folder: folderOf(file.path),
        before: [],
        after: [],
        configuredAtBase: false,
        deleted: true,
        path: file.path,
      };
      groups.set(key, group);
      const read = (source: string | undefined) =>
        source === undefined
          ? []
          : checker.settings(fileName, source).map((setting) => ({ ...setting, path: file.path }));
      group.before.push(...read(file.before));
      group.after.push(...read(file.after));
      if (file.after !== undefined) group.deleted = false;
    }
  }
  const atBase = [
    ...(unchangedAtBase ?? []),
    ...changed.flatMap((file) => (file.before === undefined ? [] : [[file.path, file.before] as const])),
  ];
  for (const group of groups.values()) {
    group.configuredAtBase = atBase.some(([path, source]) => {
      const checker = checkersOf(path).find((candidate) => candidate.name === group.checker);
      if (!checker || !group.folder.startsWith(folderOf(path))) return false;
      const fileName = fileNameOf(path);
      return checker.dedicated.test(fileName) || checker.settings(fileName, source).length > 0;
    });
  }
  return [...groups.values()];
}
