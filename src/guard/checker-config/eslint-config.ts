import { parse } from '@ast-grep/napi';
import { languageOf } from '../js/test-files.ts';
import { yamlOptions } from '../runner-code/option-entries.ts';
import { configEntries } from '../runner-config/js-config.ts';
import { shellTokens, simpleCommands } from '../runner-config/shell-words.ts';
import {
  type CheckerSetting,
  flag,
  type LevelSetting,
  type ListSetting,
  level,
  unreadLevel,
} from './checker-setting.ts';
import { filesWithLoweredRules, type ScopedRulesShape } from './scoped-rules.ts';

/**
 * Flat config (`eslint.config.*`), the legacy `.eslintrc*` files and `.eslintignore`; package.json is read for
 * its `eslintConfig`.
 */
export const eslintConfigName =
  /^(?:eslint\.config\.[cm]?[jt]s|\.eslintrc(?:\.(?:json|[cm]?js|ya?ml))?|\.eslintignore)$/;

const severity = { off: 0, '0': 0, warn: 1, '1': 1, error: 2, '2': 2 } as const;

interface Entry {
  keys: string[];
  values: string[];
  line: number;
}

/**
 * The settings of an ESLint config that decide what it reports: each rule's severity (`off` < `warn` <
 * `error`, in any config object or legacy `overrides`), the files left out (`ignores`, `ignorePatterns`),
 * the legacy `extends` presets, and `noInlineConfig`. Only object literals are read: a rule set from a
 * variable or a spread preset is not seen.
 */
export function eslintSettings(fileName: string, source: string): CheckerSetting[] {
  if (fileName === 'package.json') return packageJsonEslintSettings(source);
  if (fileName === '.eslintignore') return eslintignoreSettings(source);
  const yaml = /\.ya?ml$/.test(fileName) || (fileName === '.eslintrc' && !source.trimStart().startsWith('{'));
  const json = fileName === '.eslintrc' || fileName.endsWith('.json');
  const entries: Entry[] = yaml ? yamlOptions(source) : configEntries(json ? '.eslintrc.json' : fileName, source);
  if (yaml) return settingsOf(entries);
  const scoped = filesWithLoweredRules(json ? '.eslintrc.json' : fileName, source, eslintScopes);
  return [...settingsOf(entries), ...scoped, ...(json ? [] : globalIgnores(fileName, source))];
}

/** Flat config objects and legacy `overrides`: `files` and `rules` side by side. */
const eslintScopes: ScopedRulesShape = {
  files: ['files'],
  rules: ['rules'],
  groups: 0,
  ruleName: (keys) => `rules.${keys.join('.')}`,
  rankOf: (value) => (Object.hasOwn(severity, value) ? severity[value as keyof typeof severity] : undefined),
  failRank: severity.error,
};

/** The patterns of `.eslintignore`, one a line (`#` comments and blank lines left out). */
function eslintignoreSettings(source: string): CheckerSetting[] {
  const lines = source.split(/\r?\n/);
  const patterns = lines.map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  const first = lines.findIndex((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  return [ignoredFiles(patterns, first + 1 || 1)];
}

/**
 * The patterns of flat config's `globalIgnores([...])` (from `eslint/config`): an array in a call, which the
 * object literals read above do not hold.
 */
function globalIgnores(fileName: string, source: string): CheckerSetting[] {
  if (!source.includes('globalIgnores')) return [];
  const root = parse(languageOf(fileName), source).root();
  return root.findAll({ rule: { pattern: 'globalIgnores($PATTERNS $$$)' } }).flatMap((call) => {
    const patterns = call.getMatch('PATTERNS');
    if (patterns?.kind() !== 'array') return [];
    const strings = patterns.children().filter((child) => child.kind() === 'string');
    const values = strings.map((child) => child.text().slice(1, -1));
    return [ignoredFiles(values, call.range().start.line + 1)];
  });
}

function settingsOf(entries: readonly Entry[]): CheckerSetting[] {
  return entries.flatMap((entry): CheckerSetting[] => {
    const { keys, values, line } = entry;
    const last = keys.at(-1) ?? '';
    const outer = keys.slice(0, -1);
    const inOverrides = (prefix: readonly string[]) => prefix.every((key) => key === 'overrides');
    if (keys.length >= 2 && keys.at(-2) === 'rules' && inOverrides(keys.slice(0, -2))) {
      const name = `rules.${last}`;
      return [
        level(name, String(values[0]), line, severity, undefined) ?? unreadLevel(name, String(values[0]), line, 2),
      ];
    }
    if (!inOverrides(outer)) {
      if (keys.length === 2 && keys[0] === 'linterOptions' && last === 'noInlineConfig') {
        return [flag('linterOptions.noInlineConfig', values[0] === 'true', line, { stricter: true, unset: false })];
      }
      return [];
    }
    if (last === 'ignores' || last === 'ignorePatterns') return [ignoredFiles(values, line)];
    if (last === 'extends') {
      return [{ kind: 'keeps', name: 'extends', line, values, entries: 'names', verb: 'extends', certain: false }];
    }
    if (last === 'noInlineConfig') {
      return [flag('noInlineConfig', values[0] === 'true', line, { stricter: true, unset: false })];
    }
    return [];
  });
}

/**
 * Flat config's `ignores` and `globalIgnores`, legacy `ignorePatterns`, `.eslintignore` and package.json's
 * `eslintIgnore`: one name, so a migration moves them.
 */
function ignoredFiles(values: string[], line: number): ListSetting {
  return { kind: 'gains', name: 'ignores', line, values, entries: 'paths', verb: 'leaves out' };
}

/**
 * `eslintConfig` and `eslintIgnore` of a package.json, and the `--max-warnings` of its lint scripts (raised,
 * removed, or made moot by `--quiet`, which stops counting warnings).
 */
function packageJsonEslintSettings(source: string): CheckerSetting[] {
  const entries = configEntries('package.json', source);
  const config = entries
    .filter((entry) => entry.keys[0] === 'eslintConfig')
    .map((entry) => ({ ...entry, keys: entry.keys.slice(1) }));
  const ignores = entries.filter((entry) => entry.keys.length === 1 && entry.keys[0] === 'eslintIgnore');
  return [
    ...settingsOf(config),
    ...ignores.map((entry) => ignoredFiles(entry.values, entry.line)),
    ...entries.flatMap(maxWarningsOf),
  ];
}

function maxWarningsOf(entry: Entry): LevelSetting[] {
  const [group, name, ...deeper] = entry.keys;
  const [text] = entry.values;
  if (group !== 'scripts' || name === undefined || deeper.length > 0 || text === undefined) return [];
  return simpleCommands(shellTokens(text)).flatMap((command): LevelSetting[] => {
    const words = command.words;
    const at = words.findIndex((word) => /(?:^|\/)eslint$/.test(word));
    if (at === -1) return [];
    const options = words.slice(at + 1);
    const index = options.findIndex((word) => word === '--max-warnings' || word.startsWith('--max-warnings='));
    if (index === -1) return [];
    const option = options[index] ?? '';
    const count = Number(option.includes('=') ? option.slice(option.indexOf('=') + 1) : options[index + 1]);
    if (!Number.isInteger(count) || count < 0) return [];
    const quiet = options.includes('--quiet');
    return [
      {
        kind: 'level',
        name: `scripts.${name} eslint --max-warnings`,
        line: entry.line,
        value: quiet ? `${count}, with --quiet (warnings not counted)` : String(count),
        // Fewer warnings allowed ranks higher; unset (or --quiet) allows any number.
        rank: quiet ? -Number.MAX_SAFE_INTEGER : -count,
        unsetRank: -Number.MAX_SAFE_INTEGER,
        unsetValue: 'any number of warnings',
        failRank: 0,
      },
    ];
  });
}
