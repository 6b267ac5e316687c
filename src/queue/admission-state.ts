import type { RunStore } from '../store/run-store.ts';
import type { AdmissionState } from './admission.ts';
import { calibrateReviewEstimates, type ReviewCalibration, realReviewMinutes } from './review-calibration.ts';
import { type ReviewCapacity, reviewCapacity } from './review-capacity.ts';

/** Expected review minutes of a run in flight before any change was measured. */
export const defaultExpectedRunMinutes = 15;
/** How many recent changes the expected cost of a run in flight averages over. */
const recentChanges = 20;

/** The store's state as admission reads it, at `now`. */
export async function readAdmissionState(
  store: RunStore,
  options: { running: number; now: Date; capacityMinutesPerDay?: number },
): Promise<AdmissionState & { capacity: ReviewCapacity; calibration?: ReviewCalibration }> {
  const [queued, items, today] = await Promise.all([
    store.queue.listTasks(['queued']),
    store.queue.listReviewItems(),
    store.usageTotals({ by: 'day', since: startOfUtcDay(options.now) }),
  ]);
  const waiting = items.filter((item) => item.status === 'waiting');
  const recent = items.slice(-recentChanges);
  // Once the review page measured real review time, everything is counted in real minutes: capacity
  // from measured rounds (the others' estimates corrected), and what waits corrected the same way.
  const calibration = calibrateReviewEstimates(items, options.now);
  const ratio = calibration?.ratio ?? 1;
  const decisions = items.flatMap((item) =>
    item.decidedAt ? [{ decidedAt: new Date(item.decidedAt), minutes: realReviewMinutes(item, calibration) }] : [],
  );
  const capacity = reviewCapacity(decisions, options.now, options.capacityMinutesPerDay);
  return {
    queued: queued.map((task) => ({ id: task.id, priority: task.priority, createdAt: task.createdAt })),
    running: options.running,
    reviewWaitingMinutes: waiting.reduce((sum, item) => sum + item.reviewMinutes, 0) * ratio,
    expectedRunMinutes:
      (recent.length === 0
        ? defaultExpectedRunMinutes
        : recent.reduce((sum, item) => sum + item.reviewMinutes, 0) / recent.length) * ratio,
    spentUsdToday: today.reduce((sum, day) => sum + (day.costUsd ?? 0), 0),
    capacity:
      calibration && capacity.source === 'measured'
        ? { ...capacity, explanation: `${capacity.explanation}, from recorded review time` }
        : capacity,
    ...(calibration ? { calibration } : {}),
  };
}

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
