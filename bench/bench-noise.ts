// Is an unsettled result ever passed? Real CPU-bound `node -e` processes on this machine — on a quiet
// machine and with two busy processes on two cores — measured by wall time and by CPU time (user +
// system of the process tree, the gate's `time: cpu` metric): a no-op change, a 10% and a 25%
// regression, each judged by Sluice's own noise model (judgeMetric with the schema's defaults, the
// gate's own schedule, more rounds while unclear) and by two naive 5%-threshold comparisons of the
// wall times. BENCH_NOISE_TRIALS (default 20) and BENCH_NOISE_CONDITIONS (default `quiet,loaded`)
// trade time for precision.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchSchema, metricSchema } from '../src/config/bench-schema.ts';
import { benchSchedule } from '../src/gates/bench/bench-runs.ts';
import type { MachineLoad, MetricChange, MetricResult } from '../src/gates/bench/bench-types.ts';
import { cpuTimedCommand, readCpuTime } from '../src/gates/bench/cpu-time.ts';
import { judgeMetric, needsMoreRuns } from '../src/gates/bench/judge-bench.ts';
import { sampleMachineLoad } from '../src/gates/bench/machine-load.ts';
import { type BenchReport, formatMs, formatRatio, median, nodeBin, repoRoot, runAlone } from './support.ts';

const trialsPerScenario = Number(process.env.BENCH_NOISE_TRIALS ?? 20);
const conditions = (process.env.BENCH_NOISE_CONDITIONS ?? 'quiet,loaded')
  .split(',')
  .map((name) => name.trim())
  .filter((name): name is Condition => name === 'quiet' || name === 'loaded');
type Condition = 'quiet' | 'loaded';
/** Busy processes of the loaded condition, one per core (as many as there are cores, at most two). */
const loadProcesses = 2;
/** What a hand-written "compare two timings" script calls a change: more than 5% either way. */
const naiveThreshold = 0.05;
/** CPU work per baseline run, on top of Node's own start-up. */
const targetLoopMs = 80;
const calibrationRuns = 9;
// The gate's defaults from the real schema: 7 runs and 1 warm-up per side, 95%, min_effect 0.03, 2000 resamples,
// max_runs 21, unclear: fail.
const bench = benchSchema.parse({ metrics: { wall_ms: {}, cpu_ms: { time: 'cpu' } } });
const wallMetric = metricSchema.parse({}); // no json/regex: the run's wall time in ms, lower is better
const cpuMetric = metricSchema.parse({ time: 'cpu' }); // user + system of the run's process tree, in ms

const scenarios = [
  { label: 'no-op (same work both sides)', slowdown: 0 },
  { label: '10% regression', slowdown: 0.1 },
  { label: '25% regression', slowdown: 0.25 },
] as const;
const methods = ['naive single run (wall)', 'naive mean of 7 (wall)', 'sluice wall_ms', 'sluice cpu_ms'] as const;
type Method = (typeof methods)[number];
const verdicts: MetricChange[] = ['regressed', 'unclear', 'wash', 'improved'];

// sha256 over a 1 MB buffer fed in `iterations` times: fixed CPU work in native code, so its cost
// grows linearly with the count (a loop of small hashes does not: its first iterations pay for the
// JIT), a digest that proves the work was done, and the loop's own time for the calibration.
const workloadScript = [
  "const crypto = require('node:crypto');",
  "const { performance } = require('node:perf_hooks');",
  'const iterations = Number(process.argv[1]);',
  'const block = Buffer.alloc(1 << 20, 7);',
  'const started = performance.now();',
  'const cpuStarted = process.cpuUsage();',
  "const hash = crypto.createHash('sha256');",
  'for (let i = 0; i < iterations; i++) hash.update(block);',
  "const digest = hash.digest('hex');",
  'const cpu = process.cpuUsage(cpuStarted);',
  'const loopCpuMs = (cpu.user + cpu.system) / 1000;',
  'process.stdout.write(JSON.stringify({ iterations, loopMs: performance.now() - started, loopCpuMs, digest }));',
].join('\n');

interface WorkloadRun {
  wallMs: number;
  cpuMs: number;
  loopMs: number;
  /** CPU time of the hashing loop alone: the calibration's measure, which a busy machine does not inflate. */
  loopCpuMs: number;
}

let processesRun = 0;
const digests = new Map<number, string>();
const cpuFile = join(tmpdir(), `sluice-bench-noise-${process.pid}.cpu`);

/**
 * One workload process under the gate's CPU-time parent (as a bench gate with a `time: cpu` metric
 * runs it), timed from spawn to exit; throws unless it did exactly the work asked.
 */
async function runWorkload(iterations: number): Promise<WorkloadRun> {
  const timed = cpuTimedCommand(`${JSON.stringify(nodeBin)} -e ${shellQuote(workloadScript)} ${iterations}`, cpuFile);
  const started = performance.now();
  const result = spawnSync(timed.command.file, timed.command.args, {
    cwd: repoRoot,
    encoding: 'utf8',
    input: timed.input,
    timeout: 60_000,
  });
  const wallMs = performance.now() - started;
  const cpu = await readCpuTime(timed);
  processesRun++;
  if (result.status !== 0) {
    throw new Error(`workload (${iterations} iterations) exited ${result.status ?? result.signal}: ${result.stderr}`);
  }
  if (!cpu.ok) throw new Error(`workload (${iterations} iterations): ${cpu.problem}`);
  const output = JSON.parse(result.stdout) as { iterations: number; loopMs: number; loopCpuMs: number; digest: string };
  const expected = digests.get(iterations) ?? output.digest;
  if (output.iterations !== iterations || output.digest !== expected) {
    throw new Error(`workload did ${output.iterations} iterations (digest ${output.digest}), asked ${iterations}`);
  }
  digests.set(iterations, expected);
  return { wallMs, cpuMs: cpu.ms, loopMs: output.loopMs, loopCpuMs: output.loopCpuMs };
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** Two spinning processes, pinned to cores 0 and 1 where `taskset` exists: the loaded machine. */
function startLoad(): ChildProcess[] {
  const hasTaskset = spawnSync('taskset', ['--version']).status === 0;
  const load = Array.from({ length: loadProcesses }, (_, core) => {
    const spin = [nodeBin, '-e', 'for (;;) {}'];
    const [file, ...args] = hasTaskset ? ['taskset', '-c', String(core), ...spin] : spin;
    return spawn(file as string, args, { stdio: 'ignore' });
  });
  // The spinners must not outlive an interrupted benchmark.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopLoad(load);
      process.exit(130);
    });
  }
  return load;
}

function stopLoad(load: ChildProcess[]): void {
  for (const child of load) child.kill('SIGKILL');
}

interface Calibration {
  baseIterations: number;
  baseWallMs: number;
  baseCpuMs: number;
  baseLoopMs: number;
  iterationMs: number;
}

/**
 * Size the work so its loop takes about `targetLoopMs` of CPU; then the whole run's wall and CPU
 * time, and the CPU cost of one more iteration from the loop CPU times of N and 2N iterations
 * (interleaved), so the regression scenarios add work worth a given share of the run's CPU time.
 * CPU, not wall: a busy machine stretches wall times unevenly, so a wall-time calibration under load
 * sizes the work wrong.
 */
async function calibrate(): Promise<Calibration> {
  const probeIterations = 20;
  const probe: WorkloadRun[] = [];
  for (let run = 0; run < 4; run++) probe.push(await runWorkload(probeIterations));
  const probeIterationMs = median(probe.slice(1).map((run) => run.loopCpuMs)) / probeIterations;
  const baseIterations = Math.max(1, Math.round(targetLoopMs / probeIterationMs));
  const single: WorkloadRun[] = [];
  const double: WorkloadRun[] = [];
  for (let run = 0; run < calibrationRuns; run++) {
    single.push(await runWorkload(baseIterations));
    double.push(await runWorkload(2 * baseIterations));
  }
  const baseLoopMs = median(single.map((run) => run.loopCpuMs));
  const iterationMs = (median(double.map((run) => run.loopCpuMs)) - baseLoopMs) / baseIterations;
  if (!(iterationMs > 0)) throw new Error(`calibration failed: ${2 * baseIterations} iterations were not slower`);
  return {
    baseIterations,
    baseWallMs: median(single.map((run) => run.wallMs)),
    baseCpuMs: median(single.map((run) => run.cpuMs)),
    baseLoopMs,
    iterationMs,
  };
}

type Samples = { baseline: number[]; change: number[] };

interface TrialOutcome {
  calls: Record<Method, MetricChange>;
  judged: { wall: MetricResult; cpu: MetricResult };
  /** Measured runs per side Sluice took (more than the first round when a verdict was unclear). */
  runs: number;
  wall: Samples;
  cpu: Samples;
}

function naiveCall(ratio: number): MetricChange {
  return ratio > 1 + naiveThreshold ? 'regressed' : ratio < 1 - naiveThreshold ? 'improved' : 'wash';
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * One trial: the gate's schedule (warm-up pair, then pairs whose order flips) with both metrics, as
 * one gate measuring `wall_ms` and `cpu_ms`; Sluice, like the gate, measures more rounds while
 * `needsMoreRuns` says either verdict is unclear, up to `max_runs`; the naive methods see only the
 * first round of wall times.
 */
async function runTrial(baseIterations: number, changeIterations: number): Promise<TrialOutcome> {
  const wall: Samples = { baseline: [], change: [] };
  const cpu: Samples = { baseline: [], change: [] };
  const measure = async (runs: number, warmup: number) => {
    for (const run of benchSchedule(runs, warmup, true)) {
      const measured = await runWorkload(run.side === 'change' ? changeIterations : baseIterations);
      if (run.warmup) continue;
      wall[run.side].push(measured.wallMs);
      cpu[run.side].push(measured.cpuMs);
    }
  };
  const base = { ref: 'base', commit: 'base' };
  const judge = () => ({
    wall: judgeMetric('wall_ms', wallMetric, wall, bench, [], base),
    cpu: judgeMetric('cpu_ms', cpuMetric, cpu, bench, [], base),
  });
  await measure(bench.runs, bench.warmup);
  const firstRound = { baseline: [...wall.baseline], change: [...wall.change] };
  let judged = judge();
  while (wall.change.length < bench.max_runs && needsMoreRuns([judged.wall, judged.cpu])) {
    await measure(Math.min(bench.runs, bench.max_runs - wall.change.length), 0);
    judged = judge();
  }
  // The first measured pair is baseline then change: what a script timing each side once sees.
  const single = (firstRound.change[0] ?? Number.NaN) / (firstRound.baseline[0] ?? Number.NaN);
  return {
    calls: {
      'naive single run (wall)': naiveCall(single),
      'naive mean of 7 (wall)': naiveCall(mean(firstRound.change) / mean(firstRound.baseline)),
      'sluice wall_ms': judged.wall.change ?? 'unclear',
      'sluice cpu_ms': judged.cpu.change ?? 'unclear',
    },
    judged,
    runs: wall.change.length,
    wall,
    cpu,
  };
}

function share(count: number, total: number): string {
  return `${count}/${total} (${Math.round((100 * count) / total)}%)`;
}

/** What one condition (quiet or loaded) measured: per scenario, its trials. */
interface ConditionRun {
  condition: Condition;
  machine: MachineLoad;
  calibration: Calibration;
  changeIterations: number[];
  outcomes: TrialOutcome[][];
  seconds: number;
}

async function runCondition(condition: Condition): Promise<ConditionRun> {
  const load = condition === 'loaded' ? startLoad() : [];
  try {
    // Let the load settle before calibrating and sampling it.
    if (load.length > 0) await new Promise((resolve) => setTimeout(resolve, 2000));
    const machine = await sampleMachineLoad();
    const calibration = await calibrate();
    const changeIterations = scenarios.map(
      (scenario) =>
        calibration.baseIterations + Math.round((scenario.slowdown * calibration.baseCpuMs) / calibration.iterationMs),
    );
    process.stderr.write(
      `bench-noise ${condition}: ${machine.note ?? 'machine not loaded'}; ${calibration.baseIterations} MB hashed per baseline run ` +
        `(loop ${formatMs(calibration.baseLoopMs)} CPU, whole process ${formatMs(calibration.baseWallMs)} wall, ` +
        `${formatMs(calibration.baseCpuMs)} CPU); change sides: ${changeIterations.join(', ')}\n`,
    );
    const outcomes: TrialOutcome[][] = scenarios.map(() => []);
    const started = performance.now();
    // Scenarios take turns trial by trial, so drift in the machine's load weighs on all three alike.
    for (let trial = 0; trial < trialsPerScenario; trial++) {
      for (const [index, scenario] of scenarios.entries()) {
        const outcome = await runTrial(
          calibration.baseIterations,
          changeIterations[index] ?? calibration.baseIterations,
        );
        outcomes[index]?.push(outcome);
        const show = (metric: MetricResult) => {
          const [low, high] = metric.ratio?.interval ?? [Number.NaN, Number.NaN];
          return `${metric.change} (${formatRatio(metric.ratio?.value ?? Number.NaN)} [${low.toFixed(3)}, ${high.toFixed(3)}])`;
        };
        process.stderr.write(
          `bench-noise ${condition}: trial ${trial + 1}/${trialsPerScenario} ${scenario.label}: wall ${show(outcome.judged.wall)}, ` +
            `cpu ${show(outcome.judged.cpu)}, ${outcome.runs} runs/side, naive mean ${outcome.calls['naive mean of 7 (wall)']} ` +
            `(${formatMs(performance.now() - started)})\n`,
        );
      }
    }
    return {
      condition,
      machine,
      calibration,
      changeIterations,
      outcomes,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    stopLoad(load);
  }
}

export async function benchNoise(): Promise<BenchReport> {
  const runs: ConditionRun[] = [];
  try {
    for (const condition of conditions) runs.push(await runCondition(condition));
  } finally {
    rmSync(cpuFile, { force: true });
  }
  const rows: string[][] = [];
  const targets: BenchReport['targets'] = [];
  const checks: BenchReport['checks'] = [];
  const notes: string[] = [];
  for (const run of runs) {
    const { condition, outcomes } = run;
    const count = (index: number, method: Method, calls: MetricChange[]) =>
      (outcomes[index] ?? []).filter((outcome) => calls.includes(outcome.calls[method])).length;
    const pooled = (index: number, metric: 'wall' | 'cpu') => {
      const trials = outcomes[index] ?? [];
      return median(trials.flatMap((t) => t[metric].change)) / median(trials.flatMap((t) => t[metric].baseline));
    };
    for (const [index, scenario] of scenarios.entries()) {
      for (const method of methods) {
        const ratio = pooled(index, method.includes('cpu') ? 'cpu' : 'wall');
        rows.push([
          condition,
          scenario.label,
          formatRatio(ratio),
          method,
          ...verdicts.map((verdict) => share(count(index, method, [verdict]), trialsPerScenario)),
        ]);
      }
    }
    for (const method of ['sluice wall_ms', 'sluice cpu_ms'] as const) {
      const noOpChanged = count(0, method, ['regressed', 'improved']);
      const noOpUnclear = count(0, method, ['unclear']);
      const tenCaught = count(1, method, ['regressed', 'unclear']);
      const quarterPassed = count(2, method, ['wash', 'improved']);
      targets.push(
        {
          target: `${condition}, ${method}: 25% regression never passes (regressed or unclear in every trial)`,
          measured: `${share(trialsPerScenario - quarterPassed, trialsPerScenario)} (regressed ${count(2, method, ['regressed'])})`,
          met: quarterPassed === 0,
        },
        {
          target: `${condition}, ${method}: 10% regression caught (regressed or unclear: the gate fails) in >= 90%`,
          measured: `${share(tenCaught, trialsPerScenario)} (regressed ${count(1, method, ['regressed'])})`,
          met: tenCaught / trialsPerScenario >= 0.9,
        },
        {
          target: `${condition}, ${method}: no-op called changed (regressed or improved) in <= 5%`,
          measured: `${share(noOpChanged, trialsPerScenario)}; unclear (the gate fails it too) ${share(noOpUnclear, trialsPerScenario)}`,
          met: noOpChanged / trialsPerScenario <= 0.05,
        },
      );
    }
    const [noOp = Number.NaN, ten = Number.NaN, quarter = Number.NaN] = [0, 1, 2].map((index) => pooled(index, 'wall'));
    checks.push({
      check: `${condition}: more work is slower: pooled wall-time ratios rise from no-op to 10% to 25%`,
      ok: noOp < ten && ten < quarter,
      detail: [noOp, ten, quarter].map((ratio, index) => `${scenarios[index]?.label} ${formatRatio(ratio)}`).join(', '),
    });
    const badTrials = outcomes.flatMap((trials) =>
      trials.filter(
        (trial) =>
          trial.wall.baseline.length !== trial.wall.change.length ||
          trial.cpu.change.length !== trial.wall.change.length ||
          trial.runs < bench.runs ||
          trial.runs > bench.max_runs,
      ),
    );
    checks.push({
      check: `${condition}: every trial measured both sides and both metrics alike, between ${bench.runs} and ${bench.max_runs} runs each`,
      ok: badTrials.length === 0,
      detail: `${badTrials.length} uneven trials`,
    });
    const loadCheck = condition === 'loaded' ? run.machine.loaded : !run.machine.loaded;
    notes.push(
      `${condition}: the gate's load check said ${run.machine.note ?? 'not loaded'} (load average ${run.machine.loadAverage.toFixed(2)}, ` +
        `${run.machine.cores} cores${run.machine.steal === undefined ? '' : `, steal ${(run.machine.steal * 100).toFixed(1)}%`})` +
        `${loadCheck ? '' : ' — NOT what the condition was'}.`,
      `${condition}: calibration: baseline run ${formatMs(run.calibration.baseWallMs)} wall, ${formatMs(run.calibration.baseCpuMs)} CPU ` +
        `(medians of ${calibrationRuns}), of which ${formatMs(run.calibration.baseLoopMs)} CPU hashing; change sides hashed ` +
        `${run.changeIterations.join(' / ')} MB; pooled CPU-time ratios ${[0, 1, 2].map((index) => formatRatio(pooled(index, 'cpu'))).join(' / ')}.`,
      `${condition}: runs per side Sluice took (median, max): ${scenarios
        .map((scenario, index) => {
          const taken = (outcomes[index] ?? []).map((outcome) => outcome.runs);
          return `${scenario.label} ${median(taken)}, ${Math.max(...taken)}`;
        })
        .join('; ')}; trials took ${run.seconds.toFixed(0)} s.`,
      `${condition}: width of the 95% interval of the ratio on the no-op trials (median): wall ` +
        `${median((outcomes[0] ?? []).map((o) => (o.judged.wall.ratio?.interval[1] ?? 0) - (o.judged.wall.ratio?.interval[0] ?? 0))).toFixed(3)}, cpu ` +
        `${median((outcomes[0] ?? []).map((o) => (o.judged.cpu.ratio?.interval[1] ?? 0) - (o.judged.cpu.ratio?.interval[0] ?? 0))).toFixed(3)}.`,
    );
  }
  checks.push({
    check: 'every workload process exited 0 with the requested work, a stable digest and a CPU-time record',
    ok: true,
    detail: `${processesRun} processes (anything else stops the benchmark)`,
  });

  return {
    title: `Bench noise: a no-op change, a 10% and a 25% regression, ${trialsPerScenario} trials each, ${conditions.join(' and ')}`,
    method:
      `each trial runs the gate's own schedule (1 warm-up pair, then ${bench.runs} pairs of baseline and change ` +
      'whose order flips each pair) of a CPU-bound `node -e` process (sha256 over a 1 MB buffer fed in N times, ' +
      `about ${targetLoopMs} ms of CPU hashing on top of Node's start-up), one process at a time, under the gate's CPU-time parent ` +
      '(src/gates/bench/cpu-time.ts), so each run gives both metrics of one gate: `wall_ms` (spawn to exit) and ' +
      '`cpu_ms` (user + system of the process tree). "loaded": two `node -e "for(;;){}"` processes pinned to cores 0 ' +
      'and 1 (taskset) run throughout, calibration included. The regression scenarios add hashing worth 10% / 25% ' +
      "of the baseline process's calibrated CPU time (calibrated by CPU time, which load does not stretch); the " +
      'pooled ratios show how much each metric really moved. ' +
      `Sluice judges with the schema's defaults (confidence ${bench.noise.confidence}, min_effect ` +
      `${bench.noise.min_effect}, ${bench.noise.resamples} resamples, unclear: ${bench.unclear}) and, like the gate, ` +
      `measures further rounds of ${bench.runs} pairs while either verdict is unclear, up to max_runs ${bench.max_runs}. ` +
      'The naive baselines judge the first round of wall times: "naive single run" (the first pair, > 1.05 is a ' +
      'regression, < 0.95 an improvement), "naive mean of 7" (the ratio of means, same threshold). "Unclear" fails ' +
      'the gate by default, so a regression called unclear is caught, and a no-op called unclear is a false failure.',
    table: {
      headers: ['Machine', 'Scenario', 'Ratio (pooled)', 'Method', 'Regressed', 'Unclear', 'Wash', 'Improved'],
      rows,
    },
    targets,
    checks,
    notes,
  };
}

if (import.meta.main) await runAlone(benchNoise);
