/**
 * Whether a test runner collects a file, as far as the guard can tell from the runner's configuration:
 * `no` only when it is sure (the reason says why), `unknown` when the configuration is more than it reads.
 */
export type Collection =
  | { collected: 'yes' }
  | { collected: 'no'; runner: string; reason: string }
  | { collected: 'unknown' };

export const collectedYes: Collection = { collected: 'yes' };
export const collectedUnknown: Collection = { collected: 'unknown' };

export function notCollected(runner: string, reason: string): Collection {
  return { collected: 'no', runner, reason };
}
