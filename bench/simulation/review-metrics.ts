// Figures drawn from a review simulation: latencies, queue sizes, task conservation.
import type { SimulationResult } from './review-model.ts';
import { minutesPerDay } from './reviewer-schedule.ts';

/** Nearest-rank percentile (p in 0..1) of values; undefined when there are none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

export function mean(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Finished -> decided, in minutes, of every decided change. */
export function decidedLatencies(result: SimulationResult): number[] {
  return result.changes.flatMap((change) =>
    change.decidedAt === undefined ? [] : [change.decidedAt - change.finishedAt],
  );
}

/** Share of decided changes decided within `minutes`. */
export function shareWithin(result: SimulationResult, minutes: number): number {
  const latencies = decidedLatencies(result);
  return latencies.length === 0 ? 0 : latencies.filter((latency) => latency <= minutes).length / latencies.length;
}

/** One run's totals over its whole horizon. Latencies in minutes. */
export interface SimulationTotals {
  finished: number;
  decided: number;
  waitingItems: number;
  waitingMinutes: number;
  oldestWaitingMinutes: number;
  maxWaitingMinutes: number;
  p90LatencyMinutes: number | undefined;
  maxLatencyMinutes: number | undefined;
  /** Share of decided changes decided within the target latency. */
  withinTarget: number;
  /** Largest count, over the end-of-day checks, of tasks lost or held twice. */
  lost: number;
  duplicated: number;
  /** Decisions outside the reviewers' window (the model must never make one). */
  decisionsOffSchedule: number;
  /** Days (from the second on) whose end-of-day queue was longer, in review minutes, than the day before. */
  daysQueueGrew: number;
}

export function summarizeSimulation(result: SimulationResult): SimulationTotals {
  const latencies = decidedLatencies(result);
  const targetMinutes = result.options.review.target_latency / 60_000;
  const { opensAt, closesAt } = result.options.reviewer;
  const last = result.days.at(-1);
  return {
    finished: result.changes.length,
    decided: latencies.length,
    waitingItems: last?.waitingItems ?? 0,
    waitingMinutes: last?.waitingMinutes ?? 0,
    oldestWaitingMinutes: last?.oldestWaitingMinutes ?? 0,
    maxWaitingMinutes: result.maxWaitingMinutes,
    p90LatencyMinutes: percentile(latencies, 0.9),
    maxLatencyMinutes: latencies.length > 0 ? Math.max(...latencies) : undefined,
    withinTarget: shareWithin(result, targetMinutes),
    lost: Math.max(0, ...result.days.map((day) => day.lost)),
    duplicated: Math.max(0, ...result.days.map((day) => day.duplicated)),
    decisionsOffSchedule: result.changes.filter((change) => {
      if (change.decidedAt === undefined) return false;
      const minute = change.decidedAt % minutesPerDay;
      return minute < opensAt || minute > closesAt;
    }).length,
    daysQueueGrew: result.days.filter((day, index) => {
      const before = result.days[index - 1];
      return before !== undefined && day.waitingMinutes > before.waitingMinutes;
    }).length,
  };
}
