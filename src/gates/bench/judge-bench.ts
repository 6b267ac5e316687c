import { type BenchGoal, meetsBound } from '../../config/bench-goal.ts';
import type { BenchConfig, MetricConfig } from '../../config/bench-schema.ts';
import type { Failure } from '../reports/report-types.ts';
import {
  coefficientOfVariation,
  equivalenceLevel,
  judgeChange,
  mannWhitney,
  median,
  medianInterval,
  ratioOfMedians,
} from './bench-statistics.ts';
import type { MetricResult } from './bench-types.ts';
import { formatConfidence, formatInterval, formatNumber, formatRatio } from './format-metric.ts';

/** The baseline a metric was compared with: the ref as given, and the commit it named. */
export interface BaselineRef {
  ref: string;
  commit: string;
}

/** Summarize one metric's samples: median and interval, against the baseline (ratio, change), and its goals. */
export function judgeMetric(
  name: string,
  config: MetricConfig,
  samples: { change: number[]; baseline?: number[] },
  bench: BenchConfig,
  goals: BenchGoal[],
  baseline?: BaselineRef,
): MetricResult {
  const bootstrap = { confidence: bench.noise.confidence, resamples: bench.noise.resamples };
  const timed = config.json === undefined && config.regex === undefined;
  const unit = config.unit ?? (timed ? (config.time === 'instructions' ? 'instructions' : 'ms') : undefined);
  const result: MetricResult = {
    metric: name,
    ...(unit ? { unit } : {}),
    better: config.better,
    samples: samples.change,
    median: median(samples.change),
    interval: medianInterval(samples.change, bootstrap),
    confidence: bench.noise.confidence,
    goals: [],
  };
  const cv = coefficientOfVariation(samples.change);
  if (Number.isFinite(cv)) result.cv = cv;
  if (baseline && samples.baseline) {
    result.baseline = {
      ...baseline,
      samples: samples.baseline,
      median: median(samples.baseline),
      interval: medianInterval(samples.baseline, bootstrap),
    };
    const test = mannWhitney(samples.change, samples.baseline);
    result.mannWhitneyP = test.p;
    const ratio = ratioOfMedians(samples.change, samples.baseline, bootstrap);
    if (ratio) {
      result.ratio = ratio;
      result.change = judgeChange({
        ratio: ratio.value,
        interval: ratio.interval,
        equivalence: ratio.equivalence,
        p: test.p,
        better: config.better,
        confidence: bench.noise.confidence,
        minEffect: bench.noise.min_effect,
      });
    } else {
      result.change = 'wash';
    }
  }
  for (const goal of goals.filter((candidate) => candidate.metric === name)) {
    const value = goal.on === 'value' ? result.median : (result.ratio?.value ?? Number.NaN);
    const interval = goal.on === 'value' ? result.interval : result.ratio?.interval;
    // A bound inside the interval: the runs cannot say on which side of it the truth lies.
    const unclear = interval !== undefined && interval[0] < goal.bound && goal.bound < interval[1];
    const met = Number.isFinite(value) && meetsBound(value, goal) && !(unclear && bench.unclear === 'fail');
    result.goals.push({
      goal: goal.text,
      verdict: met ? 'goal-met' : 'goal-missed',
      value,
      on: goal.on,
      ...(unclear ? { unclear } : {}),
    });
  }
  return result;
}

/**
 * Whether more runs could settle what these samples leave open: a metric whose change is unclear
 * (its interval neither excludes 1 nor stays within `min_effect`), or a goal whose bound lies inside
 * the interval of the value it judges.
 */
export function needsMoreRuns(metrics: MetricResult[]): boolean {
  return metrics.some((metric) => metric.change === 'unclear' || metric.goals.some((goal) => goal.unclear));
}

/** The gate's verdict on its metrics: what failed it, exactly, and a one-line reason. */
export interface BenchVerdict {
  passed: boolean;
  failures: Failure[];
  reason?: string;
}

/**
 * Passed when every goal is met and (with `fail_on_regression`) no metric regressed beyond the noise
 * — nor left it unclear whether it did, unless `bench.unclear` is `pass`. `runs`: per side, for the feedback.
 */
export function judgeBench(
  metrics: MetricResult[],
  bench: BenchConfig,
  goals: BenchGoal[],
  runs = bench.max_runs,
): BenchVerdict {
  const failures: Failure[] = [];
  for (const metric of metrics) {
    for (const judged of metric.goals) {
      const goal = goals.find((candidate) => candidate.text === judged.goal && candidate.metric === metric.metric);
      if (!goal || judged.verdict !== 'goal-missed') continue;
      const settledMiss = Number.isFinite(judged.value) && !meetsBound(judged.value, goal);
      failures.push(
        judged.unclear && !settledMiss
          ? unclearGoalFailure(metric, goal, judged.value, runs, bench.metrics[metric.metric])
          : missedGoalFailure(metric, goal, judged.value),
      );
    }
    if (bench.fail_on_regression && metric.change === 'regressed') failures.push(regressionFailure(metric));
    if (bench.fail_on_regression && metric.change === 'unclear' && bench.unclear === 'fail') {
      failures.push(unclearChangeFailure(metric, bench, runs));
    }
  }
  const first = failures[0];
  if (!first) return { passed: true, failures };
  const more = failures.length > 1 ? ` (+${failures.length - 1} more)` : '';
  return { passed: false, failures, reason: `${first.message}${more}` };
}

function missedGoalFailure(metric: MetricResult, goal: BenchGoal, value: number): Failure {
  const unit = unitSuffix(metric);
  const bound = `${goal.op} ${goal.bound}`;
  if (goal.on === 'ratio' && metric.ratio) {
    return {
      message: `goal missed: ${metric.metric} ratio ${value.toFixed(2)} (goal ${bound})`,
      expected: goal.text,
      received: `${ratioText(metric)}: ${valueText(metric)} vs ${baselineText(metric)}`,
    };
  }
  if (goal.on === 'ratio') {
    const baselineMedian = formatNumber(metric.baseline?.median ?? Number.NaN);
    return {
      message: `goal missed: ${metric.metric} has no ratio (the baseline median is ${baselineMedian}${unit})`,
      expected: goal.text,
      received: valueText(metric),
    };
  }
  const against = metric.baseline ? `; baseline ${formatNumber(metric.baseline.median)}${unit}` : '';
  return {
    message: `goal missed: ${metric.metric} ${formatNumber(value)}${unit} (goal ${bound})`,
    expected: goal.text,
    received: `median ${valueText(metric)}${against}`,
  };
}

function regressionFailure(metric: MetricResult): Failure {
  const unit = unitSuffix(metric);
  const ratio = metric.ratio;
  const confidence = formatConfidence(metric.confidence);
  const ratioPart = ratio
    ? ` (${formatRatio(ratio.value)}, ${confidence} CI ${formatInterval(ratio.interval, 2).slice(1, -1)})`
    : '';
  const p = metric.mannWhitneyP === undefined ? '' : `, Mann-Whitney p=${formatNumber(metric.mannWhitneyP)}`;
  return {
    message: `${metric.metric} regressed: ${formatNumber(metric.median)}${unit} vs ${formatNumber(metric.baseline?.median ?? Number.NaN)}${unit}${ratioPart}`,
    expected: `no worse than ${baselineText(metric)} (baseline ${metric.baseline?.ref ?? '?'})`,
    received: `${valueText(metric)}, ${ratioText(metric)}${p}`,
  };
}

/** What was measured, how noisy it was, why that settles nothing, and what would settle it. */
function unclearChangeFailure(metric: MetricResult, bench: BenchConfig, runs: number): Failure {
  const unit = unitSuffix(metric);
  const ratio = metric.ratio;
  const confidence = formatConfidence(metric.confidence);
  const effect = formatPercent(bench.noise.min_effect);
  const ratioPart = ratio ? `${formatRatio(ratio.value)}, ${confidence} CI ${formatInterval(ratio.interval, 2)}` : '';
  const equivalence = ratio?.equivalence ?? ratio?.interval;
  const washLevel = ratio?.equivalence ? formatConfidence(equivalenceLevel(metric.confidence ?? 0.95)) : confidence;
  const why =
    ratio && ratio.interval[0] <= 1 && ratio.interval[1] >= 1
      ? `the interval holds 1 and reaches beyond ±${effect}, so neither a change nor its absence is shown`
      : `the ratio is not shown to be beyond ±${effect}, nor within it`;
  const washPart = equivalence
    ? ` (a wash needs the ${washLevel} interval ${formatInterval(equivalence, 2)} within ${formatRatio(1 - bench.noise.min_effect)}-${formatRatio(1 + bench.noise.min_effect)})`
    : '';
  const config = bench.metrics[metric.metric];
  return {
    message:
      `${metric.metric} unclear: ${formatNumber(metric.median)}${unit} vs ${formatNumber(metric.baseline?.median ?? Number.NaN)}${unit} (${ratioPart}) ` +
      `after ${runs} runs per side — ${why}${washPart}`,
    expected: `no worse than ${baselineText(metric)} (baseline ${metric.baseline?.ref ?? '?'}), shown within ±${effect}`,
    received:
      `measured ${config ? measuredText(config) : 'the metric'}: ${valueText(metric)}, ${ratioText(metric)}${pText(metric)}; ` +
      `${noiseText(metric)}. ${settleHint}${config ? steadierHint(config) : ''}`,
  };
}

/** What one sample of the metric is, for people. */
function measuredText(config: MetricConfig): string {
  if (config.json !== undefined) return `\`${config.json}\` from the JSON each run printed`;
  if (config.regex !== undefined) return `/${config.regex}/ from what each run printed`;
  if (config.time === 'cpu') return "each run's CPU time (user + system of its process tree)";
  if (config.time === 'instructions') return "the instructions each run's process tree executed (valgrind)";
  return "each run's wall time";
}

/** A timing that a busy machine stretches has steadier alternatives. */
function steadierHint(config: MetricConfig): string {
  if (config.json !== undefined || config.regex !== undefined) return '';
  if (config.time === 'instructions') return '';
  const instructions = ' `time: instructions` (valgrind) counts work, which load does not change at all.';
  return config.time === 'cpu'
    ? instructions
    : ` \`time: cpu\` is much steadier than wall time on a busy machine;${instructions}`;
}

function unclearGoalFailure(
  metric: MetricResult,
  goal: BenchGoal,
  value: number,
  runs: number,
  config: MetricConfig | undefined,
): Failure {
  const unit = unitSuffix(metric);
  const isRatio = goal.on === 'ratio';
  const shown = isRatio ? `ratio ${ratioText(metric)}` : `median ${valueText(metric)}`;
  return {
    message:
      `goal unclear: ${metric.metric} ${isRatio ? formatRatio(value) : `${formatNumber(value)}${unit}`} ` +
      `(goal ${goal.op} ${goal.bound}) after ${runs} runs per side — the bound lies inside the interval`,
    expected: goal.text,
    received:
      `measured ${config ? measuredText(config) : 'the metric'}: ${shown}; ${noiseText(metric)}. ` +
      `${settleHint}${config ? steadierHint(config) : ''}`,
  };
}

const settleHint =
  'More runs (`bench.max_runs`) or a quieter machine would settle it; `bench.unclear: pass` lets unsettled results through.';

function noiseText(metric: MetricResult): string {
  const cv = metric.cv === undefined ? 'unknown' : formatPercent(metric.cv);
  const baselineCv = metric.baseline ? coefficientOfVariation(metric.baseline.samples) : Number.NaN;
  const baseline = Number.isFinite(baselineCv) ? ` (baseline ${formatPercent(baselineCv)})` : '';
  return `run-to-run spread: coefficient of variation ${cv}${baseline}`;
}

function pText(metric: MetricResult): string {
  return metric.mannWhitneyP === undefined ? '' : `, Mann-Whitney p=${formatNumber(metric.mannWhitneyP)}`;
}

function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(2))}%`;
}

function unitSuffix(metric: MetricResult): string {
  return metric.unit ? ` ${metric.unit}` : '';
}

function valueText(metric: MetricResult): string {
  return `${formatNumber(metric.median)}${unitSuffix(metric)} ${formatInterval(metric.interval)}`;
}

function baselineText(metric: MetricResult): string {
  if (!metric.baseline) return '?';
  return `${formatNumber(metric.baseline.median)}${unitSuffix(metric)} ${formatInterval(metric.baseline.interval)}`;
}

function ratioText(metric: MetricResult): string {
  return metric.ratio ? `${formatRatio(metric.ratio.value)} ${formatInterval(metric.ratio.interval, 2)}` : 'no ratio';
}
