import { type ConfigEntry, configEntries } from '../runner-config/js-config.ts';
import { type CheckerSetting, flag, type LevelSetting, type ListSetting } from './checker-setting.ts';

/** `tsconfig.json`, `tsconfig.build.json`, `tsconfig.app.json`, `jsconfig.json`: each one project of `tsc`. */
export const tsconfigName = /^(?:tsconfig(?:\.[\w-]+)*|jsconfig)\.json$/;

/** The flags `strict: true` turns on: unset, each takes the value of `strict`. */
const strictFamily = [
  'alwaysStrict',
  'noImplicitAny',
  'noImplicitThis',
  'strictBindCallApply',
  'strictBuiltinIteratorReturn',
  'strictFunctionTypes',
  'strictNullChecks',
  'strictPropertyInitialization',
  'useUnknownInCatchVariables',
];

/** Flags off by default that make `tsc` report more when on. */
const offByDefault = [
  'strict',
  'checkJs',
  'noEmitOnError',
  'noUncheckedIndexedAccess',
  'noImplicitReturns',
  'noUnusedLocals',
  'noUnusedParameters',
  'exactOptionalPropertyTypes',
  'noFallthroughCasesInSwitch',
  'noImplicitOverride',
  'noPropertyAccessFromIndexSignature',
];

/**
 * The settings of a tsconfig that decide what `tsc` reports: `strict` and the flags it implies, the other
 * checking flags, `noCheck`, `allowUnreachableCode`/`allowUnusedLabels`, the files it checks (`include`,
 * `files`, `exclude`) and the configs it `extends`. `skipLibCheck` is left out on purpose: it skips
 * declaration files (mostly those of dependencies), is in most templates, and hides no error of the code.
 * With an `extends` and no `strict` of its own, the value in force comes from the extended file: unknown.
 */
export function typescriptSettings(source: string): CheckerSetting[] {
  const entries = configEntries('tsconfig.json', source);
  const at = (...keys: string[]) =>
    entries.find((entry) => entry.keys.length === keys.length && entry.keys.every((key, i) => key === keys[i]));
  const extendsEntry = at('extends');
  const option = (name: string) => at('compilerOptions', name);
  const boolean = (entry: ConfigEntry | undefined) =>
    entry?.values[0] === 'true' ? true : entry?.values[0] === 'false' ? false : undefined;
  const inherited = extendsEntry === undefined ? false : undefined;
  const strict = boolean(option('strict'));
  const settings: CheckerSetting[] = [];
  const flagOf = (name: string, unset: boolean | undefined, stricter = true): LevelSetting => {
    const entry = option(name);
    return flag(`compilerOptions.${name}`, boolean(entry), entry?.line ?? 1, { stricter, unset });
  };
  for (const name of offByDefault) settings.push(flagOf(name, inherited));
  for (const name of strictFamily) settings.push(flagOf(name, strict ?? inherited));
  settings.push(flagOf('noCheck', extendsEntry === undefined ? false : undefined, false));
  for (const name of ['allowUnreachableCode', 'allowUnusedLabels']) {
    // Unset, tsc reports these as suggestions; `false` makes them errors, `true` silences them.
    const entry = option(name);
    const value = boolean(entry);
    settings.push({
      kind: 'level',
      name: `compilerOptions.${name}`,
      line: entry?.line ?? 1,
      value: value === undefined ? '(not set)' : String(value),
      rank: value === undefined ? undefined : value ? 0 : 2,
      unsetRank: 1,
      unsetValue: 'a suggestion',
      failRank: 2,
    });
  }
  const list = (key: string, kind: ListSetting['kind'], verb: string): ListSetting[] => {
    const entry = at(key);
    if (!entry?.literal) return [];
    return [{ kind, name: key, line: entry.line, values: entry.values, entries: 'paths', verb }];
  };
  settings.push(...list('exclude', 'gains', 'leaves out'), ...list('include', 'keeps', 'checks'));
  settings.push(...list('files', 'keeps', 'checks'));
  // A config no longer extended may have been where `strict` came from: a warning, since a stricter one may replace it.
  settings.push(
    ...list('extends', 'keeps', 'extends').map((setting) => ({ ...setting, unsetValues: [], certain: false })),
  );
  return settings;
}
