/**
 * The review queue: a run that ends `done` waits here, with its evidence, for a human decision.
 *
 * Contract with whoever resumes reworked runs (the dispatcher, `sluice resume`): `sluice review changes`
 * records the reviewer's words as the note of a `changes-requested` decision, reopens the run (`running`)
 * and moves its task to `rework`. The words reach the agent as the next iteration's input through
 * `pendingReviewerFeedback` (reviewer-feedback.ts), which `resumeRun` reads by itself; a caller may also
 * pass them explicitly. A run that ends `done` again is put back here with `enqueueForReview`: a new round.
 */
import { lstat, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReviewCostConfig } from '../config/review-schema.ts';
import { SluiceError, UsageError } from '../errors.ts';
import { rewriteEvidence, runDirOf } from '../loop/drive-run.ts';
import { runSettingsOf } from '../loop/resume-run.ts';
import { loadBaseConfig } from '../loop/run-config.ts';
import { isProcessRunning } from '../process/process-groups.ts';
import { estimateReviewCost } from '../queue/review-cost.ts';
import type { RunRecord } from '../store/run-records.ts';
import type { RunStore } from '../store/run-store.ts';
import type { ReviewItemRecord, ReviewStatus, TaskStatus } from '../store/task-records.ts';
import { diffStats } from '../workspace/diff-stats.ts';
import { resolveCommit } from '../workspace/refs.ts';

/** A review item with the run it belongs to. */
export interface ReviewTarget {
  run: RunRecord;
  item: ReviewItemRecord;
}

/** The event that logs a review decision in the run's log. */
export const reviewDecisionEvent = 'review:decision';

/**
 * Put a `done` run in the review queue: measure its change (base commit to branch head), estimate what
 * it costs a reviewer, and add the item. A run that already waits keeps its waiting item.
 */
export async function enqueueForReview(
  store: RunStore,
  run: RunRecord,
  options: { taskId?: string; cost: ReviewCostConfig; evidencePath: string },
): Promise<ReviewItemRecord> {
  // A round that already waits is kept as it is (addReviewItem returns it, in its transaction).
  const head = await resolveCommit(run.repoRoot, run.branch);
  const change = await diffStats(run.repoRoot, run.baseCommit, head);
  const cost = estimateReviewCost(
    {
      linesAdded: change.insertions,
      linesDeleted: change.deletions,
      files: change.files.flatMap((file) => (file.oldPath ? [file.oldPath, file.path] : [file.path])),
    },
    options.cost,
  );
  return store.queue.addReviewItem({
    runId: run.id,
    ...(options.taskId ? { taskId: options.taskId } : {}),
    reviewMinutes: cost.minutes,
    costExplanation: cost.explanation,
    headCommit: head,
    evidencePath: options.evidencePath,
  });
}

/** What `queueDueReviews` did: the items it added, and the runs it could not queue (they stay due). */
export interface DueReviewsOutcome {
  queued: ReviewItemRecord[];
  problems: string[];
}

/**
 * Queue every run that ended `done` without its review item: the process that reached the verdict was
 * killed first (`sluice run`, `sluice work` or `sluice resume` alike). Evidence that was never written
 * is rebuilt from the store. Cheap when nothing is due (one query): call it whenever the store is opened.
 */
export async function queueDueReviews(store: RunStore): Promise<DueReviewsOutcome> {
  const outcome: DueReviewsOutcome = { queued: [], problems: [] };
  for (const { runId } of await store.queue.reviewsDue()) {
    const run = await store.getRun(runId);
    if (run?.status !== 'done') continue;
    // The process that reached the verdict is still at it (writing the evidence, queuing): its own.
    if (run.pid !== undefined && run.pid !== process.pid && isProcessRunning(run.pid)) continue;
    // A workflow step's run is its workflow's to queue, once the whole change is through its checks.
    if (isWorkflowRun(run)) {
      await store.queue.dropReviewDue(run.id);
      continue;
    }
    try {
      outcome.queued.push(await enqueueEndedRun(store, run));
    } catch (error) {
      outcome.problems.push(`run ${run.id} ended done but could not be queued for review: ${(error as Error).message}`);
    }
  }
  return outcome;
}

/** A run a workflow step started (its settings name the step): its workflow decides when it is queued. */
export function isWorkflowRun(run: RunRecord): boolean {
  return runSettingsOf(run).workflowStep !== undefined;
}

/**
 * Queue a `done` run as `sluice run` would have: with the review cost of its base commit's config and
 * its evidence (rebuilt from the store when it was never written, or is no regular file).
 */
export async function enqueueEndedRun(store: RunStore, run: RunRecord): Promise<ReviewItemRecord> {
  const settings = runSettingsOf(run);
  const base = await loadBaseConfig(join(run.repoRoot, settings.configFile), run.baseCommit);
  const evidencePath = join(runDirOf(run, settings.configDir), 'evidence.md');
  const reports = [evidencePath, join(runDirOf(run, settings.configDir), 'evidence.json')];
  const written = await Promise.all(
    reports.map((path) =>
      lstat(path).then(
        (stats) => stats.isFile(),
        () => false,
      ),
    ),
  );
  if (!written.every(Boolean)) {
    // Whatever stands where a report goes and is no regular file (a pipe, a link) is not evidence.
    for (const [index, path] of reports.entries()) if (!written[index]) await rm(path, { force: true });
    await rewriteEvidence(store, run, settings.configDir);
  }
  return enqueueForReview(store, run, {
    ...(settings.taskId ? { taskId: settings.taskId } : {}),
    cost: base.config.review.cost,
    evidencePath,
  });
}

/**
 * The review round an automated reviewer (a workflow's review step, PR comments) asks changes on: the
 * round that waits, else a new one of the done run. A workflow's runs are not queued when they end,
 * so its reviewers open the round their decision is recorded on.
 */
export async function changesTarget(store: RunStore, run: RunRecord): Promise<ReviewTarget> {
  const waiting = (await store.queue.listReviewItems(['waiting'])).find((item) => item.runId === run.id);
  return { run, item: waiting ?? (await enqueueEndedRun(store, run)) };
}

/**
 * The review item a human means by `id`: a run id or a unique prefix of one, its latest round. With
 * `waiting`, only a round that still waits for a decision will do. Refusals are usage errors.
 */
export async function findReviewTarget(
  store: RunStore,
  id: string,
  options: { waiting: boolean },
): Promise<ReviewTarget> {
  const items = await store.queue.listReviewItems();
  const exact = items.filter((item) => item.runId === id);
  const matching = exact.length > 0 ? exact : id === '' ? [] : items.filter((item) => item.runId.startsWith(id));
  const runIds = [...new Set(matching.map((item) => item.runId))];
  if (runIds.length > 1) {
    throw new UsageError(`"${id}" matches ${runIds.length} runs (${runIds.join(', ')}); give more of the id`);
  }
  const [runId] = runIds;
  if (runId === undefined) {
    if (await store.getRun(id)) throw new UsageError(`run ${id} has never been queued for review`);
    throw new SluiceError('RUN_NOT_FOUND', `no review item for "${id}"; "sluice review list --all" lists them`);
  }
  const item = matching.filter((entry) => entry.runId === runId).sort((a, b) => b.round - a.round)[0];
  const run = await store.getRun(runId);
  if (!item || !run) throw new SluiceError('RUN_NOT_FOUND', `no run ${runId}; "sluice runs" lists them`);
  if (options.waiting && item.status !== 'waiting') {
    throw new UsageError(
      `run ${runId} has nothing waiting for review: its last round was decided ${item.status} at ${item.decidedAt}`,
    );
  }
  return { run, item };
}

export interface ReviewDecisionInput {
  status: Exclude<ReviewStatus, 'waiting'>;
  note?: string;
  landedCommit?: string;
  /** Where the run's task (if it has one) goes, and why it waits there. */
  task: { to: TaskStatus; waitReason?: string };
}

/**
 * Record a decision on the waiting round (timestamped: what measures capacity), log it with the run,
 * and move the run's task along. The decision is committed first: it is what the rest acts on.
 */
export async function recordReviewDecision(
  store: RunStore,
  target: ReviewTarget,
  decision: ReviewDecisionInput,
): Promise<ReviewItemRecord> {
  const decided = await store.queue.decideReview(target.run.id, {
    status: decision.status,
    ...(decision.note !== undefined ? { note: decision.note } : {}),
    ...(decision.landedCommit ? { landedCommit: decision.landedCommit } : {}),
  });
  const taskId = target.item.taskId;
  const taskMoved = taskId
    ? await store.queue.moveTask(taskId, ['review'], decision.task.to, {
        waitReason: decision.task.waitReason ?? null,
      })
    : false;
  await store.appendEvent(target.run.id, reviewDecisionEvent, {
    round: decided.round,
    status: decided.status,
    note: decided.decisionNote ?? null,
    landedCommit: decided.landedCommit ?? null,
    ...(taskId ? { taskId, taskMoved } : {}),
  });
  return decided;
}

/** `sluice review reject`: the change is not wanted; the branch and worktree stay for whoever wants them. */
export async function rejectChange(store: RunStore, target: ReviewTarget, reason: string): Promise<ReviewItemRecord> {
  if (reason.trim() === '') throw new UsageError('a rejection needs a reason: --reason "..."');
  return recordReviewDecision(store, target, { status: 'rejected', note: reason, task: { to: 'rejected' } });
}

/**
 * `sluice review changes`: the reviewer's words go back to the agent. The decision is recorded, the run
 * reopened (`running`, on the same branch) and its task moved to `rework`, so whoever resumes it next —
 * the dispatcher or `sluice resume` — gives the agent these words as its next input.
 */
export async function requestChanges(
  store: RunStore,
  target: ReviewTarget,
  feedback: string,
): Promise<ReviewItemRecord> {
  if (feedback.trim() === '') throw new UsageError('say what should change: sluice review changes <id> "<feedback>"');
  if (target.run.status !== 'done') {
    throw new UsageError(`run ${target.run.id} is ${target.run.status}; only a done run can take changes`);
  }
  const decided = await recordReviewDecision(store, target, {
    status: 'changes-requested',
    note: feedback,
    task: { to: 'rework' },
  });
  await store.reopenRun(target.run.id);
  return decided;
}
