/**
 * How a metric moved against the baseline: `improved` or `regressed` beyond the noise; `wash` when
 * an equivalence test bounds the ratio within ±min_effect (no change worth the name); `unclear` when the
 * runs could neither show a change nor bound it below min_effect (too noisy, or too few runs).
 */
export type MetricChange = 'improved' | 'regressed' | 'wash' | 'unclear';
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
  /**
   * Median of the change / median of the baseline, with its confidence interval, and the narrower interval
   * of the equivalence test that calls a wash (level 2·confidence − 1; absent in results stored before it).
   */
  ratio?: { value: number; interval: [number, number]; equivalence?: [number, number] };
  /** Against the baseline; absent without one. */
  change?: MetricChange;
  /** Two-sided Mann-Whitney p value of change against baseline (the second opinion on `change`). */
  mannWhitneyP?: number;
  /** Confidence level of the intervals (e.g. 0.95). */
  confidence?: number;
  /** Spread of the change's samples: standard deviation over mean (0.05 = 5%). */
  cv?: number;
  /**
   * `value`: the goal's metric value or ratio it was judged on (NaN when there was none); `on` says which.
   * `unclear`: the goal's bound lies inside the interval of that value, so the runs did not settle it
   * (missed unless `bench.unclear` is `pass`).
   */
  goals: Array<{ goal: string; verdict: GoalVerdict; value: number; on?: 'value' | 'ratio'; unclear?: boolean }>;
}

/** How busy the machine was when a bench gate started: a loaded machine makes timings noisy. */
export interface MachineLoad {
  /** One-minute load average, and the cores it is compared with. */
  loadAverage: number;
  cores: number;
  /** Share of CPU time stolen by the hypervisor over a short sample (0.1 = 10%); absent where unknown. */
  steal?: number;
  loaded: boolean;
  /** Why it counts as loaded, for people; absent when it does not. */
  note?: string;
}

/** What a bench gate measured; stored per check and shown as a trend. */
export interface BenchResult {
  runs: number;
  metrics: MetricResult[];
  /** The machine's load at the start of the gate. */
  machine?: MachineLoad;
}
