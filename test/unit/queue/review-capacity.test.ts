import { describe, expect, it } from 'vitest';
import { reviewCapacity } from '../../../src/queue/review-capacity.ts';

const at = (iso: string) => new Date(iso);

describe('reviewCapacity', () => {
  it('uses the configured figure when there is one', () => {
    expect(reviewCapacity([], at('2026-11-24T12:00:00Z'), 90)).toMatchObject({
      minutesPerDay: 90,
      source: 'configured',
    });
  });

  it('assumes a default, and says so, before any decision', () => {
    const capacity = reviewCapacity([], at('2026-11-24T12:00:00Z'));
    expect(capacity).toMatchObject({ minutesPerDay: 60, source: 'default' });
    expect(capacity.explanation).toContain('no review decided yet');
  });

  it('measures minutes decided per day, weighting recent days more, days without review counting as zero', () => {
    const steady = [1, 2, 3, 4].map((day) => ({ decidedAt: at(`2026-11-2${day}T15:00:00Z`), minutes: 100 }));
    expect(reviewCapacity(steady, at('2026-11-25T09:00:00Z')).minutesPerDay).toBe(100);
    // The reviewer stopped for two days: capacity falls.
    const stopped = reviewCapacity(steady, at('2026-11-27T09:00:00Z'));
    expect(stopped.minutesPerDay).toBeLessThan(60);
    expect(stopped).toMatchObject({ source: 'measured' });
  });

  it('does not count the morning of today as a day without review', () => {
    const decisions = [{ decidedAt: at('2026-11-23T15:00:00Z'), minutes: 120 }];
    expect(reviewCapacity(decisions, at('2026-11-24T08:00:00Z')).minutesPerDay).toBe(120);
  });
});
