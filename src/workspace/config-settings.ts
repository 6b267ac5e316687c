import { tmpdir } from 'node:os';
import { runGit } from './git.ts';

/** One `key=value` line of a git config file as git reads it; `value` null for a bare boolean key. */
export interface ConfigSetting {
  key: string;
  value: string | null;
}

/**
 * The settings a git config file's bytes hold, in order, as git itself parses them (includes not
 * followed: an `include.path` is a setting of its own). Null when git cannot read it as config.
 */
export async function parseConfigSettings(content: Buffer): Promise<ConfigSetting[] | null> {
  // Parsed from stdin in a neutral folder: no repository's (possibly broken) config is involved.
  const result = await runGit(tmpdir(), ['config', '--no-includes', '--file', '-', '--list', '-z'], {
    input: content.toString('utf8'),
  });
  if (result.exitCode !== 0) return null;
  return result.stdout
    .split('\0')
    .filter((record) => record !== '')
    .map((record) => {
      const newline = record.indexOf('\n');
      return newline === -1
        ? { key: record, value: null }
        : { key: record.slice(0, newline), value: record.slice(newline + 1) };
    });
}

// `git push --set-upstream` of a run's branch writes these, and deleting the branch removes them: Sluice's own
// doing while runs go on, for any run. Tracking settings never make git run a program.
const sluiceBranchTracking = /^branch\.sluice\/.+\.(remote|merge)$/;

/** Whether a setting is one Sluice itself writes for its run branches. */
export function isSluiceBranchTracking(setting: ConfigSetting): boolean {
  return sluiceBranchTracking.test(setting.key);
}

/**
 * The keys whose values differ between two parsed configs, each as "<key> set|changed|removed", Sluice's
 * own branch tracking left out; empty when they hold the same settings in the same order.
 */
export function changedConfigKeys(before: readonly ConfigSetting[], after: readonly ConfigSetting[]): string[] {
  const valuesBefore = valuesByKey(before.filter((setting) => !isSluiceBranchTracking(setting)));
  const valuesAfter = valuesByKey(after.filter((setting) => !isSluiceBranchTracking(setting)));
  const keys = [...new Set([...valuesBefore.keys(), ...valuesAfter.keys()])].sort();
  const changes: string[] = [];
  for (const key of keys) {
    const old = valuesBefore.get(key);
    const now = valuesAfter.get(key);
    if (old === undefined) changes.push(`${key} set`);
    else if (now === undefined) changes.push(`${key} removed`);
    else if (JSON.stringify(old) !== JSON.stringify(now)) changes.push(`${key} changed`);
  }
  return changes;
}

function valuesByKey(settings: readonly ConfigSetting[]): Map<string, Array<string | null>> {
  const values = new Map<string, Array<string | null>>();
  for (const { key, value } of settings) values.set(key, [...(values.get(key) ?? []), value]);
  return values;
}
