import { describe, expect, it } from 'vitest';
import { formatAge, formatReviewList, type ReviewListEntry } from '../../../src/review/review-listing.ts';

const entry = (overrides: Partial<ReviewListEntry>): ReviewListEntry => ({
  runId: '20261124-100000-aaaa',
  round: 1,
  status: 'waiting',
  reviewMinutes: 90,
  costExplanation: '300 lines, 4 files: 39 min',
  headCommit: 'a'.repeat(40),
  evidencePath: '/repo/.sluice/runs/x/evidence.md',
  createdAt: '2026-11-24T10:00:00.000Z',
  goal: 'Give 10% off from 10 items',
  verdict: 'done',
  branch: 'sluice/20261124-100000-aaaa',
  ...overrides,
});

describe('the review list', () => {
  it('shows waiting items with age, minutes and verdict, and the hours waiting in all', () => {
    const now = new Date('2026-11-24T12:30:00.000Z');
    const lines = formatReviewList(
      [
        entry({}),
        entry({ runId: '20261124-110000-bbbb', round: 2, reviewMinutes: 120, createdAt: '2026-11-24T12:29:15.000Z' }),
        entry({
          runId: '20261124-090000-cccc',
          status: 'changes-requested',
          decidedAt: '2026-11-24T11:00:00.000Z',
          decisionNote: 'Split the helper out\nand test it',
        }),
      ],
      now,
    );
    expect(lines).toEqual([
      '20261124-100000-aaaa  waiting 2h  90 min  done  Give 10% off from 10 items',
      '    300 lines, 4 files: 39 min',
      '20261124-110000-bbbb  waiting 45s  120 min  done  Give 10% off from 10 items',
      '    300 lines, 4 files: 39 min · round 2',
      '20261124-090000-cccc  changes-requested 2026-11-24T11:00:00.000Z  90 min  done  Give 10% off from 10 items',
      '    300 lines, 4 files: 39 min',
      '    Split the helper out',
      '',
      'review queue 3.5 h waiting (2 items)',
    ]);
  });

  it('says so when nothing waits', () => {
    expect(formatReviewList([], new Date())).toEqual([
      'Nothing waiting for review.',
      '',
      'review queue 0.0 h waiting (0 items)',
    ]);
  });

  it('gives ages in the largest whole unit', () => {
    expect([-5, 59_999, 60_000, 3_599_999, 3_600_000, 86_400_000 * 3].map(formatAge)).toEqual([
      '0s',
      '59s',
      '1m',
      '59m',
      '1h',
      '3d',
    ]);
  });
});
