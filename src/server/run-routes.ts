import { readFileSync } from 'node:fs';
import type { Hono } from 'hono';
import type { Finding } from '../guard/finding.ts';
import { runSettingsOf } from '../loop/resume-run.ts';
import { isProcessRunning } from '../process/process-groups.ts';
import { type IterationRecord, type RunRecord, type RunStatus, runStatuses } from '../store/run-records.ts';
import type { ReviewItemRecord } from '../store/task-records.ts';
import { agentLogPath, readLogChunk } from './agent-log.ts';
import type {
  CancelResult,
  DiffResponse,
  IterationView,
  LogTail,
  RunDetail,
  RunList,
  RunSummary,
  UsageSums,
} from './api-types.ts';
import { HttpError } from './http-error.ts';
import { queryInteger } from './read-body.ts';
import { changeHead, diffBetween, iterationRange } from './run-diff.ts';
import type { ServerContext } from './server-context.ts';
import { addSums, emptySums, findingViewOf, gateViewOf, reviewRoundOf, runSummaryOf } from './views.ts';

/** The event the run ports log guard findings with (src/loop/run-ports.ts). */
const guardEventType = 'run:guard';

export function registerRunRoutes(app: Hono, ctx: ServerContext): void {
  app.get('/api/runs', async (c) => {
    const status = c.req.query('status');
    if (status !== undefined && !runStatuses.includes(status as RunStatus)) {
      throw new HttpError(400, 'BAD_REQUEST', `status must be one of ${runStatuses.join(', ')}`);
    }
    const limit = queryInteger(c, 'limit', { min: 1, max: 1000 }) ?? 200;
    const runs = await ctx.store.listRuns({ ...(status ? { status: status as RunStatus } : {}), limit });
    return c.json<RunList>({ runs: await summarizeRuns(ctx, runs) });
  });

  app.get('/api/runs/:runId', async (c) =>
    c.json<RunDetail>(await runDetail(ctx, await findRun(ctx, c.req.param('runId')))),
  );

  app.get('/api/runs/:runId/diff', async (c) => {
    const run = await findRun(ctx, c.req.param('runId'));
    const iteration = queryInteger(c, 'iteration', { min: 1, max: 1_000_000 });
    const iterations = await ctx.store.listIterations(run.id);
    const range =
      iteration === undefined
        ? { from: run.baseCommit, to: await changeHead(run, iterations) }
        : iterationRange(run, iterations, iteration);
    return c.json<DiffResponse>(await diffBetween(run, range, iteration ?? null));
  });

  app.get('/api/runs/:runId/log', async (c) => {
    const run = await findRun(ctx, c.req.param('runId'));
    const iterations = await ctx.store.listIterations(run.id);
    const number = queryInteger(c, 'iteration', { min: 1, max: 1_000_000 }) ?? iterations.at(-1)?.number;
    const offset = queryInteger(c, 'offset', { min: 0, max: Number.MAX_SAFE_INTEGER });
    if (number === undefined) {
      return c.json<LogTail>({ runId: run.id, iteration: null, offset: 0, nextOffset: 0, text: '', live: false });
    }
    const iteration = iterations.find((entry) => entry.number === number);
    if (!iteration) throw new HttpError(404, 'NOT_FOUND', `run ${run.id} has no iteration ${number}`);
    const chunk = await readLogChunk(agentLogPath(run, configDirOf(run), number), offset);
    return c.json<LogTail>({
      runId: run.id,
      iteration: number,
      ...chunk,
      live: run.status === 'running' && iteration.status === 'running',
    });
  });

  app.post('/api/runs/:runId/cancel', async (c) => {
    const run = await findRun(ctx, c.req.param('runId'));
    return c.json<CancelResult>(await cancelRun(ctx, run));
  });
}

export async function findRun(ctx: ServerContext, id: string): Promise<RunRecord> {
  const run = await ctx.store.getRun(id);
  if (!run) throw new HttpError(404, 'NOT_FOUND', `no run ${id}`);
  return run;
}

/** The folder of sluice.yaml the run was started with (its logs and evidence live under it). */
export function configDirOf(run: RunRecord): string {
  const dir = runSettingsOf(run).configDir;
  return typeof dir === 'string' ? dir : '';
}

/** Run summaries with their iteration counts, cost and review state, in a fixed number of queries. */
export async function summarizeRuns(ctx: ServerContext, runs: readonly RunRecord[]): Promise<RunSummary[]> {
  if (runs.length === 0) return [];
  const [stats, costs, items] = await Promise.all([
    // A few runs (the overview's running ones, one run's page): only theirs; a long list: all at once.
    ctx.store.runIterationStats(runs.length <= 100 ? runs.map((run) => run.id) : undefined),
    ctx.store.usageTotals({ by: 'run' }),
    ctx.store.queue.listReviewItems(),
  ]);
  const costByRun = new Map(costs.map((total) => [total.key, total.costUsd]));
  const latestReview = new Map<string, ReviewItemRecord>();
  for (const item of items) {
    const seen = latestReview.get(item.runId);
    if (!seen || seen.round < item.round) latestReview.set(item.runId, item);
  }
  return runs.map((run) =>
    runSummaryOf(run, {
      iterations: stats.get(run.id)?.iterations ?? 0,
      lastVerdict: stats.get(run.id)?.lastVerdict ?? null,
      costUsd: costByRun.has(run.id) ? (costByRun.get(run.id) ?? null) : 0,
      review: latestReview.get(run.id),
    }),
  );
}

async function runDetail(ctx: ServerContext, run: RunRecord): Promise<RunDetail> {
  const [iterations, gates, usage, events, items] = await Promise.all([
    ctx.store.listIterations(run.id),
    ctx.store.gateResults(run.id),
    ctx.store.iterationUsage(run.id),
    ctx.store.events(run.id),
    ctx.store.queue.listReviewItems(),
  ]);
  const rounds = items.filter((item) => item.runId === run.id).sort((a, b) => a.round - b.round);
  const [summary] = await summarizeRuns(ctx, [run]);
  const guard = new Map<number, { findings: Finding[]; reverted: Finding[] }>();
  for (const event of events) {
    if (event.type !== guardEventType) continue;
    const payload = event.payload as { iteration?: number; findings?: Finding[]; reverted?: Finding[] } | null;
    if (typeof payload?.iteration !== 'number') continue;
    guard.set(payload.iteration, { findings: payload.findings ?? [], reverted: payload.reverted ?? [] });
  }
  const requests = rounds.filter((item) => item.status === 'changes-requested' && item.decidedAt && item.decisionNote);
  const views = iterations.map((iteration): IterationView => {
    const own = usage.filter((entry) => entry.iteration === iteration.number);
    const found = guard.get(iteration.number);
    return {
      number: iteration.number,
      status: iteration.status,
      startedAt: iteration.startedAt,
      finishedAt: iteration.finishedAt ?? null,
      durationMs: iteration.finishedAt ? Date.parse(iteration.finishedAt) - Date.parse(iteration.startedAt) : null,
      promptChars: iteration.promptChars,
      agent: {
        status: iteration.agentStatus ?? null,
        exitCode: iteration.agentExitCode ?? null,
        reason: iteration.agentReason ?? null,
      },
      commitSha: iteration.commitSha ?? null,
      filesChanged: iteration.filesChanged ?? null,
      insertions: iteration.insertions ?? null,
      deletions: iteration.deletions ?? null,
      checkVerdict: iteration.checkVerdict ?? null,
      gates: gates.filter((gate) => gate.iteration === iteration.number).map(gateViewOf),
      guardFindings: (found?.findings ?? []).map(findingViewOf),
      guardReverted: [...new Set((found?.reverted ?? []).map((finding) => String(finding.path)))],
      feedbackSent: iteration.feedback ?? null,
      reviewerFeedback: reviewerWordsFor(iteration, iterations, requests),
      usage: {
        ...own.reduce<UsageSums>((sum, entry) => addSums(sum, entry), emptySums()),
        models: [...new Set(own.map((entry) => entry.model))],
      },
    };
  });
  const settings = runSettingsOf(run);
  return {
    run: {
      ...(summary as RunSummary),
      baseCommit: run.baseCommit,
      worktreePath: run.worktreePath,
      acceptance: Array.isArray(settings.acceptance) ? settings.acceptance.map(String) : [],
    },
    iterations: views,
    usage: usage.reduce<UsageSums>((sum, entry) => addSums(sum, entry), emptySums()),
    reviews: rounds.map(reviewRoundOf),
    events: events
      .slice(-500)
      .map((event) => ({ seq: event.seq, type: event.type, at: event.at, payload: event.payload })),
    cancellable: cancelPlan(ctx, run).kind !== 'refused',
  };
}

/** The reviewer's words an iteration started from: the first iteration after a changes request. */
function reviewerWordsFor(
  iteration: IterationRecord,
  iterations: readonly IterationRecord[],
  requests: readonly ReviewItemRecord[],
): string | null {
  for (const request of requests) {
    const decidedAt = request.decidedAt ?? '';
    const first = iterations.find((entry) => entry.startedAt >= decidedAt);
    if (first?.number === iteration.number) return request.decisionNote ?? null;
  }
  return null;
}

type CancelPlan =
  | { kind: 'in-process' }
  | { kind: 'signal'; pid: number }
  | { kind: 'stale' }
  | { kind: 'refused'; reason: string };

/**
 * How a run can be stopped from here: the dispatcher of this process aborts it; a `sluice run` or
 * `sluice resume` process (one run each) gets SIGINT, as Ctrl-C; a run whose process is gone is ended.
 * A run another `sluice work` drives is refused: a signal would stop every run of that dispatcher.
 */
function cancelPlan(ctx: ServerContext, run: RunRecord): CancelPlan {
  if (run.status !== 'running') return { kind: 'refused', reason: `run ${run.id} already ended: ${run.status}` };
  if (run.pid === process.pid) {
    return ctx.cancelInProcess ? { kind: 'in-process' } : { kind: 'refused', reason: 'no dispatcher here drives it' };
  }
  if (run.pid === undefined || !isProcessRunning(run.pid)) return { kind: 'stale' };
  if (configTaskId(run) !== undefined) {
    return { kind: 'refused', reason: `run ${run.id} is driven by "sluice work" (pid ${run.pid}); stop it there` };
  }
  if (!isSluiceProcess(run.pid)) return { kind: 'stale' };
  return { kind: 'signal', pid: run.pid };
}

async function cancelRun(ctx: ServerContext, run: RunRecord): Promise<CancelResult> {
  const plan = cancelPlan(ctx, run);
  switch (plan.kind) {
    case 'refused':
      throw new HttpError(409, 'CONFLICT', `cannot cancel: ${plan.reason}`);
    case 'in-process':
      if (!ctx.cancelInProcess?.(run.id)) throw new HttpError(409, 'CONFLICT', `run ${run.id} is not in flight here`);
      return { status: 'cancelling', runId: run.id, how: 'in-process' };
    case 'signal':
      process.kill(plan.pid, 'SIGINT');
      return { status: 'cancelling', runId: run.id, how: 'signal' };
    case 'stale': {
      await ctx.store.finishRun(run.id, {
        status: 'cancelled',
        reason: 'cancelled in sluice serve (its process was gone)',
      });
      const taskId = configTaskId(run);
      if (taskId) {
        await ctx.store.queue.moveTask(taskId, ['running', 'rework'], 'blocked', {
          waitReason: `run ${run.id} was cancelled in sluice serve`,
        });
      }
      return { status: 'cancelled', runId: run.id, how: 'stale' };
    }
  }
}

function configTaskId(run: RunRecord): string | undefined {
  const taskId = runSettingsOf(run).taskId;
  return typeof taskId === 'string' ? taskId : undefined;
}

/** A recorded pid still names a Sluice process (not a process that got the pid since). */
function isSluiceProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('sluice');
  } catch {
    return false;
  }
}
