import { type BenchGoal, meetsBound } from '../../config/bench-goal.ts';
import type { BenchConfig, MetricConfig } from '../../config/bench-schema.ts';
import type { Failure } from '../reports/report-types.ts';
import { judgeChange, mannWhitney, median, medianInterval, ratioOfMedians } from './bench-statistics.ts';
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
  const unit = config.unit ?? (config.json === undefined && config.regex === undefined ? 'ms' : undefined);
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
    const met = Number.isFinite(value) && meetsBound(value, goal);
    result.goals.push({ goal: goal.text, verdict: met ? 'goal-met' : 'goal-missed', value, on: goal.on });
  }
  return result;
}

/**
 * Whether more runs could settle what these samples leave open: a metric that moved beyond
 * `min_effect` but whose interval still holds 1 (a wash only for want of runs), or a goal whose
 * bound lies inside the interval of the value it judges.
 */
export function needsMoreRuns(metrics: MetricResult[], bench: BenchConfig, goals: BenchGoal[]): boolean {
  return metrics.some((metric) => {
    const ratio = metric.ratio;
    if (ratio && metric.change === 'wash' && Math.abs(ratio.value - 1) > bench.noise.min_effect) return true;
    return goals.some((goal) => {
      if (goal.metric !== metric.metric) return false;
      const interval = goal.on === 'ratio' ? ratio?.interval : metric.interval;
      return interval !== undefined && interval[0] < goal.bound && goal.bound < interval[1];
    });
  });
}

/** The gate's verdict on its metrics: what failed it, exactly, and a one-line reason. */
export interface BenchVerdict {
  passed: boolean;
  failures: Failure[];
  reason?: string;
}

/** Passed when every goal is met and (with `fail_on_regression`) no metric regressed beyond the noise. */
export function judgeBench(metrics: MetricResult[], bench: BenchConfig, goals: BenchGoal[]): BenchVerdict {
  const failures: Failure[] = [];
  for (const metric of metrics) {
    for (const judged of metric.goals) {
      const goal = goals.find((candidate) => candidate.text === judged.goal && candidate.metric === metric.metric);
      if (goal && judged.verdict === 'goal-missed') failures.push(missedGoalFailure(metric, goal, judged.value));
    }
    if (bench.fail_on_regression && metric.change === 'regressed') failures.push(regressionFailure(metric));
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
