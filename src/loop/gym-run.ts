import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseBenchGoal } from '../config/bench-goal.ts';
import type { MetricResult } from '../gates/bench/bench-types.ts';
import type { CheckResult, GateResult } from '../gates/gate-results.ts';
import type { GymEvidence } from '../review/evidence-gym.ts';
import { type ChartPoint, renderMetricChart } from '../review/metric-chart.ts';
import type { RunRecord } from '../store/run-records.ts';
import type { RunStore } from '../store/run-store.ts';
import { commitTurn } from '../workspace/commits.ts';
import { resolveCommit } from '../workspace/refs.ts';
import { restoreTree } from '../workspace/restore-tree.ts';
import { type GymPoint, GymTracker, gymPoint } from './gym-progress.ts';

/** A gym tracker that knows the iterations a run already finished (for `sluice resume`). */
export async function resumeGymTracker(store: RunStore, runId: string, patience: number): Promise<GymTracker> {
  const iterations = (await store.listIterations(runId)).filter((iteration) => iteration.status === 'finished');
  if (iterations.length === 0) return new GymTracker(patience);
  const gates = await store.gateResults(runId);
  const bench = await store.bench.list({ runId });
  const points: GymPoint[] = iterations.map((iteration) => {
    const checkGates: GateResult[] = gates
      .filter((gate) => gate.iteration === iteration.number)
      .map((gate) => {
        const metrics = bench
          .filter((record) => record.iteration === iteration.number && record.gate === gate.name)
          .map((record) => record.result);
        return metrics.length > 0 ? { ...gate, bench: { runs: metrics[0]?.samples.length ?? 0, metrics } } : gate;
      });
    const check: CheckResult = { verdict: 'failed', gates: checkGates, durationMs: 0, cancelled: false };
    return gymPoint(iteration.number, iteration.commitSha ?? null, check);
  });
  return new GymTracker(patience, points);
}

/**
 * A gym run that did not reach its goals ends on its best result: when a later iteration made
 * things worse, the tree of the best iteration is committed on top. Returns what was done, for the reason.
 */
export async function keepBestResult(store: RunStore, run: RunRecord, gym: GymTracker): Promise<string | undefined> {
  const best = gym.best;
  if (!best?.commit) return undefined;
  const head = await resolveCommit(run.worktreePath, 'HEAD');
  if (head === best.commit) return undefined;
  await restoreTree(run.worktreePath, best.commit);
  const kept = await commitTurn(run.worktreePath, `sluice: keep the best result (iteration ${best.iteration})`);
  if (kept.commit === null) return undefined;
  await store.appendEvent(run.id, 'run:gym:kept-best', { iteration: best.iteration, commit: best.commit });
  return `kept the best result, iteration ${best.iteration}`;
}

/** Write one chart per metric beside the evidence and return the gym's part of it. */
export async function writeGymCharts(gym: GymTracker, runDir: string): Promise<GymEvidence> {
  const points = gym.points;
  const names = [
    ...new Set(points.flatMap((point) => point.metrics.map((metric) => `${metric.gate}.${metric.result.metric}`))),
  ];
  const charts: GymEvidence['charts'] = [];
  for (const name of names) {
    const series = points.flatMap((point) =>
      point.metrics
        .filter((metric) => `${metric.gate}.${metric.result.metric}` === name)
        .map((metric) => ({ iteration: point.iteration, result: metric.result })),
    );
    const first = series[0]?.result;
    if (!first) continue;
    const file = `gym-${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.svg`;
    await writeFile(join(runDir, file), renderMetricChart(chartOf(name, first, series)));
    charts.push({ metric: name, file });
  }
  const best = gym.best;
  return {
    rows: points.map((point) => ({
      iteration: point.iteration,
      metrics: point.metrics.map((metric) => ({
        name: `${metric.gate}.${metric.result.metric}`,
        result: metric.result,
      })),
      goalsMet: point.goalsMet,
      goalsTotal: point.goalsTotal,
    })),
    ...(best ? { best: { iteration: best.iteration, commit: best.commit } } : {}),
    charts,
  };
}

function chartOf(name: string, first: MetricResult, series: Array<{ iteration: number; result: MetricResult }>) {
  const baseline = first.baseline;
  const chartPoints: ChartPoint[] = [
    ...(baseline ? [{ label: 'base', median: baseline.median, interval: baseline.interval }] : []),
    ...series.map(({ iteration, result }) => ({
      label: `#${iteration}`,
      median: result.median,
      interval: result.interval,
    })),
  ];
  const lines: Array<{ label: string; value: number; dashed?: boolean }> = [];
  if (baseline) lines.push({ label: 'baseline', value: baseline.median });
  for (const { goal } of first.goals) {
    const parsed = parseBenchGoal(goal, [first.metric]);
    if (typeof parsed === 'string') continue;
    if (parsed.on === 'value')
      lines.push({ label: `goal ${parsed.op} ${parsed.bound}`, value: parsed.bound, dashed: true });
    else if (baseline) {
      lines.push({ label: `goal x${parsed.bound}`, value: parsed.bound * baseline.median, dashed: true });
    }
  }
  return {
    title: `${name} (${first.better} is better)`,
    ...(first.unit ? { unit: first.unit } : {}),
    points: chartPoints,
    lines,
  };
}
