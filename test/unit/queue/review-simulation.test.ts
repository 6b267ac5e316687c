import { describe, expect, it } from 'vitest';
import { summarizeSimulation } from '../../../bench/simulation/review-metrics.ts';
import {
  defaultSimulationOptions,
  type SimulationResult,
  simulateReview,
} from '../../../bench/simulation/review-model.ts';

// Five days: enough for the unpaced queue to pile up, short enough to run in well under a second.
const simulate = (admission: boolean, seed = 7): SimulationResult =>
  simulateReview({ ...defaultSimulationOptions(seed, admission), days: 5, backlogTasks: 1500 });

describe('review simulation', () => {
  it('with admission holds the review queue near capacity x target; without, it grows every day', () => {
    const admitted = simulate(true);
    const unpaced = simulate(false);
    const reviewerMax = admitted.options.reviewer.reviewMinutesPerDay.max;

    expect(admitted.maxWaitingMinutes).toBeLessThanOrEqual(2 * reviewerMax);
    const unpacedQueue = unpaced.days.map((day) => day.waitingMinutes);
    expect(unpacedQueue).toEqual([...unpacedQueue].sort((a, b) => a - b));
    expect(unpaced.days.at(-1)?.waitingMinutes).toBeGreaterThan(10 * (admitted.days.at(-1)?.waitingMinutes ?? 0));
    expect(summarizeSimulation(admitted).p90LatencyMinutes).toBeLessThan(
      summarizeSimulation(unpaced).p90LatencyMinutes ?? 0,
    );
    // The reviewers are the bottleneck: pacing the agents costs no decisions.
    expect(summarizeSimulation(admitted).decided).toBe(summarizeSimulation(unpaced).decided);
    expect(admitted.runsStarted).toBeLessThan(unpaced.runsStarted / 5);
  });

  it('loses no task and holds none twice, in either policy', () => {
    for (const result of [simulate(true), simulate(false)]) {
      expect(result.days.map((day) => [day.lost, day.duplicated])).toEqual(result.days.map(() => [0, 0]));
      expect(result.admitMiscounts).toBe(0);
    }
  });

  it('repeats exactly from a seed, and another seed gives other figures', () => {
    expect(simulate(true, 11)).toEqual(simulate(true, 11));
    expect(simulate(false, 11)).toEqual(simulate(false, 11));
    expect(simulate(true, 12).changes).not.toEqual(simulate(true, 11).changes);
  });

  it('decides changes oldest first, inside the reviewers’ window only', () => {
    const result = simulate(false);
    const { opensAt, closesAt } = result.options.reviewer;
    const decided = result.changes.flatMap((change) => (change.decidedAt === undefined ? [] : [change.decidedAt]));

    expect(decided.length).toBeGreaterThan(10);
    expect(decided).toEqual([...decided].sort((a, b) => a - b));
    for (const decidedAt of decided) {
      expect(decidedAt % 1440).toBeGreaterThanOrEqual(opensAt);
      expect(decidedAt % 1440).toBeLessThanOrEqual(closesAt);
    }
  });

  it('measures capacity from the decisions, close to what the reviewers actually spent', () => {
    const result = simulate(true);
    const spent = result.days.slice(0, -1).map((day) => day.reviewerMinutes);
    const measured = result.days.at(-1)?.capacityMinutesPerDay ?? 0;

    expect(measured).toBeGreaterThan(0.75 * Math.min(...spent));
    expect(measured).toBeLessThan(1.25 * Math.max(...spent));
  });
});
