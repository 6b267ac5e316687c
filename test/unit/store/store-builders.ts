import type { GateResult } from '../../../src/gates/gate-results.ts';
import type { NewRun } from '../../../src/store/run-records.ts';
import type { ModelUsage } from '../../../src/usage/model-usage.ts';

// Plain builders, free of vitest, so store-child.ts can use them in its own process.

/** A clock the test moves by hand. */
export function manualClock(startIso: string): { now: () => Date; set: (iso: string) => void } {
  let current = new Date(startIso);
  return {
    now: () => current,
    set: (iso) => {
      current = new Date(iso);
    },
  };
}

export function newRun(overrides: Partial<NewRun> = {}): NewRun {
  return {
    goal: 'make the cart total right',
    agent: 'claude-code',
    model: 'claude-sonnet-4-5',
    repoRoot: '/repos/shop',
    baseRef: 'main',
    baseCommit: '0123456789abcdef0123456789abcdef01234567',
    branch: 'sluice/run',
    worktreePath: '/repos/shop/.sluice/worktrees/run',
    options: { budgets: { maxIterations: 5, maxUsd: 2.5 }, acceptance: ['npm test'] },
    ...overrides,
  };
}

export function gate(overrides: Partial<GateResult> & { name: string }): GateResult {
  return {
    kind: 'test',
    tier: 1,
    blocking: true,
    status: 'passed',
    durationMs: 120,
    failures: [],
    problems: [],
    ...overrides,
  };
}

export function usage(model: string, overrides: Partial<ModelUsage> = {}): ModelUsage {
  return {
    model,
    inputTokens: 1000,
    outputTokens: 200,
    cacheReadTokens: 5000,
    cacheWriteTokens: 300,
    costUsd: 0.25,
    apiMs: 1500,
    turns: 2,
    ...overrides,
  };
}
