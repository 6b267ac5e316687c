import { randomInt } from 'node:crypto';

const suffixLength = 4;

/**
 * A run id like `20261124-103012-k3f9`: the UTC date and time, then 4 random base36 characters.
 * Ids sort by creation time and are safe in branch names and paths.
 */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/-/g, '').replace(/:/g, '').replace('T', '-');
  const suffix = randomInt(36 ** suffixLength)
    .toString(36)
    .padStart(suffixLength, '0');
  return `${stamp}-${suffix}`;
}

/** True for a string shaped like `newRunId()`'s. */
export function isRunId(text: string): boolean {
  return /^\d{8}-\d{6}-[0-9a-z]{4}$/.test(text);
}
