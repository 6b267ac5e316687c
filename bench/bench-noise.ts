// Is an unsettled result ever passed? Real CPU-bound `node -e` processes on this machine — on a quiet
// machine and with two busy processes on two cores — measured by wall time and by CPU time (user +
// system of the process tree, the gate's `time: cpu` metric): a no-op change, a 10% and a 25%
// regression, each judged by Sluice's own noise model (judgeMetric with the schema's defaults, the
// gate's own schedule, more rounds while unclear) and by two naive 5%-threshold comparisons of the
// wall times; then the same three changes of a shell pipeline counted in instructions under valgrind
// (`time: instructions`), where valgrind is installed. BENCH_NOISE_TRIALS (default 20),
// BENCH_NOISE_CONDITIONS (default `quiet,loaded`) and BENCH_NOISE_LOOP_MS (CPU work per run, default 50)
// trade time for precision.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchConfig, MetricConfig } from '../src/config/bench-schema.ts';
import { benchSchema, metricSchema } from '../src/config/bench-schema.ts';
import { benchSchedule } from '../src/gates/bench/bench-runs.ts';
import { equivalenceLevel } from '../src/gates/bench/bench-statistics.ts';
import type { MachineLoad, MetricChange, MetricResult } from '../src/gates/bench/bench-types.ts';
import { cpuTimedCommand, readCpuTime } from '../src/gates/bench/cpu-time.ts';
import {
  canCountInstructions,
  instructionCountedCommand,
  readInstructionCount,
} from '../src/gates/bench/instruction-count.ts';
import { judgeMetric, needsMoreRuns } from '../src/gates/bench/judge-bench.ts';
import { sampleMachineLoad } from '../src/gates/bench/machine-load.ts';
import { type BenchReport, formatMs, formatRatio, median, nodeBin, repoRoot, runAlone } from './support.ts';

const trialsPerScenario = Number(process.env.BENCH_NOISE_TRIALS ?? 20);
/** Trials of the instruction count: each valgrind run takes seconds on a loaded machine, and the count does not vary. */
const countTrials = Number(process.env.BENCH_NOISE_COUNT_TRIALS ?? trialsPerScenario);
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
const targetLoopMs = Number(process.env.BENCH_NOISE_LOOP_MS ?? 50);
const calibrationRuns = 9;
// The gate's defaults from the real schema: 7 runs and 1 warm-up per side, 95%, min_effect 0.03, 2000 resamples,
// max_runs 28, unclear: fail.
const bench = benchSchema.parse({ metrics: { wall_ms: {}, cpu_ms: { time: 'cpu' } } });
const wallMetric = metricSchema.parse({}); // no json/regex: the run's wall time in ms, lower is better
const cpuMetric = metricSchema.parse({ time: 'cpu' }); // user + system of the run's process tree, in ms
// A count does not drift with load: 5 runs a side, no warm-up, as a gate of a deterministic metric would set.
const countBench = benchSchema.parse({
  runs: 5,
  warmup: 0,
  max_runs: 10,
  metrics: { instructions: { time: 'instructions' } },
});
const countMetric = metricSchema.parse({ time: 'instructions' });
const hasValgrind = canCountInstructions();

const scenarios = [
  { label: 'no-op (same work both sides)', slowdown: 0 },
  { label: '10% regression', slowdown: 0.1 },
  { label: '25% regression', slowdown: 0.25 },
] as const;
const methods = [
  'naive single run (wall)',
  'naive mean of 7 (wall)',
  'sluice wall_ms',
  'sluice cpu_ms',
  'sluice instructions',
] as const;
/** The methods that are Sluice's gate, one metric per gate. */
const sluiceMethods = ['sluice wall_ms', 'sluice cpu_ms', 'sluice instructions'] as const;
type Method = (typeof methods)[number];
const verdicts: MetricChange[] = ['regressed', 'unclear', 'wash', 'improved'];

// The workload: `sha256sum` of a file of N zero bytes — fixed CPU work in native code whose cost
// grows linearly with N, one small process (no interpreter start-up to pay for on a loaded machine),
// and a digest that proves the work was done. A regression is a bigger file.
let processesRun = 0;
const digests = new Map<number, string>();
const workDir = mkdtempSync(join(tmpdir(), 'sluice-bench-noise-'));
const cpuFile = join(workDir, 'run.cpu');

function workFile(bytes: number): string {
  const path = join(workDir, `${bytes}.bin`);
  if (!existsSync(path)) writeFileSync(path, Buffer.alloc(bytes));
  return path;
}

function hashCommand(bytes: number): string {
  return `sha256sum ${workFile(bytes)}`;
}

function checkDigest(bytes: number, stdout: string): void {
  const digest = stdout.split(/\s/)[0] ?? '';
  const expected = digests.get(bytes) ?? digest;
  if (!/^[0-9a-f]{64}$/.test(digest) || digest !== expected) {
    throw new Error(`workload of ${bytes} bytes printed ${JSON.stringify(stdout)}, expected digest ${expected}`);
  }
  digests.set(bytes, expected);
}

interface WorkloadRun {
  wallMs: number;
  cpuMs: number;
}

/**
 * One workload process under the gate's CPU-time parent (as a bench gate with a `time: cpu` metric
 * runs it), timed from spawn to exit; throws unless it did exactly the work asked.
 */
async function runWorkload(bytes: number): Promise<WorkloadRun> {
  const timed = cpuTimedCommand(hashCommand(bytes), cpuFile);
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
  if (result.status !== 0)
    throw new Error(`workload (${bytes} bytes) exited ${result.status ?? result.signal}: ${result.stderr}`);
  if (!cpu.ok) throw new Error(`workload (${bytes} bytes): ${cpu.problem}`);
  checkDigest(bytes, result.stdout);
  return { wallMs, cpuMs: cpu.ms };
}

/** One workload process under the gate's instruction counter (valgrind), as a `time: instructions` gate runs it. */
async function countWorkload(bytes: number): Promise<number> {
  const counted = await instructionCountedCommand(hashCommand(bytes));
  const result = spawnSync(counted.command.file, counted.command.args, {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 300_000,
  });
  const count = await readInstructionCount(counted.dir);
  processesRun++;
  if (result.status !== 0)
    throw new Error(`counted workload (${bytes} bytes) exited ${result.status ?? result.signal}: ${result.stderr}`);
  if (!count.ok) throw new Error(`counted workload (${bytes} bytes): ${count.problem}`);
  checkDigest(bytes, result.stdout);
  return count.count;
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
      rmSync(workDir, { recursive: true, force: true });
      process.exit(130);
    });
  }
  return load;
}

function stopLoad(load: ChildProcess[]): void {
  for (const child of load) child.kill('SIGKILL');
}

interface Calibration {
  baseBytes: number;
  baseWallMs: number;
  baseCpuMs: number;
  /** CPU time of one more byte. */
  byteMs: number;
}

/**
 * Size the file so hashing it takes about `targetLoopMs` of CPU; then the CPU cost of a byte from the
 * CPU times of N and 2N bytes (interleaved), so the regression scenarios add work worth a given share of
 * the run's CPU time. CPU, not wall: a busy machine stretches wall times unevenly, so a wall-time
 * calibration under load sizes the work wrong.
 */
async function calibrate(): Promise<Calibration> {
  const probeBytes = 4 << 20;
  const probe: WorkloadRun[] = [];
  for (let run = 0; run < 4; run++) probe.push(await runWorkload(probeBytes));
  const probeByteMs = median(probe.slice(1).map((run) => run.cpuMs)) / probeBytes;
  const baseBytes = Math.max(1 << 20, Math.round(targetLoopMs / probeByteMs / 4096) * 4096);
  const single: WorkloadRun[] = [];
  const double: WorkloadRun[] = [];
  for (let run = 0; run < calibrationRuns; run++) {
    single.push(await runWorkload(baseBytes));
    double.push(await runWorkload(2 * baseBytes));
  }
  const baseCpuMs = median(single.map((run) => run.cpuMs));
  const byteMs = (median(double.map((run) => run.cpuMs)) - baseCpuMs) / baseBytes;
  if (!(byteMs > 0)) throw new Error(`calibration failed: ${2 * baseBytes} bytes were not slower`);
  return { baseBytes, baseWallMs: median(single.map((run) => run.wallMs)), baseCpuMs, byteMs };
}

type Samples = { baseline: number[]; change: number[] };
const base = { ref: 'base', commit: 'base' };

/**
 * The verdict a gate measuring only this metric reaches on these samples: it judges the first round,
 * and takes another round of `runs` pairs while the verdict is unclear, up to `max_runs` — the same
 * interleaved pairs, so a prefix of the samples is exactly what that gate would have measured.
 */
function settleAlone(
  name: string,
  metric: MetricConfig,
  samples: Samples,
  config: BenchConfig,
): { judged: MetricResult; runs: number } {
  const measured = samples.change.length;
  let runs = Math.min(config.runs, measured);
  for (;;) {
    const prefix = { change: samples.change.slice(0, runs), baseline: samples.baseline.slice(0, runs) };
    const judged = judgeMetric(name, metric, prefix, config, [], base);
    if (!needsMoreRuns([judged]) || runs >= measured) return { judged, runs };
    runs = Math.min(runs + config.runs, measured);
  }
}

interface TrialOutcome {
  calls: Partial<Record<Method, MetricChange>>;
  /** Each metric as a gate of its own would judge it (and how many runs per side it took). */
  alone: Partial<Record<'wall' | 'cpu' | 'count', { judged: MetricResult; runs: number }>>;
  /** Runs per side measured: enough for every metric to settle or reach max_runs. */
  runs: number;
  wall: Samples;
  cpu: Samples;
  count: Samples;
}

function naiveCall(ratio: number): MetricChange {
  return ratio > 1 + naiveThreshold ? 'regressed' : ratio < 1 - naiveThreshold ? 'improved' : 'wash';
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * One trial of the timed metrics: the gate's schedule (warm-up pair, then pairs whose order flips),
 * measuring more rounds while either metric is unclear, up to `max_runs`; each metric is then judged
 * as a gate of its own would (settleAlone). The naive methods see only the first round of wall times.
 */
async function runTrial(baseBytes: number, changeBytes: number): Promise<TrialOutcome> {
  const wall: Samples = { baseline: [], change: [] };
  const cpu: Samples = { baseline: [], change: [] };
  const measure = async (runs: number, warmup: number) => {
    for (const run of benchSchedule(runs, warmup, true)) {
      const measured = await runWorkload(run.side === 'change' ? changeBytes : baseBytes);
      if (run.warmup) continue;
      wall[run.side].push(measured.wallMs);
      cpu[run.side].push(measured.cpuMs);
    }
  };
  const judge = () => [
    judgeMetric('wall_ms', wallMetric, wall, bench, [], base),
    judgeMetric('cpu_ms', cpuMetric, cpu, bench, [], base),
  ];
  await measure(bench.runs, bench.warmup);
  const firstRound = { baseline: [...wall.baseline], change: [...wall.change] };
  while (wall.change.length < bench.max_runs && needsMoreRuns(judge())) {
    await measure(Math.min(bench.runs, bench.max_runs - wall.change.length), 0);
  }
  const alone = {
    wall: settleAlone('wall_ms', wallMetric, wall, bench),
    cpu: settleAlone('cpu_ms', cpuMetric, cpu, bench),
  };
  // The first measured pair is baseline then change: what a script timing each side once sees.
  const single = (firstRound.change[0] ?? Number.NaN) / (firstRound.baseline[0] ?? Number.NaN);
  return {
    calls: {
      'naive single run (wall)': naiveCall(single),
      'naive mean of 7 (wall)': naiveCall(mean(firstRound.change) / mean(firstRound.baseline)),
      'sluice wall_ms': alone.wall.judged.change ?? 'unclear',
      'sluice cpu_ms': alone.cpu.judged.change ?? 'unclear',
    },
    alone,
    runs: wall.change.length,
    wall,
    cpu,
    count: { baseline: [], change: [] },
  };
}

/** One trial of the instruction count, as a `time: instructions` gate with 5 runs a side runs it. */
async function runCountTrial(baseBytes: number, changeBytes: number): Promise<TrialOutcome> {
  const count: Samples = { baseline: [], change: [] };
  const measure = async (runs: number, warmup: number) => {
    for (const run of benchSchedule(runs, warmup, true)) {
      const measured = await countWorkload(run.side === 'change' ? changeBytes : baseBytes);
      if (!run.warmup) count[run.side].push(measured);
    }
  };
  await measure(countBench.runs, countBench.warmup);
  const judge = () => judgeMetric('instructions', countMetric, count, countBench, [], base);
  while (count.change.length < countBench.max_runs && needsMoreRuns([judge()])) {
    await measure(Math.min(countBench.runs, countBench.max_runs - count.change.length), 0);
  }
  const judged = judge();
  return {
    calls: { 'sluice instructions': judged.change ?? 'unclear' },
    alone: { count: { judged, runs: count.change.length } },
    runs: count.change.length,
    wall: { baseline: [], change: [] },
    cpu: { baseline: [], change: [] },
    count,
  };
}

function share(count: number, total: number): string {
  return `${count}/${total} (${Math.round((100 * count) / total)}%)`;
}

/** What one condition (quiet or loaded) measured: per scenario, its trials. */
interface ConditionRun {
  condition: Condition;
  machine: MachineLoad;
  /** Load average at the end of the trials: other work on the machine comes and goes. */
  loadAfter: number;
  calibration: Calibration;
  changeBytes: number[];
  outcomes: TrialOutcome[][];
  /** Instruction-count trials per scenario (empty without valgrind). */
  counted: TrialOutcome[][];
  countBytes: number[];
  seconds: number;
  countSeconds: number;
}

function describe(result: { judged: MetricResult; runs: number } | undefined): string {
  const metric = result?.judged;
  if (!metric) return '-';
  const [low, high] = metric.ratio?.interval ?? [Number.NaN, Number.NaN];
  return `${metric.change} (${formatRatio(metric.ratio?.value ?? Number.NaN)} [${low.toFixed(3)}, ${high.toFixed(3)}], ${result.runs} runs)`;
}

async function runCondition(condition: Condition): Promise<ConditionRun> {
  const load = condition === 'loaded' ? startLoad() : [];
  try {
    // Let the load settle before calibrating and sampling it.
    if (load.length > 0) await new Promise((resolve) => setTimeout(resolve, 2000));
    const machine = await sampleMachineLoad();
    const calibration = await calibrate();
    const changeBytes = scenarios.map(
      (scenario) =>
        calibration.baseBytes +
        Math.round((scenario.slowdown * calibration.baseCpuMs) / calibration.byteMs / 4096) * 4096,
    );
    process.stderr.write(
      `bench-noise ${condition}: ${machine.note ?? 'machine not loaded'}; ${calibration.baseBytes} bytes hashed per baseline run ` +
        `(${formatMs(calibration.baseWallMs)} wall, ${formatMs(calibration.baseCpuMs)} CPU); change sides: ${changeBytes.join(', ')}\n`,
    );
    const outcomes: TrialOutcome[][] = scenarios.map(() => []);
    const started = performance.now();
    // Scenarios take turns trial by trial, so drift in the machine's load weighs on all three alike.
    for (let trial = 0; trial < trialsPerScenario; trial++) {
      for (const [index, scenario] of scenarios.entries()) {
        const outcome = await runTrial(calibration.baseBytes, changeBytes[index] ?? calibration.baseBytes);
        outcomes[index]?.push(outcome);
        process.stderr.write(
          `bench-noise ${condition}: trial ${trial + 1}/${trialsPerScenario} ${scenario.label}: wall ${describe(outcome.alone.wall)}, ` +
            `cpu ${describe(outcome.alone.cpu)}, naive mean ${outcome.calls['naive mean of 7 (wall)']} ` +
            `(${formatMs(performance.now() - started)})\n`,
        );
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const counted: TrialOutcome[][] = scenarios.map(() => []);
    let countBytes: number[] = [];
    const countStarted = performance.now();
    if (hasValgrind) {
      // A smaller file: under valgrind the work runs some 50x slower. Its cost in instructions per byte
      // comes from two sizes; the scenarios add instructions worth 10% / 25% of the baseline's count.
      const countBase = 256 << 10;
      const [small = 0, large = 0] = [await countWorkload(countBase), await countWorkload(2 * countBase)];
      const perByte = (large - small) / countBase;
      countBytes = scenarios.map((scenario) => countBase + Math.round((scenario.slowdown * small) / perByte));
      for (let trial = 0; trial < countTrials; trial++) {
        for (const [index, scenario] of scenarios.entries()) {
          const outcome = await runCountTrial(countBase, countBytes[index] ?? countBase);
          counted[index]?.push(outcome);
          process.stderr.write(
            `bench-noise ${condition}: count trial ${trial + 1}/${countTrials} ${scenario.label}: ` +
              `${describe(outcome.alone.count)} (${formatMs(performance.now() - countStarted)})\n`,
          );
        }
      }
    }
    return {
      condition,
      machine,
      loadAfter: loadavg()[0] ?? Number.NaN,
      calibration,
      changeBytes,
      outcomes,
      counted,
      countBytes,
      seconds,
      countSeconds: (performance.now() - countStarted) / 1000,
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
    rmSync(workDir, { recursive: true, force: true });
  }
  const rows: string[][] = [];
  const targets: BenchReport['targets'] = [];
  const checks: BenchReport['checks'] = [];
  const notes: string[] = [];
  for (const run of runs) {
    const { condition } = run;
    const trialsOf = (method: Method) => (method === 'sluice instructions' ? run.counted : run.outcomes);
    const totalOf = (method: Method) => (method === 'sluice instructions' ? countTrials : trialsPerScenario);
    const count = (index: number, method: Method, calls: MetricChange[]) =>
      (trialsOf(method)[index] ?? []).filter((outcome) => calls.includes(outcome.calls[method] ?? 'unclear')).length;
    const pooled = (index: number, metric: 'wall' | 'cpu' | 'count') => {
      const trials = (metric === 'count' ? run.counted : run.outcomes)[index] ?? [];
      return median(trials.flatMap((t) => t[metric].change)) / median(trials.flatMap((t) => t[metric].baseline));
    };
    const metricOf = (method: Method) =>
      method === 'sluice instructions' ? 'count' : method.includes('cpu') ? 'cpu' : ('wall' as const);
    const shown = methods.filter((method) => method !== 'sluice instructions' || run.counted[0]?.length);
    for (const [index, scenario] of scenarios.entries()) {
      for (const method of shown) {
        rows.push([
          condition,
          scenario.label,
          formatRatio(pooled(index, metricOf(method))),
          method,
          ...verdicts.map((verdict) => share(count(index, method, [verdict]), totalOf(method))),
        ]);
      }
    }
    for (const method of sluiceMethods.filter((candidate) => shown.includes(candidate))) {
      const total = totalOf(method);
      const noOpChanged = count(0, method, ['regressed', 'improved']);
      const noOpUnclear = count(0, method, ['unclear']);
      const tenCaught = count(1, method, ['regressed', 'unclear']);
      const quarterPassed = count(2, method, ['wash', 'improved']);
      targets.push(
        {
          target: `${condition}, ${method}: 25% regression never passes (regressed or unclear in every trial)`,
          measured: `${share(total - quarterPassed, total)} (regressed ${count(2, method, ['regressed'])})`,
          met: quarterPassed === 0,
        },
        {
          target: `${condition}, ${method}: 10% regression caught (regressed or unclear: the gate fails) in >= 18/20`,
          measured: `${share(tenCaught, total)} (regressed ${count(1, method, ['regressed'])})`,
          met: tenCaught / total >= 0.9,
        },
        {
          target: `${condition}, ${method}: no-op called changed (regressed or improved) in <= 1/20`,
          measured: `${share(noOpChanged, total)}; unclear (the gate fails it too) ${share(noOpUnclear, total)}`,
          met: noOpChanged / total <= 0.05,
        },
      );
    }
    const [noOp = Number.NaN, ten = Number.NaN, quarter = Number.NaN] = [0, 1, 2].map((index) => pooled(index, 'cpu'));
    checks.push({
      check: `${condition}: more work costs more: pooled CPU-time ratios rise from no-op to 10% to 25%`,
      ok: noOp < ten && ten < quarter,
      detail: [noOp, ten, quarter].map((ratio, index) => `${scenarios[index]?.label} ${formatRatio(ratio)}`).join(', '),
    });
    const badTrials = run.outcomes.flatMap((trials) =>
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
    if (run.counted[0]?.length) {
      const counts = run.counted.flatMap((trials) => trials.map((trial) => new Set(trial.count.baseline).size));
      checks.push({
        check: `${condition}: the instruction count of the same work is the same in every run, whatever the load`,
        ok: counts.every((distinct) => distinct === 1),
        detail: `baseline counts distinct within a trial: max ${Math.max(...counts)}; across all trials: ${new Set(run.counted.flatMap((trials) => trials.flatMap((trial) => trial.count.baseline))).size}`,
      });
    }
    const loadCheck = condition === 'loaded' ? run.machine.loaded : !run.machine.loaded;
    notes.push(
      `${condition}: the gate's load check said ${run.machine.note ?? 'not loaded'} (load average ${run.machine.loadAverage.toFixed(2)}, ` +
        `${run.machine.cores} cores${run.machine.steal === undefined ? '' : `, steal ${(run.machine.steal * 100).toFixed(1)}%`})` +
        `${loadCheck ? '' : ' — NOT what the condition was'}; load average ${run.loadAfter.toFixed(2)} when the trials ended.`,
      `${condition}: calibration: baseline run ${formatMs(run.calibration.baseWallMs)} wall, ${formatMs(run.calibration.baseCpuMs)} CPU ` +
        `(medians of ${calibrationRuns}); change sides hashed ${run.changeBytes.join(' / ')} bytes; pooled wall-time ratios ` +
        `${[0, 1, 2].map((index) => formatRatio(pooled(index, 'wall'))).join(' / ')}.`,
    );
    for (const key of ['wall', 'cpu'] as const) {
      notes.push(
        `${condition}: ${key} as a gate of its own, runs per side (median, max): ${scenarios
          .map((scenario, index) => {
            const taken = (run.outcomes[index] ?? []).map((outcome) => outcome.alone[key]?.runs ?? 0);
            return `${scenario.label} ${median(taken)}, ${Math.max(...taken)}`;
          })
          .join('; ')}; width of the 95% interval of the ratio on the no-op trials (median) ${median(
          (run.outcomes[0] ?? []).map((o) => {
            const interval = o.alone[key]?.judged.ratio?.interval ?? [0, 0];
            return interval[1] - interval[0];
          }),
        ).toFixed(3)}.`,
      );
    }
    // One gate with both metrics measures until both settle: the CPU verdict on all its samples.
    const combined = (index: number, call: MetricChange) =>
      (run.outcomes[index] ?? []).filter(
        (o) => judgeMetric('cpu_ms', cpuMetric, o.cpu, bench, [], base).change === call,
      ).length;
    notes.push(
      `${condition}: cpu_ms in one gate with wall_ms (more runs, as wall time stays unclear): no-op wash ${combined(0, 'wash')}/${trialsPerScenario}, ` +
        `unclear ${combined(0, 'unclear')}; 10% regressed ${combined(1, 'regressed')}, 25% regressed ${combined(2, 'regressed')}; runs per side (median) ` +
        `${scenarios.map((_, index) => median((run.outcomes[index] ?? []).map((o) => o.runs))).join(' / ')}; timed trials took ${run.seconds.toFixed(0)} s.`,
    );
    if (run.counted[0]?.length) {
      notes.push(
        `${condition}: instructions (${countTrials} trials per scenario): ${256 << 10} bytes hashed per baseline run under valgrind, change sides ${run.countBytes.join(' / ')} bytes; ` +
          `pooled ratios ${[0, 1, 2].map((index) => formatRatio(pooled(index, 'count'))).join(' / ')}; runs per side (max) ` +
          `${run.counted.map((trials) => Math.max(...trials.map((t) => t.runs))).join(' / ')}; counted trials took ${run.countSeconds.toFixed(0)} s.`,
      );
    } else {
      notes.push(`${condition}: instructions not measured: valgrind is not installed here.`);
    }
  }
  checks.push({
    check:
      'every workload process exited 0 with a stable digest of the requested work, and a CPU-time or instruction record',
    ok: true,
    detail: `${processesRun} processes (anything else stops the benchmark)`,
  });

  return {
    title: `Bench noise: a no-op change, a 10% and a 25% regression, ${trialsPerScenario} trials each, ${conditions.join(' and ')}`,
    method:
      `each trial runs the gate's own schedule (1 warm-up pair, then ${bench.runs} pairs of baseline and change ` +
      'whose order flips each pair) of a CPU-bound native process (`sha256sum` of a file of zero bytes, ' +
      `about ${targetLoopMs} ms of CPU), one process at a time, under the gate's CPU-time parent ` +
      '(src/gates/bench/cpu-time.ts), measuring `wall_ms` (spawn to exit) and `cpu_ms` (user + system of the ' +
      'process tree) on the same runs; each metric is judged as a gate of its own would (its first round, then ' +
      'more rounds while it is unclear: a prefix of the same interleaved pairs). "loaded": two `node -e "for(;;){}"` ' +
      'processes pinned to cores 0 and 1 (taskset) run throughout, calibration included, on top of whatever else ' +
      "the machine is running. The regression scenarios hash more bytes, worth 10% / 25% of the baseline run's " +
      "calibrated CPU time. Sluice judges with the schema's defaults (confidence " +
      `${bench.noise.confidence}, min_effect ${bench.noise.min_effect}, ${bench.noise.resamples} resamples, ` +
      `unclear: ${bench.unclear}, max_runs ${bench.max_runs}): regressed or improved when the 95% interval of the ratio ` +
      `of medians excludes 1, the ratio moved beyond min_effect and Mann-Whitney agrees; wash when the ${Math.round(equivalenceLevel(bench.noise.confidence) * 100)}% ` +
      'interval (an equivalence test, TOST) lies within ±min_effect; unclear otherwise. "sluice instructions": the ' +
      "same workload on a 256 KB file under valgrind (the gate's `time: instructions` counter, " +
      `src/gates/bench/instruction-count.ts), ${countBench.runs} runs a side and no warm-up, the regressions adding ` +
      '10% / 25% of the baseline\'s instructions. The naive baselines judge the first round of wall times: "naive ' +
      'single run" (the first pair, > 1.05 is a regression, < 0.95 an improvement), "naive mean of 7" (the ratio of ' +
      'means, same threshold). "Unclear" fails the gate by default, so a regression called unclear is caught, and a ' +
      'no-op called unclear is a false failure.',
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
