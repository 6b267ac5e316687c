import type { RunSummary } from '../loop/drive-run.ts';
import type { RunStore } from '../store/run-store.ts';
import type { TaskRecord } from '../store/task-records.ts';
import { type AdmissionPolicy, admit } from './admission.ts';
import { readAdmissionState } from './admission-state.ts';

/** How the dispatcher starts and continues runs; the composition root builds agents and configs. */
export interface DispatchPorts {
  /** Start a run for `task`; `recorded` is awaited as soon as the run has an id. Resolves at its verdict. */
  startRun(task: TaskRecord, signal: AbortSignal, recorded: (runId: string) => Promise<void>): Promise<RunSummary>;
  /** Drive a recorded run again: after a crash, or with a reviewer's words. */
  resumeRun(runId: string, signal: AbortSignal): Promise<RunSummary>;
  /** A run that ended `done` becomes a review item. */
  enqueueForReview(summary: RunSummary, task: TaskRecord): Promise<void>;
  /** Queue the runs that ended `done` while their process died before queuing them. */
  queueDueReviews(): Promise<void>;
  /** Queue the follow-up tasks a run's agent wrote when it split its change; how many. */
  importFollowUps(runId: string): Promise<number>;
}

export type DispatchEvent =
  | { type: 'started'; taskId: string; runId: string; resumed: boolean }
  | { type: 'finished'; taskId: string; runId: string; verdict: string; reason: string; taskStatus: string }
  | { type: 'waiting'; count: number; reason: string }
  | { type: 'failed'; taskId: string; error: string };

export interface DispatcherOptions {
  store: RunStore;
  ports: DispatchPorts;
  policy: AdmissionPolicy;
  capacityMinutesPerDay?: number;
  pollMs: number;
  signal: AbortSignal;
  now?: () => Date;
  /** Start what admission allows now (and what recovery resumes), wait for those runs, and return. */
  once?: boolean;
  onEvent?: (event: DispatchEvent) => void;
}

/**
 * `sluice work`: recover what a previous dispatcher left, then until stopped start runs for queued tasks
 * as admission allows, resume reworked ones, and turn each verdict into the task's next state.
 */
export async function dispatch(options: DispatcherOptions): Promise<void> {
  const inFlight = new Map<string, Promise<void>>();
  let wake: () => void = () => {};
  const launch = (task: TaskRecord, run: (signal: AbortSignal) => Promise<RunSummary>) => {
    const done = run(options.signal)
      .then((summary) => settle(options, task, summary))
      .catch((error: unknown) => failed(options, task, error))
      .finally(() => {
        inFlight.delete(task.id);
        wake();
      });
    inFlight.set(task.id, done);
  };

  await recover(options, launch);
  let lastWaiting = '';
  if (options.once) {
    await tick(options, inFlight.size, launch, lastWaiting);
    while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
    return;
  }
  while (!options.signal.aborted) {
    lastWaiting = await tick(options, inFlight.size, launch, lastWaiting);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.pollMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
      options.signal.addEventListener('abort', wake, { once: true });
    });
  }
  await Promise.allSettled(inFlight.values());
}

type Launch = (task: TaskRecord, run: (signal: AbortSignal) => Promise<RunSummary>) => void;

/** Tasks a dead dispatcher left `running`: resume their run, settle a run that ended, or queue the task again. */
async function recover(options: DispatcherOptions, launch: Launch): Promise<void> {
  const { store, ports } = options;
  // First: a task whose run ended done moves to review below, and its review item must be there.
  await ports.queueDueReviews();
  const tasks = await store.queue.listTasks();
  const owned = new Set(tasks.flatMap((task) => (task.runId ? [task.runId] : [])));
  // A run recorded for a task whose dispatcher died before noting it: nothing will drive it again.
  for (const run of await store.listRuns({ status: 'running' })) {
    const taskId = (run.options as { taskId?: unknown }).taskId;
    if (typeof taskId === 'string' && !owned.has(run.id)) {
      await store.finishRun(run.id, {
        status: 'cancelled',
        reason: `orphaned: the dispatcher stopped before task ${taskId} noted it; the task was queued again`,
      });
    }
  }
  for (const task of tasks.filter((entry) => entry.status === 'running')) {
    const run = task.runId ? await store.getRun(task.runId) : undefined;
    if (!run) {
      await store.queue.moveTask(task.id, ['running'], 'queued', { waitReason: 'requeued: its run never started' });
    } else if (run.status === 'running') {
      options.onEvent?.({ type: 'started', taskId: task.id, runId: run.id, resumed: true });
      launch(task, (signal) => ports.resumeRun(run.id, signal));
    } else {
      await settleEnded(options, task, run.id, run.status, run.reason ?? '');
    }
  }
}

async function tick(options: DispatcherOptions, running: number, launch: Launch, lastWaiting: string): Promise<string> {
  const { store, ports, policy } = options;
  let slots = policy.concurrency - running;
  // Reworked changes go first: a reviewer is waiting for them, and they are already counted in review.
  for (const task of await store.queue.listTasks(['rework'])) {
    if (slots <= 0 || !task.runId) break;
    if (!(await store.queue.moveTask(task.id, ['rework'], 'running'))) continue;
    slots -= 1;
    const runId = task.runId;
    options.onEvent?.({ type: 'started', taskId: task.id, runId, resumed: true });
    launch(task, (signal) => ports.resumeRun(runId, signal));
  }
  const now = options.now?.() ?? new Date();
  const state = await readAdmissionState(store, {
    running: policy.concurrency - slots,
    now,
    ...(options.capacityMinutesPerDay !== undefined ? { capacityMinutesPerDay: options.capacityMinutesPerDay } : {}),
  });
  const decision = admit(state, policy);
  await store.queue.noteWaiting(decision.waiting);
  for (const taskId of decision.start) {
    const task = await store.queue.getTask(taskId);
    if (!task || !(await store.queue.moveTask(taskId, ['queued'], 'running'))) continue;
    launch(task, (signal) =>
      ports.startRun(task, signal, async (runId) => {
        await store.queue.moveTask(taskId, ['running'], 'running', { runId });
        options.onEvent?.({ type: 'started', taskId, runId, resumed: false });
      }),
    );
  }
  const first = decision.waiting[0];
  const summary = first ? `${decision.waiting.length}:${first.reason}` : '';
  if (first && summary !== lastWaiting) {
    options.onEvent?.({ type: 'waiting', count: decision.waiting.length, reason: first.reason });
  }
  return summary;
}

async function settle(options: DispatcherOptions, task: TaskRecord, summary: RunSummary): Promise<void> {
  const { verdict, reason } = summary.outcome;
  if (verdict === 'done') await options.ports.enqueueForReview(summary, task);
  await settleEnded(options, task, summary.run.id, verdict, reason);
}

/** The task's next state from its run's verdict; follow-up tasks the agent wrote are queued. */
async function settleEnded(
  options: DispatcherOptions,
  task: TaskRecord,
  runId: string,
  verdict: string,
  reason: string,
): Promise<void> {
  const { store } = options;
  await options.ports.importFollowUps(runId);
  let taskStatus: 'review' | 'queued' | 'blocked';
  if (verdict === 'done') {
    taskStatus = 'review';
    await store.queue.moveTask(task.id, ['running'], 'review', { runId });
  } else if (verdict === 'cancelled') {
    // Stopped with the dispatcher: the task starts over cleanly next time, its old branch kept.
    taskStatus = 'queued';
    await store.queue.moveTask(task.id, ['running'], 'queued', { waitReason: `requeued: run ${runId} was cancelled` });
  } else {
    taskStatus = 'blocked';
    await store.queue.moveTask(task.id, ['running'], 'blocked', {
      runId,
      waitReason: `run ${runId} ${verdict}: ${reason}`,
    });
  }
  options.onEvent?.({ type: 'finished', taskId: task.id, runId, verdict, reason, taskStatus });
}

async function failed(options: DispatcherOptions, task: TaskRecord, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await options.store.queue.moveTask(task.id, ['running'], 'blocked', { waitReason: `could not run: ${message}` });
  options.onEvent?.({ type: 'failed', taskId: task.id, error: message });
}
