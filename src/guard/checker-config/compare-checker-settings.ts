import type { CheckerSetting, EntryKind, LevelSetting, ListSetting, Loosening } from './checker-setting.ts';

/**
 * Every way the checker settings of a folder (or one file) at the base differ from those in the working tree
 * that make the checker report less: a level lowered, an ignore list grown, a select list narrowed. Tightening,
 * reformatting, reordering and moving a setting between the files of one group are no loosening.
 */
export function compareCheckerSettings(
  before: readonly CheckerSetting[],
  after: readonly CheckerSetting[],
  fallbackPath: string,
): Loosening[] {
  const names = [...new Set([...before, ...after].map((setting) => setting.name))];
  return names.flatMap((name) => {
    const was = before.filter((setting) => setting.name === name);
    const now = after.filter((setting) => setting.name === name);
    const sample = now[0] ?? was[0];
    if (!sample) return [];
    const where = placeOf(was, now, fallbackPath);
    if (sample.kind === 'level') return levelLoosenings(name, was.filter(isLevel), now.filter(isLevel), where);
    const scope = sample.within === undefined ? undefined : selectedAtBase(sample.within, before, after);
    return listLoosenings(sample, was.filter(isList), now.filter(isList), where, scope);
  });
}

type Place = { path: string; line: number };

/** The entries of the list `name` at the base (or its default); undefined when no side has it. */
function selectedAtBase(
  name: string,
  before: readonly CheckerSetting[],
  after: readonly CheckerSetting[],
): readonly string[] | undefined {
  const lists = (settings: readonly CheckerSetting[]) =>
    settings.filter((setting): setting is ListSetting => isList(setting) && setting.name === name);
  const atBase = lists(before);
  if (atBase.length > 0) return atBase.flatMap((setting) => setting.values);
  return lists(after)[0]?.unsetValues;
}

function placeOf(was: readonly CheckerSetting[], now: readonly CheckerSetting[], fallbackPath: string): Place {
  const written = (settings: readonly CheckerSetting[]) =>
    settings.find((setting) => setting.kind !== 'level' || setting.rank !== undefined) ?? settings[0];
  const at = written(now) ?? written(was);
  return { path: at?.path ?? fallbackPath, line: at?.line ?? 1 };
}

function isLevel(setting: CheckerSetting): setting is LevelSetting {
  return setting.kind === 'level';
}

function isList(setting: CheckerSetting): setting is ListSetting {
  return setting.kind !== 'level';
}

function levelLoosenings(
  name: string,
  was: readonly LevelSetting[],
  now: readonly LevelSetting[],
  where: Place,
): Loosening[] {
  const writtenBefore = was.filter((setting) => setting.rank !== undefined);
  const writtenNow = now.filter((setting) => setting.rank !== undefined);
  if (writtenBefore.length === 0 && writtenNow.length === 0) return [];
  const unsetOf = (side: readonly LevelSetting[], other: readonly LevelSetting[]) => (side[0] ?? other[0])?.unsetRank;
  const ranksOf = (written: readonly LevelSetting[], unset: number | undefined) =>
    written.length > 0 ? written.map((setting) => setting.rank ?? 0) : unset === undefined ? [] : [unset];
  const before = ranksOf(writtenBefore, unsetOf(was, now));
  const after = ranksOf(writtenNow, unsetOf(now, was));
  const unsetValueOf = (side: readonly LevelSetting[], other: readonly LevelSetting[]) =>
    (side[0] ?? other[0])?.unsetValue;
  const shown = (written: readonly LevelSetting[], unsetValue: string | undefined) =>
    written.length > 0
      ? written.map((setting) => setting.value).join(', ')
      : `(not set${unsetValue === undefined ? '' : `: ${unsetValue} by default`})`;
  const loosening = (effect: string, certain: boolean): Loosening[] => [
    {
      setting: name,
      effect,
      ...where,
      before: shown(writtenBefore, unsetValueOf(was, now)),
      after: shown(writtenNow, unsetValueOf(now, was)),
      certain: certain && (was[0] ?? now[0])?.certain !== false,
    },
  ];
  const failRank = (now[0] ?? was[0])?.failRank ?? 1;
  if (after.length === 0) {
    // Removed, and what is in force now is a preset's or an extended config's: it may be lower.
    return Math.max(...before) > 0 ? loosening('was removed: the value in force now comes from a preset', false) : [];
  }
  const weakest = writtenNow.reduce<LevelSetting | undefined>(
    (low, setting) => (low === undefined || (setting.rank ?? 0) < (low.rank ?? 0) ? setting : low),
    undefined,
  );
  const removedNote = writtenNow.length === 0 ? ' (by default, since it was removed)' : '';
  const nowValue = weakest?.value ?? unsetValueOf(now, was) ?? 'its default';
  if (before.length === 0) {
    // Set anew over a default only the checker's preset knows: off is off; in between may be lower.
    const lowest = Math.min(...after);
    if (lowest === 0) return loosening(`is now ${nowValue}`, true);
    return lowest < failRank ? loosening(`is now ${nowValue}, which may be below its preset's level`, false) : [];
  }
  const lowered = [...new Set([...before, ...after])]
    .filter((rank) => rank < Math.max(...before, ...after))
    .some((rank) => countAtMost(after, rank) > countAtMost(before, rank));
  return lowered ? loosening(`is now ${nowValue}${removedNote}`, true) : [];
}

function countAtMost(ranks: readonly number[], rank: number): number {
  return ranks.filter((value) => value <= rank).length;
}

function listLoosenings(
  sample: ListSetting,
  was: readonly ListSetting[],
  now: readonly ListSetting[],
  where: Place,
  selected: readonly string[] | undefined,
): Loosening[] {
  if (sample.onlyWhenAtBase && was.length === 0) return [];
  const valuesOf = (side: readonly ListSetting[]) =>
    side.length > 0 ? [...new Set(side.flatMap((setting) => setting.values))] : sample.unsetValues;
  const before = valuesOf(was);
  const after = valuesOf(now);
  const shown = (values: readonly string[] | undefined, side: readonly ListSetting[]) =>
    values === undefined ? '(not set)' : `${JSON.stringify(values)}${side.length === 0 ? ' (the default)' : ''}`;
  const covered = coverOf(sample.entries);
  let changed: string[];
  let effect: string;
  if (sample.kind === 'gains') {
    // A code newly ignored hides something only where the base checked it (its `select` covers or overlaps it).
    const wasChecked = (entry: string) =>
      selected === undefined || selected.some((code) => covered(code, entry) || covered(entry, code));
    changed = (after ?? []).filter(
      (entry) =>
        !(before ?? []).some((old) => covered(old, entry)) && !isGenerated(sample.entries, entry) && wasChecked(entry),
    );
    effect = `now also ${sample.verb} ${listValues(changed)}`;
  } else {
    // A list absent now means every file or code again (`include`), unless the checker has a default list.
    if (before === undefined || after === undefined) return [];
    changed = before.filter((entry) => !after.some((kept) => covered(kept, entry)));
    effect = `no longer ${sample.verb} ${listValues(changed)}`;
  }
  if (changed.length === 0) return [];
  return [
    {
      setting: sample.name,
      effect,
      ...where,
      before: shown(before, was),
      after: shown(after, now),
      certain: sample.certain !== false,
    },
  ];
}

/** Whether entry `wide` of a list takes in entry `narrow`: the same entry, a code prefix (`E` of `E501`), a folder. */
function coverOf(kind: EntryKind): (wide: string, narrow: string) => boolean {
  if (kind === 'codes') {
    return (wide, narrow) => {
      const [a, b] = [normalCode(wide), normalCode(narrow)];
      return a === b || a === 'ALL' || (b.startsWith(a) && /^\d/.test(b.slice(a.length)));
    };
  }
  if (kind === 'paths') {
    // A folder takes in what is under it (`src` covers `src/**/*.ts`); `.` and `**` take in everything.
    return (wide, narrow) => {
      const [a, b] = [normalPath(wide), normalPath(narrow)];
      return a === b || ['', '.', '**'].includes(a) || b.startsWith(`${a}/`);
    };
  }
  return (wide, narrow) => wide.trim() === narrow.trim();
}

function normalCode(code: string): string {
  return code.trim().replace(/\s+/g, ' ');
}

/** `./src/`, `src/**` and `src/**\/*` all name the folder `src`. */
function normalPath(path: string): string {
  return path
    .trim()
    .replace(/^\.\//, '')
    .replace(/(?:\/\*\*)?(?:\/\*)?\/?$/, '');
}

/** Folders of build output, dependencies and caches: leaving them out of a check hides no code of the project. */
const generatedFolder =
  /^(?:\*\*\/)?(?:node_modules|dist|build|out|coverage|target|vendor|\.venv|venv|env|\.env|\.tox|\.nox|\.git|__pycache__|site-packages|\.mypy_cache|\.ruff_cache|\.pytest_cache|\.next|\.nuxt|\.svelte-kit|\.turbo|\.cache|\.output|\.eggs|[\w.-]*\.egg-info|\.direnv)(?:\/|$)/;

function isGenerated(kind: EntryKind, entry: string): boolean {
  return kind === 'paths' && generatedFolder.test(normalPath(entry).replace(/^!+/, ''));
}

function listValues(values: readonly string[]): string {
  return values.map((value) => `\`${value}\``).join(', ');
}
