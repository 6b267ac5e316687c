import type { RunStore } from '../store/run-store.ts';
import type { AdmissionState } from './admission.ts';
import { type ReviewCapacity, reviewCapacity } from './review-capacity.ts';

/** Expected review minutes of a run in flight before any change was measured. */
export const defaultExpectedRunMinutes = 15;
/** How many recent changes the expected cost of a run in flight averages over. */
const recentChanges = 20;

/** The store's state as admission reads it, at `now`. */
export async function readAdmissionState(
  store: RunStore,
  options: { running: number; now: Date; capacityMinutesPerDay?: number },
): Promise<AdmissionState & { capacity: ReviewCapacity }> {
  const [queued, items, today] = await Promise.all([
    store.queue.listTasks(['queued']),
    store.queue.listReviewItems(),
    store.usageTotals({ by: 'day', since: startOfUtcDay(options.now) }),
  ]);
  const waiting = items.filter((item) => item.status === 'waiting');
  const recent = items.slice(-recentChanges);
  const decisions = items.flatMap((item) =>
    item.decidedAt ? [{ decidedAt: new Date(item.decidedAt), minutes: item.reviewMinutes }] : [],
  );
  return {
    queued: queued.map((task) => ({ id: task.id, priority: task.priority, createdAt: task.createdAt })),
    running: options.running,
    reviewWaitingMinutes: waiting.reduce((sum, item) => sum + item.reviewMinutes, 0),
    expectedRunMinutes:
      recent.length === 0
        ? defaultExpectedRunMinutes
        : recent.reduce((sum, item) => sum + item.reviewMinutes, 0) / recent.length,
    spentUsdToday: today.reduce((sum, day) => sum + (day.costUsd ?? 0), 0),
    capacity: reviewCapacity(decisions, options.now, options.capacityMinutesPerDay),
  };
}

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
