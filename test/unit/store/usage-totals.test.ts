import { describe, expect, it } from 'vitest';
import type { RunStore } from '../../../src/store/run-store.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { manualClock, newRun, usage } from './store-builders.ts';
import { openStore } from './store-fixtures.ts';

// Costs are sums of binary fractions (0.25, 0.5, 0.125) so the expected totals are exact.
async function recordTwoDaysOfUsage(): Promise<RunStore> {
  const clock = manualClock('2026-11-23T23:59:59.999Z');
  const store = await openStore(tempDir(), { now: clock.now });
  await store.createRun(newRun({ id: 'run-a' }));
  await store.recordUsage('run-a', 1, [usage('sonnet', { costUsd: 0.25 }), usage('haiku', { costUsd: 0.125 })]);
  clock.set('2026-11-24T00:00:00.000Z');
  await store.createRun(newRun({ id: 'run-b' }));
  await store.recordUsage('run-a', 2, [usage('sonnet', { costUsd: 0.5, inputTokens: 7, turns: 1 })]);
  await store.recordUsage('run-b', 1, [usage('local-llama', { costUsd: null, outputTokens: 1 })]);
  await store.recordUsage('run-b', 2, [usage('sonnet', { costUsd: 0.25, apiMs: 5 })]);
  return store;
}

describe('RunStore usage totals', () => {
  it('sums every field by model, ordered by model, with exact token and cost sums', async () => {
    const store = await recordTwoDaysOfUsage();
    expect(await store.usageTotals({ by: 'model' })).toEqual([
      {
        key: 'haiku',
        inputTokens: 1000,
        outputTokens: 200,
        cacheReadTokens: 5000,
        cacheWriteTokens: 300,
        costUsd: 0.125,
        apiMs: 1500,
        turns: 2,
        records: 1,
        unknownCostRecords: 0,
      },
      {
        key: 'local-llama',
        inputTokens: 1000,
        outputTokens: 1,
        cacheReadTokens: 5000,
        cacheWriteTokens: 300,
        costUsd: null,
        apiMs: 1500,
        turns: 2,
        records: 1,
        unknownCostRecords: 1,
      },
      {
        key: 'sonnet',
        inputTokens: 2007,
        outputTokens: 600,
        cacheReadTokens: 15000,
        cacheWriteTokens: 900,
        costUsd: 1,
        apiMs: 3005,
        turns: 5,
        records: 3,
        unknownCostRecords: 0,
      },
    ]);
  });

  it('sums by UTC day and by run; one unknown cost makes the group cost unknown, never 0', async () => {
    const store = await recordTwoDaysOfUsage();
    const byDay = await store.usageTotals({ by: 'day' });
    expect(byDay.map((total) => [total.key, total.costUsd, total.records, total.unknownCostRecords])).toEqual([
      ['2026-11-23', 0.375, 2, 0],
      ['2026-11-24', null, 3, 1],
    ]);
    expect(byDay[1]?.inputTokens).toBe(2007);
    const byRun = await store.usageTotals({ by: 'run' });
    expect(byRun.map((total) => [total.key, total.costUsd, total.outputTokens, total.unknownCostRecords])).toEqual([
      ['run-a', 0.875, 600, 0],
      ['run-b', null, 201, 1],
    ]);
  });

  it('filters by run and by start time', async () => {
    const store = await recordTwoDaysOfUsage();
    const sinceMidnight = await store.usageTotals({ by: 'model', since: new Date('2026-11-24T00:00:00.000Z') });
    expect(sinceMidnight.map((total) => [total.key, total.costUsd, total.records])).toEqual([
      ['local-llama', null, 1],
      ['sonnet', 0.75, 2],
    ]);
    const ofRunA = await store.usageTotals({ by: 'day', runId: 'run-a' });
    expect(ofRunA.map((total) => [total.key, total.costUsd])).toEqual([
      ['2026-11-23', 0.375],
      ['2026-11-24', 0.5],
    ]);
    expect(await store.usageTotals({ by: 'run', runId: 'no-such-run' })).toEqual([]);
  });

  it("gives a run's spending per model as ModelUsage, for budgets on resume", async () => {
    const store = await recordTwoDaysOfUsage();
    expect(await store.runUsage('run-b')).toEqual([
      usage('local-llama', { costUsd: null, outputTokens: 1 }),
      usage('sonnet', { costUsd: 0.25, apiMs: 5 }),
    ]);
    const [sonnet] = await store.runUsage('run-a').then((models) => models.filter((model) => model.model === 'sonnet'));
    expect(sonnet).toEqual(
      usage('sonnet', {
        inputTokens: 1007,
        outputTokens: 400,
        cacheReadTokens: 10000,
        cacheWriteTokens: 600,
        costUsd: 0.75,
        apiMs: 3000,
        turns: 3,
      }),
    );
  });

  it('keeps a fractional cost as recorded', async () => {
    const store = await openStore(tempDir());
    await store.createRun(newRun({ id: 'run-a' }));
    await store.recordUsage('run-a', 1, [usage('m', { costUsd: 0.1 }), usage('m', { costUsd: 0.2 })]);
    const [total] = await store.usageTotals({ by: 'model' });
    expect(total?.costUsd).toBeCloseTo(0.3, 12);
  });
});
