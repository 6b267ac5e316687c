import { describe, expect, it } from 'vitest';
import { reviewCostSchema } from '../../../src/config/review-schema.ts';
import { estimateReviewCost } from '../../../src/queue/review-cost.ts';

const defaults = reviewCostSchema.parse({});

describe('estimateReviewCost', () => {
  it('adds a base, a cost per 100 lines and per file', () => {
    const cost = estimateReviewCost({ linesAdded: 150, linesDeleted: 50, files: ['a.js', 'b.js'] }, defaults);
    expect(cost.minutes).toBe(5 + 20 + 2);
    expect(cost.explanation).toBe('200 lines, 2 files: 27 min');
  });

  it('multiplies when a risky path is touched, and names how many', () => {
    const config = reviewCostSchema.parse({ risky_paths: ['migrations/**'], risky_factor: 3 });
    const cost = estimateReviewCost({ linesAdded: 10, linesDeleted: 0, files: ['migrations/001.sql'] }, config);
    expect(cost.minutes).toBe(21);
    expect(cost.risky).toEqual(['migrations/001.sql']);
    expect(cost.explanation).toBe('10 lines, 1 file, x3 for 1 risky file: 21 min');
  });
});
