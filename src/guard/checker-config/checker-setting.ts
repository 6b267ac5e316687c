/**
 * A setting of a linter's or type checker's configuration that decides how much it reports, as written in one
 * file. `name` is the setting as the checker's docs spell it, the same in every file the checker reads it from
 * (`compilerOptions.strict`, `rules.no-console`, `ignore`, `ignore_errors (module app.legacy.*)`), so a setting
 * moved from one file to another of the same folder compares with itself.
 */
interface SettingAt {
  name: string;
  /** 1-based line in its file. */
  line: number;
  /** The file, set by the reader of the file's folder; the setting readers leave it empty. */
  path?: string;
}

/**
 * A value on a scale, stricter the higher its rank: eslint's `off` < `warn` < `error`, pyright's `basic` <
 * `standard` < `strict`, a boolean flag (`strict: true` ranks 1). The same name may be set more than once
 * (a rule in several eslint config objects): lower ranks the base did not have are what loosens.
 */
export interface LevelSetting extends SettingAt {
  kind: 'level';
  /** As written, for the message. */
  value: string;
  /** Undefined when the file does not set it: the entry only tells the value in force then (`unsetRank`). */
  rank: number | undefined;
  /** The rank in force when no file sets it; undefined when the checker's preset or an `extends` decides. */
  unsetRank: number | undefined;
  /** The value in force when no file sets it, as the checker's docs write it, when known. */
  unsetValue?: string;
  /** The lowest rank that fails the run (`error`, `deny`): a value newly set below it, over an unknown default, may loosen. */
  failRank: number;
  /** `false` when lowering it may well be harmless (`ignore_missing_imports`): a warning, not a block. */
  certain?: boolean;
}

/** How the entries of a list compare: error codes cover the codes they prefix (`E` covers `E501`), paths do not. */
export type EntryKind = 'codes' | 'paths' | 'names';

/**
 * A list whose new entries loosen (`gains`: `ignore`, `exclude`, `disable`) or whose lost entries do
 * (`keeps`: `select`, `include`, `enable`).
 */
export interface ListSetting extends SettingAt {
  kind: 'gains' | 'keeps';
  values: string[];
  entries: EntryKind;
  /** The list in force when the setting is absent; undefined when that is every file or code (`include`). */
  unsetValues?: readonly string[];
  /** What the checker does with an entry, for the message: `ignores`, `leaves out`, `disables`, `selects`. */
  verb: string;
  /** `false` when the change may be harmless (an `extends` preset replaced): a warning, not a block. */
  certain?: boolean;
  /**
   * The `keeps` list that says which codes are checked at all (`select` for ruff's `ignore`): a code newly
   * ignored counts only where the base selected it (ignoring part of a family selected anew hides nothing).
   */
  within?: string;
  /** Reported only when the base had the list (a new one is reported by another setting). */
  onlyWhenAtBase?: boolean;
}

export type CheckerSetting = LevelSetting | ListSetting;

/** One way the change makes a checker report less. */
export interface Loosening {
  setting: string;
  effect: string;
  /** The file holding the setting now, else at the base. */
  path: string;
  /** Line in the working tree when the setting is still there, else at the base. */
  line: number;
  before: string;
  after: string;
  certain: boolean;
}

/** A boolean flag on the 0-1 scale: `stricter` is the value that makes the checker report more. */
export function flag(
  name: string,
  value: boolean | undefined,
  line: number,
  options: { stricter: boolean; unset: boolean | undefined; certain?: boolean },
): LevelSetting {
  const rankOf = (on: boolean) => (on === options.stricter ? 1 : 0);
  return {
    kind: 'level',
    name,
    line,
    value: value === undefined ? '(not set)' : String(value),
    rank: value === undefined ? undefined : rankOf(value),
    unsetRank: options.unset === undefined ? undefined : rankOf(options.unset),
    ...(options.unset === undefined ? {} : { unsetValue: String(options.unset) }),
    failRank: 1,
    ...(options.certain === false ? { certain: false } : {}),
  };
}

/** A value on a named scale (`{ off: 0, warn: 1, error: 2 }`); undefined for a value the scale does not know. */
export function level(
  name: string,
  value: string,
  line: number,
  scale: Readonly<Record<string, number>>,
  unset: string | undefined,
  failRank = Math.max(...Object.values(scale)),
): LevelSetting | undefined {
  const rank = Object.hasOwn(scale, value) ? scale[value] : undefined;
  if (rank === undefined) return undefined;
  const unsetRank = unset !== undefined && Object.hasOwn(scale, unset) ? scale[unset] : undefined;
  const unsetValue = unsetRank === undefined ? {} : { unsetValue: unset };
  return { kind: 'level', name, line, value, rank, unsetRank, failRank, ...unsetValue };
}

/**
 * A level written as code the guard does not evaluate (`eqeqeq: level`): taken to fail the run as before, so
 * it neither reads as removed nor as lowered.
 */
export function unreadLevel(name: string, value: string, line: number, failRank: number): LevelSetting {
  return { kind: 'level', name, line, value, rank: failRank, unsetRank: undefined, failRank };
}

/** Whether an INI or TOML value reads as true or false; undefined when it is neither. */
export function booleanOf(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  if (/^(?:true|yes|on|1)$/i.test(value.trim())) return true;
  if (/^(?:false|no|off|0)$/i.test(value.trim())) return false;
  return undefined;
}
