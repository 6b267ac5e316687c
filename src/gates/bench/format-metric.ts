import type { MetricResult } from './bench-types.ts';

/**
 * One metric as a line for people: median and interval, against the baseline with the ratio and
 * its verdict, then each goal, e.g.
 * `p50_ms 14.2 ms [13.9-14.6] vs 20.1 ms: x0.71 [0.68-0.74] improved · goal ratio <= 0.9 met`.
 */
export function formatMetricResult(metric: MetricResult): string {
  const unit = metric.unit ? ` ${metric.unit}` : '';
  let line = `${metric.metric} ${formatNumber(metric.median)}${unit} ${formatInterval(metric.interval)}`;
  if (metric.baseline) {
    line += ` vs ${formatNumber(metric.baseline.median)}${unit}`;
    if (metric.ratio) line += `: ${formatRatio(metric.ratio.value)} ${formatInterval(metric.ratio.interval, 2)}`;
    if (metric.change) line += ` ${metric.change}`;
    // How noisy the runs were is the point of an unclear verdict.
    if (metric.change === 'unclear' && metric.cv !== undefined) line += ` (spread ${Math.round(metric.cv * 100)}%)`;
  }
  for (const goal of metric.goals) {
    const text = goalText(goal.goal, metric.metric);
    const met = goal.verdict === 'goal-met';
    const isRatio = goal.on === undefined ? /^ratio\b/.test(text) : goal.on === 'ratio';
    const value = isRatio ? formatRatio(goal.value) : `${formatNumber(goal.value)}${unit}`;
    line += ` · goal ${text} ${met ? 'met' : `missed (${value})`}${goal.unclear ? ' unclear' : ''}`;
  }
  return line;
}

/** A goal without its metric's name when the line already shows it (`p50_ms ratio <= 0.9` -> `ratio <= 0.9`). */
export function goalText(goal: string, metric: string): string {
  return goal.startsWith(`${metric} `) ? goal.slice(metric.length + 1).trim() : goal;
}

/** A measured number with about three significant digits (1234, 24.9, 1.25, 0.0123). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value === 0 ? '0' : String(Number(value.toPrecision(3)));
}

/** `x1.25`: a ratio of medians. */
export function formatRatio(value: number): string {
  return `x${value.toFixed(2)}`;
}

/** `[13.9-14.6]`; `digits` fixes the decimals (ratios), else `formatNumber` picks them. */
export function formatInterval(interval: [number, number], digits?: number): string {
  const show = (value: number) => (digits === undefined ? formatNumber(value) : value.toFixed(digits));
  const separator = interval[0] < 0 || interval[1] < 0 ? ' to ' : '-';
  return `[${show(interval[0])}${separator}${show(interval[1])}]`;
}

/** `95%` of a confidence level. */
export function formatConfidence(confidence: number | undefined): string {
  return `${Number(((confidence ?? 0.95) * 100).toPrecision(3))}%`;
}
