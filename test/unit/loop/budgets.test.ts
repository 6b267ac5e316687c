import { describe, expect, it } from 'vitest';
import { budgetStop, refuseBudgets, totalsByModel } from '../../../src/loop/budgets.ts';
import type { ModelUsage } from '../../../src/usage/model-usage.ts';

const usage = (model: string, costUsd: number | null, tokens = 100): ModelUsage => ({
  model,
  inputTokens: tokens,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd,
  apiMs: 10,
  turns: 1,
});

describe('budgets', () => {
  it('stops before an iteration past the iteration limit, not during one', () => {
    const spent = { iterations: 3, wallMs: 0, usage: [] };
    expect(budgetStop(spent, { maxIterations: 3 }, { beforeIteration: true })).toBe(
      'reached the limit of 3 iterations',
    );
    expect(budgetStop(spent, { maxIterations: 3 }, { beforeIteration: false })).toBeUndefined();
  });

  it('stops on wall time, tokens and dollars', () => {
    expect(
      budgetStop(
        { iterations: 0, wallMs: 61_000, usage: [] },
        { maxIterations: 9, maxWallMs: 60_000 },
        { beforeIteration: false },
      ),
    ).toBe('reached the wall-time limit of 60s');
    expect(
      budgetStop(
        { iterations: 0, wallMs: 0, usage: [usage('m', 0.1, 600)] },
        { maxIterations: 9, maxTokens: 500 },
        { beforeIteration: false },
      ),
    ).toBe('used 600 tokens of a 500-token budget');
    expect(
      budgetStop(
        { iterations: 0, wallMs: 0, usage: [usage('a', 0.3), usage('b', 0.25)] },
        { maxIterations: 9, maxUsd: 0.5 },
        { beforeIteration: false },
      ),
    ).toBe('spent $0.55 of a $0.50 budget');
  });

  it('fails closed on an unknown cost under a USD budget, unless a token budget backs it', () => {
    const spent = { iterations: 0, wallMs: 0, usage: [usage('mystery', null)] };
    expect(budgetStop(spent, { maxIterations: 9, maxUsd: 5 }, { beforeIteration: false })).toContain(
      'the cost of model mystery is unknown',
    );
    expect(
      budgetStop(spent, { maxIterations: 9, maxUsd: 5, maxTokens: 1000 }, { beforeIteration: false }),
    ).toBeUndefined();
  });

  it('lets an agent that reports its cost at the end of a turn finish the turn before judging it', () => {
    const spent = { iterations: 0, wallMs: 0, usage: [usage('claude-new', null)] };
    expect(
      budgetStop(spent, { maxIterations: 9, maxUsd: 5 }, { beforeIteration: false, costPending: true }),
    ).toBeUndefined();
    expect(budgetStop(spent, { maxIterations: 9, maxUsd: 5 }, { beforeIteration: true })).toContain('unknown');
  });

  it('refuses at start a USD budget for an agent whose cost is unknowable', () => {
    expect(refuseBudgets({ maxIterations: 3, maxUsd: 1 }, 'unknown')).toContain('Add a token budget');
    expect(refuseBudgets({ maxIterations: 3, maxUsd: 1, maxTokens: 10 }, 'unknown')).toBeUndefined();
    expect(refuseBudgets({ maxIterations: 3, maxUsd: 1 }, 'reported')).toBeUndefined();
  });

  it('sums usage per model, keeping an unknown cost unknown', () => {
    expect(totalsByModel([usage('a', 0.1), usage('a', null), usage('b', 0.2)])).toEqual([
      { ...usage('a', null, 200), apiMs: 20, turns: 2 },
      usage('b', 0.2),
    ]);
  });
});
