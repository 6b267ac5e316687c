import { z } from 'zod';

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds from seconds (a number) or a string such as "90s", "5m", "1h", "1d", "500ms". */
export function parseDuration(value: number | string): number {
  if (typeof value === 'number') return Math.round(value * 1000);
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(value);
  if (!match) throw new TypeError(`not a duration: ${JSON.stringify(value)}`);
  return Math.round(Number(match[1]) * unitMs[match[2] as keyof typeof unitMs]);
}

/** A duration in config: seconds as a number or a string with a unit; parsed to milliseconds. */
export const durationSchema = z
  .union([
    z.number().positive().describe('seconds'),
    z.string().regex(/^\s*\d+(\.\d+)?\s*(ms|s|m|h|d)\s*$/, 'expected a duration such as "90s", "5m", "1h" or "1d"'),
  ])
  .transform((value) => parseDuration(value))
  .describe('A duration: seconds as a number, or a string such as "500ms", "90s", "5m", "1h", "1d".');
