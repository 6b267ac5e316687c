// Is a wash reported as a wash? Real CPU-bound `node -e` processes timed by wall clock on this
// machine: a no-op change, a 10% and a 25% regression, each judged by Sluice's own noise model
// (judgeMetric with the schema's defaults, the gate's own schedule) and by two naive 5%-threshold
// comparisons of the very same samples.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { benchSchema, metricSchema } from '../src/config/bench-schema.ts';
import { benchSchedule } from '../src/gates/bench/bench-runs.ts';
import type { MetricChange } from '../src/gates/bench/bench-types.ts';
import { judgeMetric, needsMoreRuns } from '../src/gates/bench/judge-bench.ts';
import { type BenchReport, formatMs, formatRatio, median, nodeBin, repoRoot, runAlone } from './support.ts';

const trialsPerScenario = 20;
/** What a hand-written "compare two timings" script calls a change: more than 5% either way. */
const naiveThreshold = 0.05;
/** CPU work per baseline run, on top of Node's own start-up (about 55 ms here). */
const targetLoopMs = 50;
const calibrationRuns = 9;
// The gate's defaults from the real schema: 7 runs and 1 warm-up per side, 95%, min_effect 0.03, 2000 resamples.
const bench = benchSchema.parse({ metrics: { wall_ms: {} } });
const wallMetric = metricSchema.parse({}); // no json/regex: the run's wall time in ms, lower is better

const scenarios = [
  { label: 'no-op (same work both sides)', slowdown: 0 },
  { label: '10% regression', slowdown: 0.1 },
  { label: '25% regression', slowdown: 0.25 },
] as const;
const methods = ['naive single run', 'naive mean of 7', 'sluice'] as const;
type Method = (typeof methods)[number];

// sha256 over a 1 MB buffer fed in `iterations` times: fixed CPU work in native code, so its cost
// grows linearly with the count (a loop of small hashes does not: its first iterations pay for the
// JIT), a digest that proves the work was done, and the loop's own time for the calibration.
const workloadScript = [
  "const crypto = require('node:crypto');",
  "const { performance } = require('node:perf_hooks');",
  'const iterations = Number(process.argv[1]);',
  'const block = Buffer.alloc(1 << 20, 7);',
  'const started = performance.now();',
  "const hash = crypto.createHash('sha256');",
  'for (let i = 0; i < iterations; i++) hash.update(block);',
  "const digest = hash.digest('hex');",
  'process.stdout.write(JSON.stringify({ iterations, loopMs: performance.now() - started, digest }));',
].join('\n');

interface WorkloadRun {
  wallMs: number;
  loopMs: number;
}

let processesRun = 0;
const digests = new Map<number, string>();

/** One workload process, timed from spawn to exit; throws unless it did exactly the work asked. */
function runWorkload(iterations: number): WorkloadRun {
  const started = performance.now();
  const result = spawnSync(nodeBin, ['-e', workloadScript, String(iterations)], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 30_000,
  });
  const wallMs = performance.now() - started;
  processesRun++;
  if (result.status !== 0) {
    throw new Error(`workload (${iterations} iterations) exited ${result.status ?? result.signal}: ${result.stderr}`);
  }
  const output = JSON.parse(result.stdout) as { iterations: number; loopMs: number; digest: string };
  const expected = digests.get(iterations) ?? output.digest;
  if (output.iterations !== iterations || output.digest !== expected) {
    throw new Error(`workload did ${output.iterations} iterations (digest ${output.digest}), asked ${iterations}`);
  }
  digests.set(iterations, expected);
  return { wallMs, loopMs: output.loopMs };
}

interface Calibration {
  baseIterations: number;
  baseWallMs: number;
  baseLoopMs: number;
  iterationMs: number;
}

/**
 * Size the work so its loop takes about `targetLoopMs`; then the whole run's wall time, and the cost
 * of one more iteration from the loop times of N and 2N iterations (interleaved), so the regression
 * scenarios add work worth a given share of the wall time.
 */
function calibrate(): Calibration {
  const probeIterations = 20;
  const probe = Array.from({ length: 4 }, () => runWorkload(probeIterations)).slice(1);
  const probeIterationMs = median(probe.map((run) => run.loopMs)) / probeIterations;
  const baseIterations = Math.max(1, Math.round(targetLoopMs / probeIterationMs));
  const single: WorkloadRun[] = [];
  const double: WorkloadRun[] = [];
  for (let run = 0; run < calibrationRuns; run++) {
    single.push(runWorkload(baseIterations));
    double.push(runWorkload(2 * baseIterations));
  }
  const baseLoopMs = median(single.map((run) => run.loopMs));
  const iterationMs = (median(double.map((run) => run.loopMs)) - baseLoopMs) / baseIterations;
  if (!(iterationMs > 0)) throw new Error(`calibration failed: ${2 * baseIterations} iterations were not slower`);
  return { baseIterations, baseWallMs: median(single.map((run) => run.wallMs)), baseLoopMs, iterationMs };
}

interface TrialOutcome {
  calls: Record<Method, MetricChange>;
  sluiceRatio: number;
  sluiceInterval: [number, number];
  mannWhitneyP: number;
  /** Measured runs per side Sluice took (more than the first round when its verdict was unclear). */
  runs: number;
  baseline: number[];
  change: number[];
}

function naiveCall(ratio: number): MetricChange {
  return ratio > 1 + naiveThreshold ? 'regressed' : ratio < 1 - naiveThreshold ? 'improved' : 'wash';
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * One trial: the gate's schedule (warm-up pair, then pairs whose order flips), judged three ways.
 * Sluice, like the gate, measures more rounds while `needsMoreRuns` says the verdict is unclear,
 * up to `max_runs`; the naive methods see only the first round.
 */
function runTrial(baseIterations: number, changeIterations: number): TrialOutcome {
  const samples = { baseline: [] as number[], change: [] as number[] };
  const measure = (runs: number, warmup: number) => {
    for (const run of benchSchedule(runs, warmup, true)) {
      const { wallMs } = runWorkload(run.side === 'change' ? changeIterations : baseIterations);
      if (!run.warmup) samples[run.side].push(wallMs);
    }
  };
  const judge = () => judgeMetric('wall_ms', wallMetric, samples, bench, [], { ref: 'base', commit: 'base' });
  measure(bench.runs, bench.warmup);
  const firstRound = { baseline: [...samples.baseline], change: [...samples.change] };
  let judged = judge();
  while (samples.change.length < bench.max_runs && needsMoreRuns([judged], bench, [])) {
    measure(Math.min(bench.runs, bench.max_runs - samples.change.length), 0);
    judged = judge();
  }
  // The first measured pair is baseline then change: what a script timing each side once sees.
  const single = (firstRound.change[0] ?? Number.NaN) / (firstRound.baseline[0] ?? Number.NaN);
  return {
    calls: {
      'naive single run': naiveCall(single),
      'naive mean of 7': naiveCall(mean(firstRound.change) / mean(firstRound.baseline)),
      sluice: judged.change ?? 'wash',
    },
    sluiceRatio: judged.ratio?.value ?? Number.NaN,
    sluiceInterval: judged.ratio?.interval ?? [Number.NaN, Number.NaN],
    mannWhitneyP: judged.mannWhitneyP ?? Number.NaN,
    runs: samples.change.length,
    ...samples,
  };
}

/** Wilson score interval (95%) of a share: what `count` of `total` trials says about the true rate. */
function wilson(count: number, total: number): string {
  const z = 1.96;
  const rate = count / total;
  const centre = (rate + (z * z) / (2 * total)) / (1 + (z * z) / total);
  const spread = (z / (1 + (z * z) / total)) * Math.sqrt((rate * (1 - rate)) / total + (z * z) / (4 * total * total));
  const percent = (value: number) => `${Math.round(100 * Math.min(1, Math.max(0, value)))}%`;
  return `${percent(centre - spread)}–${percent(centre + spread)}`;
}

function share(count: number, total: number): string {
  return `${count}/${total} (${Math.round((100 * count) / total)}%)`;
}

export async function benchNoise(): Promise<BenchReport> {
  const calibration = calibrate();
  const changeIterations = scenarios.map(
    (scenario) =>
      calibration.baseIterations + Math.round((scenario.slowdown * calibration.baseWallMs) / calibration.iterationMs),
  );
  process.stderr.write(
    `bench-noise: ${calibration.baseIterations} MB hashed per baseline run (loop ${formatMs(calibration.baseLoopMs)}, ` +
      `whole process ${formatMs(calibration.baseWallMs)}); change sides: ${changeIterations.join(', ')}\n`,
  );
  const outcomes: TrialOutcome[][] = scenarios.map(() => []);
  const started = performance.now();
  // Scenarios take turns trial by trial, so drift in the machine's load weighs on all three alike.
  for (let trial = 0; trial < trialsPerScenario; trial++) {
    scenarios.forEach((scenario, index) => {
      const outcome = runTrial(calibration.baseIterations, changeIterations[index] ?? calibration.baseIterations);
      outcomes[index]?.push(outcome);
      const [low, high] = outcome.sluiceInterval;
      process.stderr.write(
        `bench-noise: trial ${trial + 1}/${trialsPerScenario} ${scenario.label}: sluice ${outcome.calls.sluice} ` +
          `(${formatRatio(outcome.sluiceRatio)} [${low.toFixed(3)}, ${high.toFixed(3)}]), ` +
          `naive single ${outcome.calls['naive single run']}, naive mean ${outcome.calls['naive mean of 7']} ` +
          `(${formatMs(performance.now() - started)})\n`,
      );
    });
  }

  const count = (index: number, method: Method, call: MetricChange) =>
    (outcomes[index] ?? []).filter((outcome) => outcome.calls[method] === call).length;
  const realized = scenarios.map((_, index) => {
    const trials = outcomes[index] ?? [];
    return median(trials.flatMap((t) => t.change)) / median(trials.flatMap((t) => t.baseline));
  });
  const rows = scenarios.flatMap((scenario, index) =>
    methods.map((method) => [
      scenario.label,
      formatRatio(realized[index] ?? Number.NaN),
      method,
      share(count(index, method, 'regressed'), trialsPerScenario),
      share(count(index, method, 'wash'), trialsPerScenario),
      share(count(index, method, 'improved'), trialsPerScenario),
    ]),
  );
  const regressedLine = (index: number) =>
    methods.map((method) => `${method} ${share(count(index, method, 'regressed'), trialsPerScenario)}`).join(', ');
  const sluiceFalseAlarms = count(0, 'sluice', 'regressed') + count(0, 'sluice', 'improved');
  const sluiceCaught25 = count(2, 'sluice', 'regressed');
  // Why Sluice called a real regression a wash: which of its three conditions did not hold.
  const missed = (outcomes[2] ?? []).filter((outcome) => outcome.calls.sluice !== 'regressed');
  const missReasons = [
    `interval reaching down to 1 in ${missed.filter((outcome) => !(outcome.sluiceInterval[0] > 1)).length}`,
    `Mann-Whitney p >= ${(1 - bench.noise.confidence).toFixed(2)} in ${missed.filter((outcome) => !(outcome.mannWhitneyP < 1 - bench.noise.confidence)).length}`,
    `ratio within min_effect in ${missed.filter((outcome) => !(outcome.sluiceRatio > 1 + bench.noise.min_effect)).length}`,
  ].join(', ');
  const trialBaselineMs = median(outcomes.flatMap((trials) => trials.flatMap((outcome) => outcome.baseline)));
  const noOpWidths = (outcomes[0] ?? []).map((outcome) => outcome.sluiceInterval[1] - outcome.sluiceInterval[0]);
  // The detection figures mean something only if more work really made the runs slower.
  const [noOpRatio = Number.NaN, tenRatio = Number.NaN, quarterRatio = Number.NaN] = realized;
  const regressionsOk = noOpRatio < tenRatio && tenRatio < quarterRatio;
  // The gate's schedule, as the trials ran it: equal samples per side, within runs..max_runs.
  const badTrials = outcomes.flatMap((trials, index) =>
    trials
      .filter(
        (trial) =>
          trial.baseline.length !== trial.change.length ||
          trial.change.length < bench.runs ||
          trial.change.length > bench.max_runs,
      )
      .map((trial) => `${scenarios[index]?.label}: ${trial.baseline.length} baseline, ${trial.change.length} change`),
  );

  return {
    title: `Bench noise: a no-op change, a 10% and a 25% regression, ${trialsPerScenario} trials each`,
    method:
      `each trial runs the gate's own schedule (1 warm-up pair, then ${bench.runs} pairs of baseline and change ` +
      'whose order flips each pair) of a CPU-bound `node -e` process (sha256 over a 1 MB buffer fed in N times, ' +
      `N = ${calibration.baseIterations} ≈ ${formatMs(calibration.baseLoopMs)} of hashing on top of Node's ` +
      'start-up), timed as the wall time of the whole process, one process at a time. The regression scenarios add ' +
      "hashing iterations worth 10% / 25% of the baseline process's calibrated wall time, so that the metric the " +
      'gate judges, not just the loop, moves by that much; the pooled ratio shows how much it really moved. ' +
      `The naive methods judge the first ${bench.runs}+${bench.runs} samples; Sluice judges them too and, like the gate, ` +
      `measures further rounds of ${bench.runs} pairs while its verdict is unclear (needsMoreRuns), up to ` +
      `max_runs ${bench.max_runs}: Sluice ` +
      `(judgeMetric with the schema's defaults: confidence ${bench.noise.confidence}, min_effect ` +
      `${bench.noise.min_effect}, ${bench.noise.resamples} resamples), and the baselines: "naive single run" ` +
      '(the first measured pair, change/baseline > 1.05 is a regression, < 0.95 an improvement) and "naive mean ' +
      'of 7" (the ratio of means, same 5% threshold). Scenarios take turns trial by trial. "Wall-time ratio" is ' +
      "the median of all change samples over the median of all baseline samples of the scenario's trials.",
    table: {
      headers: ['Scenario', 'Wall-time ratio (pooled)', 'Method', 'Called regressed', 'Called wash', 'Called improved'],
      rows,
    },
    targets: [
      {
        target: 'no-op: Sluice calls at most 5% of trials regressed or improved',
        measured: share(sluiceFalseAlarms, trialsPerScenario),
        met: sluiceFalseAlarms / trialsPerScenario <= 0.05,
      },
      {
        target: '25% regression: Sluice calls at least 90% of trials regressed',
        measured: share(sluiceCaught25, trialsPerScenario),
        met: sluiceCaught25 / trialsPerScenario >= 0.9,
      },
    ],
    checks: [
      {
        check: `every trial measured both sides alike, between ${bench.runs} and ${bench.max_runs} runs each`,
        ok: badTrials.length === 0,
        detail:
          badTrials.length === 0
            ? `${processesRun} workload processes, each exited 0 with the requested work and a stable digest (anything else stops the benchmark)`
            : `uneven or out-of-range trials: ${badTrials.join('; ')}`,
      },
      {
        check: 'more work is slower: pooled wall-time ratios rise from no-op to 10% to 25%',
        ok: regressionsOk,
        detail: realized.map((ratio, index) => `${scenarios[index]?.label} ${formatRatio(ratio)}`).join(', '),
      },
    ],
    notes: [
      `no-op false alarms (called regressed): ${regressedLine(0)}.`,
      `10% regression (realized ${formatRatio(tenRatio)}) detected: ${regressedLine(1)}.`,
      `25% regression (realized ${formatRatio(quarterRatio)}) detected: ${regressedLine(2)}.`,
      `Calibration: baseline run ${formatMs(calibration.baseWallMs)} wall (median of ${calibrationRuns}), of which ` +
        `${formatMs(calibration.baseLoopMs)} hashing (${calibration.iterationMs.toFixed(2)} ms per MB); change sides hashed ${changeIterations.join(' / ')} MB.`,
      `Width of Sluice's ${bench.noise.confidence * 100}% interval of the ratio on the no-op trials: median ` +
        `${median(noOpWidths).toFixed(3)} (min ${Math.min(...noOpWidths).toFixed(3)}, max ` +
        `${Math.max(...noOpWidths).toFixed(3)}).`,
      `${trialsPerScenario} trials per scenario leave each share uncertain (Wilson 95%): Sluice's no-op calls ` +
        `either way ${wilson(sluiceFalseAlarms, trialsPerScenario)}, its 25% detection ` +
        `${wilson(sluiceCaught25, trialsPerScenario)}, naive mean's no-op calls either way ` +
        `${wilson(count(0, 'naive mean of 7', 'regressed') + count(0, 'naive mean of 7', 'improved'), trialsPerScenario)}.`,
      `25% trials Sluice did not call regressed: ${missed.length}; of those, ${missReasons}.`,
      `Runs per side Sluice took (median, max): ${scenarios
        .map((scenario, index) => {
          const runs = (outcomes[index] ?? []).map((outcome) => outcome.runs);
          return `${scenario.label} ${median(runs)}, ${Math.max(...runs)}`;
        })
        .join('; ')}.`,
      `Baseline runs during the trials: median ${formatMs(trialBaselineMs)} wall (calibrated at ` +
        `${formatMs(calibration.baseWallMs)}); the added work is a fixed number of MB hashed, so the realized ` +
        "ratio drifts from the nominal one when the machine's load during the trials differs from the calibration's.",
    ],
  };
}

if (import.meta.main) await runAlone(benchNoise);
