import { afterEach, describe, expect, it } from 'vitest';
import type { MetricResult } from '../../../src/gates/bench/bench-types.ts';
import type { GateResult } from '../../../src/gates/gate-results.ts';
import { RunStore } from '../../../src/store/run-store.ts';
import { tempDir } from '../../support/temp-dir.ts';

const stores: RunStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

function benchGate(name: string, medians: Record<string, number>): GateResult {
  const metrics: MetricResult[] = Object.entries(medians).map(([metric, median]) => ({
    metric,
    better: 'lower',
    samples: [median],
    median,
    interval: [median, median],
    goals: [],
  }));
  return {
    name,
    kind: 'bench',
    tier: 1,
    blocking: true,
    status: 'passed',
    durationMs: 1,
    failures: [],
    problems: [],
    bench: { runs: 1, metrics },
  };
}

describe('bench results in the run store', () => {
  it('records every metric of every bench gate and lists them oldest first', async () => {
    let clock = Date.parse('2026-11-24T10:00:00Z');
    const tick = () => {
      clock += 1000;
      return new Date(clock);
    };
    const store = await RunStore.open(`${tempDir('bench-store-')}/s.db`, { now: tick });
    stores.push(store);
    const plain: GateResult = { ...benchGate('unit', {}), kind: 'test' };
    delete plain.bench;
    expect(await store.bench.record([plain])).toBe(0);
    expect(await store.bench.record([benchGate('speed', { p50_ms: 40, rss_mb: 80 }), plain], { commit: 'c0' })).toBe(2);
    await store.bench.record([benchGate('speed', { p50_ms: 30, rss_mb: 81 })], {
      runId: 'r1',
      iteration: 1,
      commit: 'c1',
    });
    await store.bench.record([benchGate('speed', { p50_ms: 20, rss_mb: 82 })], { runId: 'r1', iteration: 2 });

    const p50 = await store.bench.list({ gate: 'speed', metric: 'p50_ms' });
    expect(p50.map((record) => record.result.median)).toEqual([40, 30, 20]);
    expect(p50[0]).toMatchObject({ commit: 'c0' });
    expect(p50[0]?.runId).toBeUndefined();
    expect(p50[1]).toMatchObject({ runId: 'r1', iteration: 1, commit: 'c1' });

    const ofRun = await store.bench.list({ runId: 'r1' });
    expect(ofRun).toHaveLength(4);
    const newest = await store.bench.list({ limit: 1 });
    expect(newest.map((record) => [record.result.metric, record.result.median])).toEqual([
      ['p50_ms', 20],
      ['rss_mb', 82],
    ]);
  });
});
