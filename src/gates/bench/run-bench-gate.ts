import { readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { monotonicNow } from '../../clock.ts';
import { type BenchGoal, parseBenchGoal } from '../../config/bench-goal.ts';
import type { BenchConfig, MetricConfig } from '../../config/bench-schema.ts';
import type { GateConfig } from '../../config/schema.ts';
import type { GateResult } from '../gate-results.ts';
import { readGateFailures } from '../read-gate-failures.ts';
import { stripAnsi } from '../reports/failure-text.ts';
import { type BaselineCheckout, BaselineError, type BaselineWorktrees } from './baseline-worktrees.ts';
import { type BenchRunsOutcome, type BenchSide, describeRun, runBenchSchedule } from './bench-runs.ts';
import type { MetricResult } from './bench-types.ts';
import { canCountInstructions, missingCounterProblem } from './instruction-count.ts';
import type { BaselineRef } from './judge-bench.ts';
import { judgeBench, judgeMetric, needsMoreRuns } from './judge-bench.ts';
import { sampleMachineLoad } from './machine-load.ts';
import { countsInstructions } from './read-metric.ts';

/** What a bench gate needs of the check (a GateRunContext fits; importing it would make a cycle with run-gate). */
export interface BenchGateContext {
  /** Folder of sluice.yaml. */
  root: string;
  /** `.sluice/` under the root. */
  sluiceDir: string;
  signal?: AbortSignal;
  onProcessStart?: (group: { pgid: number; startTime: string | undefined }) => void;
  /** The check's base, measured as the baseline unless the gate names its own. */
  baseRef?: string;
  baselines?: BaselineWorktrees;
}

type Outcome = Pick<GateResult, 'status' | 'reason' | 'exitCode' | 'failures' | 'outputTail' | 'logPath' | 'bench'> &
  Partial<Pick<GateResult, 'problems'>>;

/** Run a bench gate: k runs interleaved with the baseline, metrics, noise model, goals. */
export async function runBenchGate(name: string, gate: GateConfig, context: BenchGateContext): Promise<GateResult> {
  const started = monotonicNow();
  const outcome = await measureAndJudge(name, gate, context).catch((error: unknown): Outcome => {
    if (context.signal?.aborted) return { status: 'skipped', reason: 'cancelled', failures: [] };
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: 'failed',
      reason: error instanceof BaselineError ? message : `sluice could not run it: ${message}`,
      failures: [],
    };
  });
  return {
    name,
    kind: gate.kind,
    tier: gate.tier,
    blocking: gate.blocking,
    durationMs: Math.round(monotonicNow() - started),
    ...outcome,
    problems: outcome.problems ?? [],
  };
}

async function measureAndJudge(name: string, gate: GateConfig, context: BenchGateContext): Promise<Outcome> {
  const bench = gate.bench;
  if (!bench || gate.run === undefined) {
    return { status: 'failed', reason: 'a bench gate needs `run` and a `bench` block', failures: [] };
  }
  const goals = bench.goals
    .map((text) => parseBenchGoal(text, Object.keys(bench.metrics)))
    .filter((goal): goal is BenchGoal => typeof goal !== 'string');
  const baselineRef = bench.baseline ?? context.baseRef;
  const wantsBaseline = baselineRef !== undefined && baselineRef !== 'none';
  const ratioGoal = goals.find((goal) => goal.on === 'ratio');
  if (ratioGoal && !wantsBaseline) {
    const reason =
      `goal "${ratioGoal.text}" needs a baseline to compare with: run \`sluice check --base REF\`, ` +
      'check inside `sluice run` (its base commit), or set `bench.baseline`';
    return { status: 'failed', reason, failures: [] };
  }
  // Before a baseline is checked out: a missing tool is the first thing to hear about.
  const counter = countsInstructions(bench.metrics);
  if (counter !== undefined && !canCountInstructions()) {
    return { status: 'failed', reason: missingCounterProblem(counter), failures: [] };
  }
  let baseline: (BaselineCheckout & { ref: string }) | undefined;
  if (wantsBaseline) {
    if (!context.baselines) throw new Error('no baseline worktrees were given to the check');
    baseline = { ref: baselineRef, ...(await context.baselines.checkout(baselineRef)) };
  }

  const logs = join(context.sluiceDir, 'logs');
  const changeSide = { cwd: resolve(context.root, gate.cwd), logFile: join(logs, `${name}.log`) };
  const baselineSide = baseline && {
    cwd: resolve(baseline.root, gate.cwd),
    logFile: join(logs, `${name}.baseline.log`),
  };
  if (baselineSide && !(await isDirectory(baselineSide.cwd))) {
    const reason = `its working directory ${gate.cwd} does not exist at the baseline ${baselineRef} (${baseline?.commit.slice(0, 12)})`;
    return { status: 'failed', reason, failures: [] };
  }
  // Before the first run, so the gate's own runs do not count as load; and before the deadline is set, so
  // the sample does not eat into the runs' budget.
  const machine = await sampleMachineLoad();
  const deadline = monotonicNow() + gate.timeout;
  const schedule = (runs: number, warmup: number) =>
    runBenchSchedule({
      command: gate.run as string,
      sides: { change: changeSide, ...(baselineSide ? { baseline: baselineSide } : {}) },
      env: { ...gate.env, SLUICE_GATE: name },
      runs,
      warmup,
      metrics: bench.metrics,
      deadline,
      ...(context.signal ? { signal: context.signal } : {}),
      ...(context.onProcessStart ? { onProcessStart: context.onProcessStart } : {}),
    });
  const logPathOf = (side: BenchSide) =>
    relative(context.root, side === 'change' ? changeSide.logFile : (baselineSide?.logFile ?? changeSide.logFile));
  const roundStarted = monotonicNow();
  const outcome = await schedule(bench.runs, bench.warmup);
  if (outcome.status !== 'measured') return spoiledRun(outcome, gate, bench, context, logPathOf, baselineSide?.cwd);

  const baselineInfo: BaselineRef | undefined = baseline && { ref: baseline.ref, commit: baseline.commit };
  const judgeAll = (samples: Record<BenchSide, Record<string, number[]>>): MetricResult[] =>
    Object.entries(bench.metrics).map(([metric, config]: [string, MetricConfig]) =>
      judgeMetric(
        metric,
        config,
        {
          change: samples.change[metric] ?? [],
          ...(baselineInfo ? { baseline: samples.baseline[metric] ?? [] } : {}),
        },
        bench,
        goals,
        baselineInfo,
      ),
    );
  const samples = outcome.samples;
  let runs = bench.runs;
  let metrics = judgeAll(samples);
  // An unclear verdict gets more rounds, while the budget lasts: noise is answered with data, not a guess.
  const roundMs = monotonicNow() - roundStarted;
  while (runs < bench.max_runs && needsMoreRuns(metrics) && !context.signal?.aborted) {
    const more = Math.min(bench.runs, bench.max_runs - runs);
    if (deadline - monotonicNow() < roundMs * (more / bench.runs) * 1.5) break;
    const extra = await schedule(more, 0);
    if (extra.status !== 'measured') return spoiledRun(extra, gate, bench, context, logPathOf, baselineSide?.cwd);
    for (const side of ['change', 'baseline'] as const) {
      for (const [metric, values] of Object.entries(extra.samples[side])) samples[side][metric]?.push(...values);
    }
    runs += more;
    metrics = judgeAll(samples);
  }
  const verdict = judgeBench(metrics, bench, goals, runs);
  // A failure on a loaded machine says so: the agent should not chase noise the machine made.
  const loadNote = machine.note ? ` — ${machine.note}` : '';
  const reason = verdict.reason ? `${verdict.reason}${loadNote}` : machine.note;
  return {
    status: verdict.passed ? 'passed' : 'failed',
    ...(reason ? { reason } : {}),
    failures: verdict.failures,
    logPath: logPathOf('change'),
    bench: { runs, metrics, machine },
    ...(machine.note ? { problems: [machine.note] } : {}),
  };
}

/** A run that failed, timed out or printed no readable metric: the gate fails saying which run and side. */
async function spoiledRun(
  outcome: Exclude<BenchRunsOutcome, { status: 'measured' }>,
  gate: GateConfig,
  bench: BenchConfig,
  context: BenchGateContext,
  logPathOf: (side: BenchSide) => string,
  baselineCwd: string | undefined,
): Promise<Outcome> {
  const run = outcome.run;
  const which = describeRun(run, bench.runs, bench.warmup);
  const logPath = logPathOf(run.side);
  if (outcome.status === 'metric-unreadable') {
    const reason = `cannot read metric ${outcome.metric} from the ${which}: ${outcome.problem}`;
    const tail = await outputTail(resolve(context.root, logPath));
    // The end of the output shows what the run printed instead of the metric.
    return { status: 'failed', reason, failures: [], logPath, outputTail: tail };
  }
  const cwd = run.side === 'baseline' && baselineCwd ? baselineCwd : resolve(context.root, gate.cwd);
  const { report: _report, ...unreported } = gate;
  const read = await readGateFailures({
    gate: unreported,
    logFile: resolve(context.root, logPath),
    reportFile: undefined,
    passed: false,
    root: context.root,
    cwd,
  });
  const evidence = { failures: read.failures, logPath, ...(read.outputTail ? { outputTail: read.outputTail } : {}) };
  const process = outcome.outcome;
  switch (process.status) {
    case 'exited':
      return {
        status: 'failed',
        exitCode: process.exitCode,
        reason: `${which} failed: exit ${process.exitCode}`,
        ...evidence,
      };
    case 'signalled':
      return { status: 'failed', reason: `${which} was killed by ${process.signal}`, ...evidence };
    case 'timed-out':
      return {
        status: 'timed-out',
        reason: `timed out during the ${which} (the gate's timeout covers all its runs); its process group was killed`,
        ...evidence,
      };
    case 'cancelled':
      return { status: 'skipped', reason: 'cancelled', failures: [] };
    case 'spawn-failed':
      return { status: 'failed', reason: `${which} could not start: ${process.message}`, failures: [] };
  }
}

async function outputTail(logFile: string): Promise<string[]> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  const lines = stripAnsi(text)
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(-tailLineCount);
  return lines.length > 0 ? lines : ['(no output)'];
}

const tailLineCount = 6;

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
