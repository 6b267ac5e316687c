import { afterEach, describe, expect, it } from 'vitest';
import type { MetricResult } from '../../../src/gates/bench/bench-types.ts';
import { resumeGymTracker } from '../../../src/loop/gym-run.ts';
import { RunStore } from '../../../src/store/run-store.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { gate, newRun } from '../store/store-builders.ts';

const stores: RunStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

function speed(ratio: number): MetricResult {
  return {
    metric: 'p50_ms',
    unit: 'ms',
    better: 'lower',
    samples: [40 * ratio],
    median: 40 * ratio,
    interval: [40 * ratio, 40 * ratio],
    ratio: { value: ratio, interval: [ratio, ratio] },
    change: 'improved',
    goals: [
      { goal: 'p50_ms ratio <= 0.5', verdict: ratio <= 0.5 ? 'goal-met' : 'goal-missed', value: ratio, on: 'ratio' },
    ],
  };
}

describe('a resumed gym run', () => {
  it('rebuilds its best result and its patience from the iterations already recorded', async () => {
    const store = await RunStore.open(`${tempDir('gym-resume-')}/s.db`);
    stores.push(store);
    const run = await store.createRun(newRun());
    const iterations: Array<{ ratio: number; unit: 'passed' | 'failed' }> = [
      { ratio: 0.8, unit: 'passed' },
      { ratio: 0.6, unit: 'passed' },
      { ratio: 0.4, unit: 'failed' }, // faster, but broke the tests: never the best
      { ratio: 0.7, unit: 'passed' },
    ];
    for (const [index, { ratio, unit }] of iterations.entries()) {
      const number = index + 1;
      await store.startIteration(run.id, number, { promptChars: 10 });
      const gates = [
        gate({ name: 'unit', status: unit }),
        gate({ name: 'speed', kind: 'bench', status: 'failed', bench: { runs: 7, metrics: [speed(ratio)] } }),
      ];
      await store.recordGateResults(run.id, number, gates);
      await store.bench.record(gates, { runId: run.id, iteration: number });
      await store.finishIteration(run.id, number, {
        agentStatus: 'finished',
        commitSha: `c${number}`,
        checkVerdict: 'failed',
      });
    }
    const gym = await resumeGymTracker(store, run.id, 3);
    expect(gym.points.map((point) => point.iteration)).toEqual([1, 2, 3, 4]);
    expect(gym.best).toMatchObject({ iteration: 2, commit: 'c2' });
    expect(gym.points[2]?.sound).toBe(false);
    // Two iterations without progress are remembered: the third in a row after the resume stalls.
    const step = gym.observe(5, 'c5', {
      verdict: 'failed',
      gates: [
        gate({ name: 'unit' }),
        gate({ name: 'speed', kind: 'bench', status: 'failed', bench: { runs: 7, metrics: [speed(0.65)] } }),
      ],
      durationMs: 1,
      cancelled: false,
    });
    expect(step.stall).toContain('best: iteration 2');
  });
});
