import { describe, expect, it } from 'vitest';
import { calibrateReviewEstimates, realReviewMinutes } from '../../../src/queue/review-calibration.ts';
import type { ReviewItemRecord } from '../../../src/store/task-records.ts';

const now = new Date('2026-12-07T12:00:00Z');
const item = (fields: Partial<ReviewItemRecord>): ReviewItemRecord => ({
  runId: 'r',
  round: 1,
  status: 'landed',
  reviewMinutes: 10,
  costExplanation: '',
  headCommit: 'a',
  evidencePath: '',
  createdAt: '2026-12-06T10:00:00Z',
  decidedAt: '2026-12-06T11:00:00Z',
  ...fields,
});

describe('calibrateReviewEstimates', () => {
  it('is undefined until a decided round was measured', () => {
    expect(
      calibrateReviewEstimates([item({}), item({ status: 'waiting', decidedAt: undefined, activeMs: 600_000 })], now),
    ).toBe(undefined);
  });

  it('compares observed with estimated minutes this week and says which way they are off', () => {
    const calibration = calibrateReviewEstimates(
      [item({ activeMs: 14 * 60_000 }), item({ reviewMinutes: 10, activeMs: 14 * 60_000 }), item({})],
      now,
    );
    expect(calibration).toMatchObject({
      decisions: 2,
      estimatedMinutes: 20,
      observedMinutes: 28,
      ratio: 1.4,
      window: 'week',
    });
    expect(calibration?.sentence).toBe(
      'estimates are 1.4x low this week (2 decisions: 28 min observed, 20 min estimated)',
    );
    const high = calibrateReviewEstimates([item({ activeMs: 5 * 60_000 })], now);
    expect(high?.sentence).toMatch(/^estimates are 2\.0x high this week/);
  });

  it('ignores glances, and falls back to every measured round when none is this week', () => {
    expect(calibrateReviewEstimates([item({ activeMs: 3_000 })], now)).toBeUndefined();
    const old = calibrateReviewEstimates([item({ decidedAt: '2026-11-01T00:00:00Z', activeMs: 10 * 60_000 })], now);
    expect(old).toMatchObject({ window: 'all', ratio: 1 });
    expect(old?.sentence).toMatch(/^estimates are about right so far/);
  });

  it('counts a round in real minutes: measured, or its estimate corrected by the calibration', () => {
    const calibration = calibrateReviewEstimates([item({ activeMs: 20 * 60_000 })], now);
    expect(realReviewMinutes(item({ activeMs: 6 * 60_000 }), calibration)).toBe(6);
    expect(realReviewMinutes(item({ reviewMinutes: 3 }), calibration)).toBe(6);
    expect(realReviewMinutes(item({ reviewMinutes: 3 }), undefined)).toBe(3);
  });
});
