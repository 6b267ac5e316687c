import type { ReviewCapacity } from './review-capacity.ts';

/** A task waiting to start. */
export interface QueuedTask {
  id: string;
  /** Higher goes first; equal priorities go oldest first. */
  priority: number;
  createdAt: string;
}

/** What admission looks at: the store's state at one moment. */
export interface AdmissionState {
  /** In the order they were queued, oldest first. */
  queued: readonly QueuedTask[];
  /** Runs started and not yet ended. */
  running: number;
  /** Estimated review minutes of finished changes waiting for a human. */
  reviewWaitingMinutes: number;
  /** Estimated review minutes one run in flight will add when it finishes. */
  expectedRunMinutes: number;
  /** Dollars spent by all runs since the start of the day (UTC). */
  spentUsdToday: number;
  capacity: ReviewCapacity;
}

export interface AdmissionPolicy {
  concurrency: number;
  maxUsdPerDay?: number;
  /** How long a finished change may wait for review. */
  targetLatencyMs: number;
}

export interface AdmissionDecision {
  /** Tasks to start now, in order. */
  start: string[];
  /** Every other queued task, with why it waits. Nothing is dropped. */
  waiting: Array<{ taskId: string; reason: string }>;
}

const dayMs = 86_400_000;

/**
 * Which queued tasks may start: while there is a free slot, the day's spend is under its cap, and the
 * review load (changes waiting + expected from runs in flight, the new one included) is within what the
 * reviewers decide in the target latency. Highest priority first; a held task keeps its place.
 */
export function admit(state: AdmissionState, policy: AdmissionPolicy): AdmissionDecision {
  // A stable sort: equal priorities keep the queue's order (the order tasks were added in).
  const order = [...state.queued].sort((a, b) => b.priority - a.priority);
  const limitMinutes = (state.capacity.minutesPerDay * policy.targetLatencyMs) / dayMs;
  let running = state.running;
  const start: string[] = [];
  const waiting: AdmissionDecision['waiting'] = [];
  for (const task of order) {
    // Once started, this run is in flight too: the load it would make must fit. An empty pipeline always
    // takes one run, or a single change bigger than the limit could never start.
    const load = state.reviewWaitingMinutes + (running + 1) * state.expectedRunMinutes;
    const empty = state.reviewWaitingMinutes === 0 && running === 0;
    const reason = holdReason(state, policy, running, empty ? 0 : load, limitMinutes);
    if (reason) {
      waiting.push({ taskId: task.id, reason });
      continue;
    }
    start.push(task.id);
    running += 1;
  }
  return { start, waiting };
}

function holdReason(
  state: AdmissionState,
  policy: AdmissionPolicy,
  running: number,
  load: number,
  limitMinutes: number,
): string | undefined {
  if (running >= policy.concurrency) return `waiting: ${running} of ${policy.concurrency} runs in flight`;
  if (policy.maxUsdPerDay !== undefined && state.spentUsdToday >= policy.maxUsdPerDay) {
    return `held: $${state.spentUsdToday.toFixed(2)} of $${policy.maxUsdPerDay.toFixed(2)} spent today`;
  }
  if (load > limitMinutes) {
    return (
      `held: review queue ${formatMinutes(load)}, capacity ${formatMinutes(state.capacity.minutesPerDay)}/day` +
      `, target ${formatLatency(policy.targetLatencyMs)}`
    );
  }
  return undefined;
}

/** Review load in load-and-capacity terms: "45 min", "3.5 h". */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${Math.round(minutes)} min`;
  return `${Math.round((minutes / 60) * 10) / 10} h`;
}

function formatLatency(ms: number): string {
  const days = ms / dayMs;
  if (days >= 1) return `${Math.round(days * 10) / 10} day${days === 1 ? '' : 's'}`;
  return `${Math.round((ms / 3_600_000) * 10) / 10} h`;
}
