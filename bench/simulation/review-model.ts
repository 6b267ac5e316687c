// A discrete-event simulation of agents feeding a human review queue, paced (or not) by the same admission
// and capacity functions the dispatcher uses. Time is in minutes since a midnight (UTC).
import { type ReviewConfig, reviewSchema } from '../../src/config/review-schema.ts';
import { type AdmissionState, admit, type QueuedTask } from '../../src/queue/admission.ts';
import { type ReviewDecision, reviewCapacity } from '../../src/queue/review-capacity.ts';
import { estimateReviewCost } from '../../src/queue/review-cost.ts';
import { createRandom } from './random.ts';
import { createReviewerSchedule, minutesPerDay, type ReviewerScheduleOptions } from './reviewer-schedule.ts';

export interface SimulationOptions {
  seed: number;
  days: number;
  /** Paced by `admit` (review load vs measured capacity x target latency), or started whenever an agent is free. */
  admission: boolean;
  /** K: agents working at once (the admission policy's concurrency). */
  agents: number;
  /** 1/lambda: mean agent minutes per run, exponentially distributed; agents work around the clock. */
  meanRunMinutes: number;
  /** Tasks queued at the start; none arrive later. */
  backlogTasks: number;
  /** Lines changed per run: log-normal with this median and sigma, cut at the config's max_change_lines. */
  change: { medianLines: number; sigmaLines: number; maxFiles: number };
  reviewer: ReviewerScheduleOptions;
  /** Target latency, max change lines and the review-cost formula, as the config gives them. */
  review: ReviewConfig;
  /** What admission expects a run in flight to add before any change has finished. */
  defaultExpectedRunMinutes: number;
  /** Wall-clock start of the simulation (a midnight, UTC): capacity is measured by UTC day. */
  startsAt: Date;
}

/** One finished change, and when a reviewer decided it (undefined while it waits). */
export interface ReviewedChange {
  taskId: string;
  minutes: number;
  finishedAt: number;
  decidedAt: number | undefined;
}

/** The state at the end of one simulated day. */
export interface DaySummary {
  /** 1-based: the figures are taken at the midnight that ends this day. */
  day: number;
  waitingItems: number;
  waitingMinutes: number;
  /** Finished -> decided, in minutes, of the changes decided during this day. */
  latencies: number[];
  oldestWaitingMinutes: number;
  /** Review capacity as reviewCapacity measures it from the decisions so far. */
  capacityMinutesPerDay: number;
  /** Review minutes the reviewers had this day (the schedule's draw). */
  reviewerMinutes: number;
  /** Task conservation: every task is queued, running, waiting for review or decided, exactly once. */
  lost: number;
  duplicated: number;
}

/** Hourly samples, for the chart. */
export interface HourSample {
  time: number;
  waitingMinutes: number;
  /** Review load admission allows: measured capacity x target latency. */
  limitMinutes: number;
}

export interface SimulationResult {
  options: SimulationOptions;
  days: DaySummary[];
  hours: HourSample[];
  changes: ReviewedChange[];
  runsStarted: number;
  /** The longest the review queue got, at any moment, in estimated review minutes and in changes. */
  maxWaitingMinutes: number;
  maxWaitingItems: number;
  /** Agent-minutes spent running / agent-minutes available. */
  agentUtilisation: number;
  /** Whether the queue of tasks ever emptied while an agent was free (the agents would then idle). */
  backlogRanDry: boolean;
  admitCalls: number;
  /** admit calls whose start + waiting did not account for every task shown to it. */
  admitMiscounts: number;
}

/** The benchmark's defaults: the review config's defaults, a reviewer team deciding ~2 h a day. */
export function defaultSimulationOptions(seed: number, admission: boolean): SimulationOptions {
  return {
    seed,
    days: 30,
    admission,
    agents: 6,
    meanRunMinutes: 45,
    // 6 agents x 32 runs a day x 30 days = 5,760 runs: a backlog the agents cannot exhaust.
    backlogTasks: 7_000,
    change: { medianLines: 80, sigmaLines: 0.9, maxFiles: 10 },
    reviewer: { opensAt: 9 * 60, closesAt: 17 * 60, reviewMinutesPerDay: { min: 90, max: 150 } },
    review: reviewSchema.parse({}),
    defaultExpectedRunMinutes: 15,
    startsAt: new Date('2026-01-05T00:00:00Z'),
  };
}

interface Run {
  task: QueuedTask;
  finishAt: number;
}

/** Run the simulation to the end of its last day. */
export function simulateReview(options: SimulationOptions): SimulationResult {
  const root = createRandom(options.seed);
  // Separate streams, so both policies see the same reviewer days, run lengths (in start order) and
  // change sizes (in finish order): the policies differ only in when runs start.
  const schedule = createReviewerSchedule(options.reviewer, options.days, createRandom(root.nextSeed()));
  const runLengths = createRandom(root.nextSeed());
  const sizes = createRandom(root.nextSeed());
  const horizon = options.days * minutesPerDay;
  const dateAt = (time: number) => new Date(options.startsAt.getTime() + time * 60_000);
  const createdAt = options.startsAt.toISOString();
  const width = String(options.backlogTasks).length;

  const tasks: QueuedTask[] = Array.from({ length: options.backlogTasks }, (_, index) => ({
    id: `task-${String(index + 1).padStart(width, '0')}`,
    priority: 0,
    createdAt,
  }));
  const queue = [...tasks];
  let queueHead = 0;
  let running: Run[] = [];
  const changes: ReviewedChange[] = [];
  let reviewHead = 0; // changes[reviewHead..] wait for review, oldest first
  let headRemaining = 0; // review minutes still to spend on changes[reviewHead]
  let waitingTenths = 0; // estimated review minutes waiting, in tenths (estimates are rounded to 0.1)
  let finishedTenths = 0;
  const decisions: ReviewDecision[] = [];
  const days: DaySummary[] = [];
  const hours: HourSample[] = [];
  let dayLatencies: number[] = [];
  let busyAgentMinutes = 0;
  let backlogRanDry = false;
  let runsStarted = 0;
  let maxWaitingTenths = 0;
  let maxWaitingItems = 0;
  let admitCalls = 0;
  let admitMiscounts = 0;

  const capacityAt = (time: number) => reviewCapacity(decisions, dateAt(time));
  const limitAt = (time: number) => (capacityAt(time).minutesPerDay * options.review.target_latency) / 86_400_000;

  const startRun = (time: number) => {
    const task = queue[queueHead];
    if (!task) throw new Error('started a run with no queued task');
    queueHead += 1;
    running.push({ task, finishAt: time + runLengths.exponential(options.meanRunMinutes) });
    runsStarted += 1;
  };

  const startRuns = (time: number) => {
    if (queueHead >= queue.length) {
      if (running.length < options.agents) backlogRanDry = true;
      return;
    }
    if (!options.admission) {
      while (running.length < options.agents && queueHead < queue.length) startRun(time);
      return;
    }
    // admit starts at most `concurrency` tasks, and with equal priorities it takes the oldest: the
    // head of the queue is all it could choose from, so it is all it is shown.
    const shown = queue.slice(queueHead, queueHead + options.agents);
    const state: AdmissionState = {
      queued: shown,
      running: running.length,
      reviewWaitingMinutes: waitingTenths / 10,
      expectedRunMinutes: changes.length > 0 ? finishedTenths / 10 / changes.length : options.defaultExpectedRunMinutes,
      spentUsdToday: 0,
      capacity: capacityAt(time),
    };
    const decision = admit(state, { concurrency: options.agents, targetLatencyMs: options.review.target_latency });
    admitCalls += 1;
    if (decision.start.length + decision.waiting.length !== shown.length) admitMiscounts += 1;
    for (const taskId of decision.start) {
      if (queue[queueHead]?.id !== taskId) throw new Error(`admit chose ${taskId} out of queue order`);
      startRun(time);
    }
  };

  const finishRun = (run: Run) => {
    const lines = Math.min(
      options.review.max_change_lines,
      Math.max(1, Math.round(sizes.logNormal(options.change.medianLines, options.change.sigmaLines))),
    );
    const linesAdded = Math.round(lines * sizes.uniform(0.5, 1));
    const fileCount = sizes.integer(1, Math.min(options.change.maxFiles, lines));
    const files = Array.from({ length: fileCount }, (_, index) => `src/module-${index + 1}.ts`);
    const cost = estimateReviewCost({ linesAdded, linesDeleted: lines - linesAdded, files }, options.review.cost);
    if (reviewHead === changes.length) headRemaining = cost.minutes;
    changes.push({ taskId: run.task.id, minutes: cost.minutes, finishedAt: run.finishAt, decidedAt: undefined });
    waitingTenths += Math.round(cost.minutes * 10);
    finishedTenths += Math.round(cost.minutes * 10);
  };

  const decideHead = (time: number) => {
    const change = changes[reviewHead];
    if (!change) throw new Error('decided a review with an empty queue');
    change.decidedAt = time;
    decisions.push({ decidedAt: dateAt(time), minutes: change.minutes });
    dayLatencies.push(time - change.finishedAt);
    waitingTenths -= Math.round(change.minutes * 10);
    reviewHead += 1;
    headRemaining = changes[reviewHead]?.minutes ?? 0;
  };

  const summarizeDay = (time: number) => {
    const { lost, duplicated } = countConservation(tasks, [
      queue.slice(queueHead),
      running.map((run) => run.task),
      changes.map((change) => ({ id: change.taskId })),
    ]);
    const oldest = changes[reviewHead];
    days.push({
      day: time / minutesPerDay,
      waitingItems: changes.length - reviewHead,
      waitingMinutes: waitingTenths / 10,
      latencies: dayLatencies,
      oldestWaitingMinutes: oldest ? time - oldest.finishedAt : 0,
      capacityMinutesPerDay: capacityAt(time).minutesPerDay,
      reviewerMinutes: schedule.minutesOnDay(time / minutesPerDay - 1),
      lost,
      duplicated,
    });
    dayLatencies = [];
  };

  let now = 0;
  startRuns(now);
  while (now < horizon) {
    const nextFinish = Math.min(...running.map((run) => run.finishAt));
    const reviewing = reviewHead < changes.length;
    const nextDecision = reviewing
      ? schedule.timeWhenDone(schedule.workDoneBy(now) + headRemaining, now)
      : Number.POSITIVE_INFINITY;
    const next = Math.min(nextFinish, nextDecision, (Math.floor(now / 60) + 1) * 60);
    busyAgentMinutes += running.length * (next - now);
    if (reviewing) headRemaining -= schedule.workDoneBy(next) - schedule.workDoneBy(now);
    now = next;
    if (now === nextDecision) decideHead(now);
    const finished = running.filter((run) => run.finishAt <= now).sort((a, b) => a.finishAt - b.finishAt);
    if (finished.length > 0) {
      running = running.filter((run) => run.finishAt > now);
      for (const run of finished) finishRun(run);
    }
    maxWaitingTenths = Math.max(maxWaitingTenths, waitingTenths);
    maxWaitingItems = Math.max(maxWaitingItems, changes.length - reviewHead);
    if (now % 60 === 0) hours.push({ time: now, waitingMinutes: waitingTenths / 10, limitMinutes: limitAt(now) });
    if (now % minutesPerDay === 0) summarizeDay(now);
    startRuns(now);
  }

  return {
    options,
    days,
    hours,
    changes,
    runsStarted,
    maxWaitingMinutes: maxWaitingTenths / 10,
    maxWaitingItems,
    agentUtilisation: busyAgentMinutes / (horizon * options.agents),
    backlogRanDry,
    admitCalls,
    admitMiscounts,
  };
}

/** Tasks in none of the places a task can be (lost), and tasks in more than one (duplicated). */
function countConservation(
  tasks: readonly QueuedTask[],
  places: ReadonlyArray<ReadonlyArray<{ id: string }>>,
): { lost: number; duplicated: number } {
  const seen = new Map<string, number>();
  for (const place of places) for (const task of place) seen.set(task.id, (seen.get(task.id) ?? 0) + 1);
  let lost = 0;
  let duplicated = 0;
  for (const task of tasks) {
    const count = seen.get(task.id) ?? 0;
    if (count === 0) lost += 1;
    if (count > 1) duplicated += 1;
  }
  // A place holding a task that was never created counts as duplicated work too.
  const created = new Set(tasks.map((task) => task.id));
  duplicated += [...seen.keys()].filter((id) => !created.has(id)).length;
  return { lost, duplicated };
}
