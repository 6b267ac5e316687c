/** How a metric moved against the baseline, beyond the noise or not. */
export type MetricChange = 'improved' | 'regressed' | 'wash';
export type GoalVerdict = 'goal-met' | 'goal-missed';

/** One metric of one bench gate in one check. */
export interface MetricResult {
  metric: string;
  unit?: string;
  better: 'lower' | 'higher';
  /** Measured values of the change, in run order. */
  samples: number[];
  median: number;
  /** Confidence interval of the median. */
  interval: [number, number];
  baseline?: {
    /** The ref as given, and the commit it named. */
    ref: string;
    commit: string;
    samples: number[];
    median: number;
    interval: [number, number];
  };
  /** Median of the change / median of the baseline, with its confidence interval. */
  ratio?: { value: number; interval: [number, number] };
  /** Against the baseline; absent without one. */
  change?: MetricChange;
  /** Two-sided Mann-Whitney p value of change against baseline (the second opinion on `change`). */
  mannWhitneyP?: number;
  /** Confidence level of the intervals (e.g. 0.95). */
  confidence?: number;
  /** `value`: the goal's metric value or ratio it was judged on (NaN when there was none); `on` says which. */
  goals: Array<{ goal: string; verdict: GoalVerdict; value: number; on?: 'value' | 'ratio' }>;
}

/** What a bench gate measured; stored per check and shown as a trend. */
export interface BenchResult {
  runs: number;
  metrics: MetricResult[];
}
