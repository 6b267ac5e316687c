import type { MetricChange } from './bench-types.ts';

/** An interval as [low, high]. */
export type Interval = [number, number];

export interface BootstrapOptions {
  /** Confidence level of the interval, e.g. 0.95. */
  confidence: number;
  resamples: number;
  /** Seed of the generator: the same samples always give the same interval, so the same verdict. */
  seed?: number;
}

const defaultSeed = 0x5eed_b0a7;

/** The median of the samples (mean of the middle two for an even count); NaN for none. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/** mulberry32: a small, fast, seeded generator of uniform numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function resampleMedian(samples: readonly number[], random: () => number): number {
  const drawn = new Array<number>(samples.length);
  for (let index = 0; index < samples.length; index++) {
    drawn[index] = samples[Math.floor(random() * samples.length)] as number;
  }
  return median(drawn);
}

/** The percentile interval of bootstrap statistics, widened if needed so it holds the point estimate. */
function percentileInterval(statistics: number[], confidence: number, point: number): Interval {
  statistics.sort((a, b) => a - b);
  const alpha = 1 - confidence;
  const last = statistics.length - 1;
  const lowIndex = Math.min(last, Math.max(0, Math.floor((alpha / 2) * statistics.length)));
  const highIndex = Math.min(last, Math.max(0, Math.ceil((1 - alpha / 2) * statistics.length) - 1));
  const low = statistics[lowIndex] as number;
  const high = statistics[highIndex] as number;
  return [Math.min(low, point), Math.max(high, point)];
}

/** Bootstrap percentile confidence interval of the median. */
export function medianInterval(samples: readonly number[], options: BootstrapOptions): Interval {
  const point = median(samples);
  if (samples.length < 2) return [point, point];
  const random = seededRandom(options.seed ?? defaultSeed);
  const statistics = Array.from({ length: options.resamples }, () => resampleMedian(samples, random));
  return percentileInterval(statistics, options.confidence, point);
}

/**
 * The ratio of medians (change / baseline) and its bootstrap interval, both sides resampled independently;
 * `equivalence` is the narrower interval at level 2·confidence − 1 (90% for 95%) that an equivalence test
 * checks against ±min_effect (see judgeChange).
 */
export function ratioOfMedians(
  change: readonly number[],
  baseline: readonly number[],
  options: BootstrapOptions,
): { value: number; interval: Interval; equivalence: Interval } | undefined {
  const baselineMedian = median(baseline);
  // A ratio against zero or a negative number says nothing about better or worse.
  if (!(baselineMedian > 0) || !(median(change) >= 0)) return undefined;
  const value = median(change) / baselineMedian;
  const random = seededRandom(options.seed ?? defaultSeed);
  const statistics = Array.from({ length: options.resamples }, () => {
    const changeMedian = resampleMedian(change, random);
    return changeMedian / resampleMedian(baseline, random);
  });
  return {
    value,
    interval: percentileInterval(statistics, options.confidence, value),
    equivalence: percentileInterval(statistics, equivalenceLevel(options.confidence), value),
  };
}

/**
 * The level of the interval an equivalence test at 1 − confidence checks: two one-sided tests (TOST), each
 * at 1 − confidence, reject "moved by min_effect or more" exactly when this interval lies within ±min_effect.
 */
export function equivalenceLevel(confidence: number): number {
  return 2 * confidence - 1;
}

/** A Mann-Whitney U test of two independent samples: U of `a`, and the two-sided p value. */
export interface MannWhitneyResult {
  u: number;
  p: number;
  /** Exact distribution (no ties, small samples) or the normal approximation with tie and continuity correction. */
  method: 'exact' | 'normal';
}

const maxExactSize = 30;

/** Two-sided Mann-Whitney U test: how likely samples this far apart are when both sides come from one distribution. */
export function mannWhitney(a: readonly number[], b: readonly number[]): MannWhitneyResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return { u: 0, p: 1, method: 'exact' };
  const pooled = [...a.map((value) => ({ value, fromA: true })), ...b.map((value) => ({ value, fromA: false }))];
  pooled.sort((x, y) => x.value - y.value);
  let rankSumA = 0;
  let tieTerm = 0;
  for (let start = 0; start < pooled.length; ) {
    let end = start;
    while (end + 1 < pooled.length && pooled[end + 1]?.value === pooled[start]?.value) end++;
    const tied = end - start + 1;
    const midRank = (start + end) / 2 + 1;
    for (let index = start; index <= end; index++) if (pooled[index]?.fromA) rankSumA += midRank;
    tieTerm += tied ** 3 - tied;
    start = end + 1;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  if (tieTerm === 0 && n1 <= maxExactSize && n2 <= maxExactSize) {
    return { u, p: exactTwoSidedP(u, n1, n2), method: 'exact' };
  }
  const total = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  if (variance <= 0) return { u, p: 1, method: 'normal' };
  const z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * (1 - normalCdf(z))), method: 'normal' };
}

/** P(U <= u) and P(U >= u) from the exact null distribution of U, by counting rank arrangements. */
function exactTwoSidedP(u: number, n1: number, n2: number): number {
  const counts = uDistribution(n1, n2);
  const total = counts.reduce((sum, count) => sum + count, 0);
  let lower = 0;
  let upper = 0;
  counts.forEach((count, value) => {
    if (value <= u) lower += count;
    if (value >= u) upper += count;
  });
  return Math.min(1, (2 * Math.min(lower, upper)) / total);
}

// counts[m][n][u]: arrangements of m a's and n b's with U = u; built up from smaller samples.
function uDistribution(n1: number, n2: number): number[] {
  let previous: number[][] = Array.from({ length: n2 + 1 }, () => [1]); // m = 0: U is 0 in one way
  for (let m = 1; m <= n1; m++) {
    const current: number[][] = [[1]]; // n = 0: U is 0 in one way
    for (let n = 1; n <= n2; n++) {
      // The largest value is an a (it beats all n b's) or a b (it adds nothing to U).
      const withA = previous[n] ?? [];
      const withB = current[n - 1] ?? [];
      const row = new Array<number>(m * n + 1).fill(0);
      withA.forEach((count, value) => {
        row[value + n] = (row[value + n] ?? 0) + count;
      });
      withB.forEach((count, value) => {
        row[value] = (row[value] ?? 0) + count;
      });
      current.push(row);
    }
    previous = current;
  }
  return previous[n2] ?? [1];
}

/** Standard normal cumulative distribution (Abramowitz-Stegun 7.1.26, error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

export interface ChangeEvidence {
  ratio: number;
  interval: Interval;
  /** The interval of the equivalence test (level 2·confidence − 1); without it, `interval` (a stricter test). */
  equivalence?: Interval;
  /** Two-sided Mann-Whitney p value. */
  p: number;
  better: 'lower' | 'higher';
  confidence: number;
  /** Moves smaller than this fraction of the baseline are a wash. */
  minEffect: number;
}

/**
 * Improved or regressed only when three things agree: the ratio's interval excludes 1, the ratio
 * moved by more than `minEffect`, and Mann-Whitney rejects "no difference". A wash only when an
 * equivalence test (TOST) shows the change moved less than `minEffect` either way: the `equivalence`
 * interval lies within ±`minEffect`, so a real move of `minEffect` or more is called a wash at most
 * 1 − confidence of the time — the same error rate as calling a change. Anything else is unclear: the runs
 * could not tell a change from noise, and calling that a wash would pass a real regression on a noisy machine.
 */
export function judgeChange(evidence: ChangeEvidence): MetricChange {
  const { ratio, interval, p, minEffect } = evidence;
  const significant = p < 1 - evidence.confidence;
  const wentDown = interval[1] < 1 && ratio < 1 - minEffect && significant;
  const wentUp = interval[0] > 1 && ratio > 1 + minEffect && significant;
  if (wentDown) return evidence.better === 'lower' ? 'improved' : 'regressed';
  if (wentUp) return evidence.better === 'lower' ? 'regressed' : 'improved';
  const [low, high] = evidence.equivalence ?? interval;
  const bounded = low >= 1 - minEffect && high <= 1 + minEffect;
  return bounded ? 'wash' : 'unclear';
}

/** Coefficient of variation: sample standard deviation over the mean; NaN for fewer than two samples or a zero mean. */
export function coefficientOfVariation(samples: readonly number[]): number {
  if (samples.length < 2) return Number.NaN;
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  if (mean === 0) return Number.NaN;
  const variance = samples.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (samples.length - 1);
  return Math.sqrt(variance) / Math.abs(mean);
}
