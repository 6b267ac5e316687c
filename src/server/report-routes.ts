import type { Hono } from 'hono';
import { parseBenchGoal } from '../config/bench-goal.ts';
import { readAdmissionState } from '../queue/admission-state.ts';
import type { GymSeries, GymTrend, Overview, SessionInfo, UsageReport } from './api-types.ts';
import { queryInteger } from './read-body.ts';
import { requestToken } from './request-guard.ts';
import { summarizeRuns } from './run-routes.ts';
import { tokenMatches } from './serve-token.ts';
import type { ServerContext } from './server-context.ts';
import { addSums, calibrationViewOf, capacityViewOf, emptySums, taskViewOf, usageRowOf } from './views.ts';

const dayMs = 86_400_000;

export function registerReportRoutes(app: Hono, ctx: ServerContext, dispatcherInProcess: boolean): void {
  app.get('/api/session', (c) =>
    c.json<SessionInfo>({
      version: ctx.version,
      repoRoot: ctx.repoRoot,
      configDir: ctx.configDir,
      canChange: tokenMatches(ctx.token, requestToken(c)),
      dispatcherInProcess,
      serverTime: ctx.now().toISOString(),
    }),
  );

  app.get('/api/overview', async (c) => c.json<Overview>(await overview(ctx)));

  app.get('/api/usage', async (c) => {
    const days = queryInteger(c, 'days', { min: 1, max: 366 }) ?? 30;
    const since = new Date(startOfUtcDay(ctx.now()).getTime() - (days - 1) * dayMs);
    const [byModel, byDay, byRun, runs] = await Promise.all([
      ctx.store.usageTotals({ by: 'model', since }),
      ctx.store.usageTotals({ by: 'day', since }),
      ctx.store.usageTotals({ by: 'run', since }),
      ctx.store.listRuns({ limit: 1000 }),
    ]);
    const goals = new Map(runs.map((run) => [run.id, { goal: run.goal, createdAt: run.createdAt }]));
    const perRun = byRun
      .map((total) => ({ ...usageRowOf(total), goal: goals.get(total.key)?.goal ?? '' }))
      .sort((a, b) => (goals.get(b.key)?.createdAt ?? '').localeCompare(goals.get(a.key)?.createdAt ?? ''))
      .slice(0, 200);
    return c.json<UsageReport>({
      since: since.toISOString(),
      total: byModel.reduce((sum, row) => addSums(sum, row), emptySums()),
      byModel: byModel.map(usageRowOf),
      byDay: byDay.map(usageRowOf),
      byRun: perRun,
    });
  });

  app.get('/api/gym', async (c) => c.json<GymTrend>(await gymTrend(ctx)));
}

async function overview(ctx: ServerContext): Promise<Overview> {
  const now = ctx.now();
  const today = startOfUtcDay(now).toISOString();
  const [running, ended, anyRun, tasks, items, spent] = await Promise.all([
    ctx.store.listRuns({ status: 'running' }),
    ctx.store.runsEndedSince(today),
    ctx.store.listRuns({ limit: 1 }),
    ctx.store.queue.listTasks(),
    ctx.store.queue.listReviewItems(),
    ctx.store.usageTotals({ by: 'day', since: startOfUtcDay(now) }),
  ]);
  const state = await readAdmissionState(ctx.store, {
    running: running.length,
    now,
    ...(ctx.config.review.capacity_minutes_per_day !== undefined
      ? { capacityMinutesPerDay: ctx.config.review.capacity_minutes_per_day }
      : {}),
  });
  const waitingItems = items.filter((item) => item.status === 'waiting');
  const waitingMinutes = waitingItems.reduce((sum, item) => sum + item.reviewMinutes, 0);
  const ratio = state.calibration?.ratio;
  return {
    running: await summarizeRuns(ctx, running),
    waiting: tasks.filter((task) => task.status === 'queued' || task.status === 'rework').map(taskViewOf),
    inReview: {
      count: waitingItems.length,
      minutes: round1(waitingMinutes),
      calibratedMinutes: ratio === undefined ? null : round1(waitingMinutes * ratio),
    },
    today: {
      done: ended.done ?? 0,
      blocked: (ended.blocked ?? 0) + (ended['budget-exhausted'] ?? 0),
      failed: ended.failed ?? 0,
      landed: items.filter((item) => item.status === 'landed' && (item.decidedAt ?? '') >= today).length,
    },
    spend: {
      todayUsd: spent.reduce((sum, day) => sum + (day.costUsd ?? 0), 0),
      budgetUsd: ctx.config.queue.max_usd_per_day ?? null,
      unknownCostRecords: spent.reduce((sum, day) => sum + day.unknownCostRecords, 0),
    },
    review: {
      waitingMinutes: round1(state.reviewWaitingMinutes),
      inFlightMinutes: round1(running.length * state.expectedRunMinutes),
      limitMinutes: round1((state.capacity.minutesPerDay * ctx.config.review.target_latency) / dayMs),
      capacity: capacityViewOf(state.capacity, state.calibration),
      calibration: calibrationViewOf(state.calibration),
    },
    empty: anyRun.length === 0 && tasks.length === 0,
    firstCommand: anyRun.length === 0 ? 'sluice run "<goal>"' : 'sluice add "<goal>"',
  };
}

async function gymTrend(ctx: ServerContext): Promise<GymTrend> {
  const records = await ctx.store.bench.list();
  const series = new Map<string, GymSeries>();
  for (const record of records) {
    const key = `${record.gate}\u0000${record.result.metric}`;
    let entry = series.get(key);
    if (!entry) {
      entry = {
        gate: record.gate,
        metric: record.result.metric,
        unit: record.result.unit ?? null,
        better: record.result.better,
        goals: [],
        points: [],
      };
      series.set(key, entry);
    }
    // The goals the newest measurement was judged against are the ones that apply now.
    entry.goals = record.result.goals.map((goal) => {
      const parsed = parseBenchGoal(goal.goal, [record.result.metric]);
      const ratio = typeof parsed === 'string' ? goal.on === 'ratio' : parsed.on === 'ratio';
      return {
        text: goal.goal,
        op: typeof parsed === 'string' ? null : parsed.op,
        bound: typeof parsed === 'string' || ratio ? null : parsed.bound,
        ratio,
      };
    });
    entry.points.push({
      at: record.recordedAt,
      median: record.result.median,
      interval: record.result.interval,
      runId: record.runId ?? null,
      iteration: record.iteration ?? null,
      commit: record.commit ?? null,
    });
  }
  return { series: [...series.values()] };
}

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
