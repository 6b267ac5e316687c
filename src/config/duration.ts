import { z } from 'zod';
import { UsageError } from '../errors.ts';

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * The longest wait a Node timer can hold (2^31-1 ms, about 24.8 days). A longer delay overflows and
 * setTimeout fires after 1 ms: a "30d" timeout would kill a gate at once. Longer durations are refused.
 */
export const maxDurationMs = 2 ** 31 - 1;

const limitText = `at most ${Math.floor((maxDurationMs / unitMs.d) * 10) / 10} days (${maxDurationMs} ms, the longest a timer can wait)`;

function toMs(value: number | string): number | undefined {
  if (typeof value === 'number') return Math.round(value * 1000);
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(value);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * unitMs[match[2] as keyof typeof unitMs]);
}

/** Milliseconds from seconds (a number) or a string such as "90s", "5m", "1h", "1d", "500ms" (a command-line flag). */
export function parseDuration(value: number | string): number {
  const ms = toMs(value);
  if (ms === undefined)
    throw new UsageError(`not a duration: ${JSON.stringify(value)} (expected e.g. "90s", "5m", "1h")`);
  if (!(ms <= maxDurationMs)) throw new UsageError(`duration ${JSON.stringify(value)} is too long: ${limitText}`);
  return ms;
}

/** A duration in config: seconds as a number or a string with a unit; parsed to milliseconds. */
export const durationSchema = z
  .union([
    z.number().positive().describe('seconds'),
    z.string().regex(/^\s*\d+(\.\d+)?\s*(ms|s|m|h|d)\s*$/, 'expected a duration such as "90s", "5m", "1h" or "1d"'),
  ])
  .transform((value, context) => {
    const ms = toMs(value);
    if (ms !== undefined && ms <= maxDurationMs) return ms;
    context.issues.push({ code: 'custom', input: value, message: `duration too long: ${limitText}` });
    return z.NEVER;
  })
  .describe(
    'A duration: seconds as a number, or a string such as "500ms", "90s", "5m", "1h", "1d"; at most 24.8 days.',
  );
