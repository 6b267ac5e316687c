import { dirname, join, resolve } from 'node:path';
import type { Hono } from 'hono';
import { z } from 'zod';
import type { Finding } from '../guard/finding.ts';
import { readAdmissionState } from '../queue/admission-state.ts';
import { approveChange } from '../review/land-change.ts';
import { findReviewTarget, type ReviewTarget, rejectChange, requestChanges } from '../review/review-queue.ts';
import type { RunRecord } from '../store/run-records.ts';
import type { ReviewItemRecord } from '../store/task-records.ts';
import { diffStats } from '../workspace/diff-stats.ts';
import { readTextUnder } from './agent-log.ts';
import type {
  ApproveResult,
  DecisionResult,
  HeartbeatResult,
  ReviewItemDetail,
  ReviewQueue,
  ReviewQueueItem,
} from './api-types.ts';
import { HttpError } from './http-error.ts';
import { readJsonBody } from './read-body.ts';
import { changeHead, diffBetween } from './run-diff.ts';
import { configDirOf, findRun } from './run-routes.ts';
import type { ServerContext } from './server-context.ts';
import { calibrationViewOf, capacityViewOf, findingViewOf, gateViewOf, reviewRoundOf } from './views.ts';

const activeMs = z.number().finite().min(0).max(600_000).optional();
// A branch name as git allows it, never an option: it reaches git (as refs/heads/<onto>).
const branchName = z
  .string()
  .max(200)
  .regex(/^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+$/, 'onto must be a branch name');
const approveBody = z.object({ onto: branchName.optional(), activeMs }).strict();
const rejectBody = z
  .object({ reason: z.string().trim().min(1, 'a rejection needs a reason').max(20_000), activeMs })
  .strict();
const changesBody = z
  .object({ feedback: z.string().trim().min(1, 'say what should change').max(50_000), activeMs })
  .strict();
const heartbeatBody = z.object({ activeMs: z.number().finite().min(0).max(600_000) }).strict();

const guardEventType = 'run:guard';

export function registerReviewRoutes(app: Hono, ctx: ServerContext): void {
  app.get('/api/review', async (c) => c.json<ReviewQueue>(await reviewQueue(ctx, c.req.query('all') === '1')));

  app.get('/api/review/:runId', async (c) => {
    const target = await findReviewTarget(ctx.store, c.req.param('runId'), { waiting: false });
    return c.json<ReviewItemDetail>(await reviewDetail(ctx, target));
  });

  app.post('/api/review/:runId/heartbeat', async (c) => {
    const body = await readJsonBody(c, heartbeatBody);
    const run = await findRun(ctx, c.req.param('runId'));
    return c.json<HeartbeatResult>(await addActiveTime(ctx, run.id, body.activeMs));
  });

  app.post('/api/review/:runId/approve', async (c) => {
    const body = await readJsonBody(c, approveBody);
    const result = await deciding(ctx, c.req.param('runId'), body.activeMs, (target) =>
      approveChange(ctx.store, target, body.onto ? { onto: body.onto } : {}),
    );
    return c.json<ApproveResult>(result);
  });

  app.post('/api/review/:runId/reject', async (c) => {
    const body = await readJsonBody(c, rejectBody);
    const decided = await deciding(ctx, c.req.param('runId'), body.activeMs, (target) =>
      rejectChange(ctx.store, target, body.reason),
    );
    return c.json<DecisionResult>({ runId: decided.runId, round: reviewRoundOf(decided) });
  });

  app.post('/api/review/:runId/changes', async (c) => {
    const body = await readJsonBody(c, changesBody);
    const decided = await deciding(ctx, c.req.param('runId'), body.activeMs, (target) =>
      requestChanges(ctx.store, target, body.feedback),
    );
    return c.json<DecisionResult>({ runId: decided.runId, round: reviewRoundOf(decided) });
  });
}

/**
 * One decision at a time per run in this process (approving re-runs the gates). The time the page
 * had not sent yet is recorded first, so it stays with the round whatever the decision does.
 */
async function deciding<T>(
  ctx: ServerContext,
  id: string,
  unsentMs: number | undefined,
  decide: (target: ReviewTarget) => Promise<T>,
): Promise<T> {
  const target = await findReviewTarget(ctx.store, id, { waiting: true });
  const runId = target.run.id;
  if (ctx.deciding.has(runId)) throw new HttpError(409, 'CONFLICT', `a decision on run ${runId} is already under way`);
  ctx.deciding.add(runId);
  try {
    if (unsentMs !== undefined && unsentMs > 0) await addActiveTime(ctx, runId, unsentMs);
    const outcome = await decide(target);
    ctx.reviewClock.forget(`${runId}#${target.item.round}`);
    return outcome;
  } finally {
    ctx.deciding.delete(runId);
  }
}

async function addActiveTime(ctx: ServerContext, runId: string, reportedMs: number): Promise<HeartbeatResult> {
  const waiting = (await ctx.store.queue.listReviewItems(['waiting'])).find((item) => item.runId === runId);
  if (!waiting) throw new HttpError(409, 'CONFLICT', `run ${runId} has no change waiting for review`);
  const accepted = ctx.reviewClock.accept(`${runId}#${waiting.round}`, reportedMs);
  const total = await ctx.store.queue.addReviewActiveTime(runId, accepted);
  return { runId, round: total.round, activeMs: total.activeMs };
}

export async function reviewQueue(ctx: ServerContext, all: boolean): Promise<ReviewQueue> {
  const [items, state] = await Promise.all([
    ctx.store.queue.listReviewItems(all ? undefined : ['waiting']),
    readAdmissionState(ctx.store, {
      running: 0,
      now: ctx.now(),
      ...(ctx.config.review.capacity_minutes_per_day !== undefined
        ? { capacityMinutesPerDay: ctx.config.review.capacity_minutes_per_day }
        : {}),
    }),
  ]);
  const entries: ReviewQueueItem[] = [];
  for (const item of items) {
    const run = await ctx.store.getRun(item.runId);
    if (run) entries.push(await queueItemOf(ctx, run, item));
  }
  const waitingMinutes = entries
    .filter((entry) => entry.status === 'waiting')
    .reduce((sum, e) => sum + e.reviewMinutes, 0);
  return {
    items: entries,
    waitingMinutes,
    calibratedWaitingMinutes: state.calibration ? Math.round(waitingMinutes * state.calibration.ratio * 10) / 10 : null,
    capacity: capacityViewOf(state.capacity, state.calibration),
    calibration: calibrationViewOf(state.calibration),
  };
}

async function queueItemOf(ctx: ServerContext, run: RunRecord, item: ReviewItemRecord): Promise<ReviewQueueItem> {
  const [iterations, events] = await Promise.all([ctx.store.listIterations(run.id), ctx.store.events(run.id)]);
  const last = iterations.at(-1);
  const findings = lastGuardFindings(events, last?.number);
  return {
    ...reviewRoundOf(item),
    runId: run.id,
    taskId: item.taskId ?? null,
    goal: run.goal,
    branch: run.branch,
    runStatus: run.status,
    ...(await changeSize(run, item, iterations)),
    guardFindings: findings.filter((finding) => finding.severity === 'ask' || finding.severity === 'warn').length,
  };
}

const changeSizes = new Map<string, { filesChanged: number; insertions: number; deletions: number } | null>();

/** The size of the change under review: measured in git for waiting rounds, summed from turns otherwise. */
async function changeSize(
  run: RunRecord,
  item: ReviewItemRecord,
  iterations: ReadonlyArray<{ filesChanged?: number; insertions?: number; deletions?: number }>,
): Promise<{ filesChanged: number; insertions: number; deletions: number }> {
  if (item.status === 'waiting') {
    const key = `${run.repoRoot}\u0000${run.baseCommit}..${item.headCommit}`;
    let size = changeSizes.get(key);
    if (size === undefined) {
      const stats = await diffStats(run.repoRoot, run.baseCommit, item.headCommit).catch(() => undefined);
      size = stats
        ? { filesChanged: stats.filesChanged, insertions: stats.insertions, deletions: stats.deletions }
        : null;
      // Two commits always differ the same way (and a missing one stays missing): measured once per server.
      if (changeSizes.size > 5_000) changeSizes.clear();
      changeSizes.set(key, size);
    }
    if (size) return size;
  }
  return {
    filesChanged: iterations.reduce((most, entry) => Math.max(most, entry.filesChanged ?? 0), 0),
    insertions: iterations.reduce((sum, entry) => sum + (entry.insertions ?? 0), 0),
    deletions: iterations.reduce((sum, entry) => sum + (entry.deletions ?? 0), 0),
  };
}

function lastGuardFindings(
  events: ReadonlyArray<{ type: string; payload: unknown }>,
  iteration: number | undefined,
): Finding[] {
  for (const event of [...events].reverse()) {
    if (event.type !== guardEventType) continue;
    const payload = event.payload as { iteration?: number; findings?: Finding[] } | null;
    if (iteration === undefined || payload?.iteration === iteration) return payload?.findings ?? [];
  }
  return [];
}

async function reviewDetail(ctx: ServerContext, target: ReviewTarget): Promise<ReviewItemDetail> {
  const { run, item } = target;
  const [iterations, events, items, gates] = await Promise.all([
    ctx.store.listIterations(run.id),
    ctx.store.events(run.id),
    ctx.store.queue.listReviewItems(),
    ctx.store.gateResults(run.id),
  ]);
  const judged = iterations.filter((entry) => entry.checkVerdict).at(-1);
  const sluiceFolder = resolve(run.repoRoot, configDirOf(run), '.sluice');
  const evidenceJson = await readTextUnder(sluiceFolder, join(dirname(item.evidencePath), 'evidence.json'));
  let evidence: unknown = null;
  try {
    evidence = evidenceJson === null ? null : JSON.parse(evidenceJson);
  } catch {
    evidence = null;
  }
  const head = item.status === 'waiting' ? item.headCommit : await changeHead(run, iterations);
  return {
    item: await queueItemOf(ctx, run, item),
    rounds: items
      .filter((entry) => entry.runId === run.id)
      .sort((a, b) => a.round - b.round)
      .map(reviewRoundOf),
    evidenceMarkdown: await readTextUnder(sluiceFolder, item.evidencePath),
    evidence,
    gates: judged ? gates.filter((gate) => gate.iteration === judged.number).map(gateViewOf) : [],
    guardFindings: lastGuardFindings(events, iterations.at(-1)?.number).map(findingViewOf),
    diff: await diffBetween(run, { from: run.baseCommit, to: head }, null),
  };
}
