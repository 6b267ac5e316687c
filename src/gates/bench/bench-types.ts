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
  goals: Array<{ goal: string; verdict: GoalVerdict; value: number }>;
}

/** What a bench gate measured; stored per check and shown as a trend. */
export interface BenchResult {
  runs: number;
  metrics: MetricResult[];
}
