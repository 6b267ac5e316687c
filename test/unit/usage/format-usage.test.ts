import { describe, expect, it } from 'vitest';
import { compactCount, formatApiTime, formatUsageLine } from '../../../src/usage/format-usage.ts';

describe('formatUsageLine', () => {
  it('reads like the receipt users know', () => {
    const line = formatUsageLine({
      model: 'claude-haiku-4-5',
      inputTokens: 2_700,
      outputTokens: 115_300,
      cacheReadTokens: 16_300_000,
      cacheWriteTokens: 867_900,
      costUsd: 3.3,
      apiMs: 9_780_000,
      turns: 40,
    });
    expect(line).toBe(
      'claude-haiku-4-5: 2.7k input, 115.3k output, 16.3m cache read, 867.9k cache write ($3.30), API 2h 43m',
    );
  });

  it('says an unknown cost is unknown', () => {
    const line = formatUsageLine({
      model: 'x',
      inputTokens: 5,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: null,
      apiMs: 420,
      turns: 1,
    });
    expect(line).toBe('x: 5 input, 0 output, 0 cache read, 0 cache write (cost unknown), API 420ms');
  });

  it('compacts counts and times', () => {
    expect([compactCount(999), compactCount(1000), compactCount(2_900_000)]).toEqual(['999', '1.0k', '2.9m']);
    expect([formatApiTime(42_000), formatApiTime(123_000)]).toEqual(['42s', '2m 03s']);
  });
});
