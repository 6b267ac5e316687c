/** A goal on a benchmark metric: an absolute bound, or a bound on the ratio against the baseline. */
export interface BenchGoal {
  /** As written in sluice.yaml. */
  text: string;
  metric: string;
  /** `ratio`: the metric's median divided by the baseline's median. */
  on: 'value' | 'ratio';
  op: '<=' | '<' | '>=' | '>';
  bound: number;
}

const goalPattern = /^\s*(?:([A-Za-z_][A-Za-z0-9_.-]*)\s+)?(ratio\s+)?(<=|<|>=|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/i;
const ratioCallPattern = /^\s*ratio\s*\(\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\)\s*(<=|<|>=|>)\s*(-?\d+(?:\.\d+)?)\s*$/i;

/**
 * Parse `p50_ms <= 20`, `p50_ms ratio <= 0.9`, `ratio(p50_ms) <= 0.9`, or `ratio <= 0.9` (the only
 * metric). Returns an error message instead of throwing.
 */
export function parseBenchGoal(text: string, metrics: string[]): BenchGoal | string {
  const call = ratioCallPattern.exec(text);
  const match = call ? undefined : goalPattern.exec(text);
  if (!call && !match) {
    return `cannot read goal "${text}": write "<metric> <= 20" or "<metric> ratio <= 0.9"`;
  }
  const named = call ? call[1] : match?.[1];
  const isRatio = call !== null || Boolean(match?.[2]) || named?.toLowerCase() === 'ratio';
  const metricName = named?.toLowerCase() === 'ratio' && !call ? undefined : named;
  const op = (call ? call[2] : match?.[3]) as BenchGoal['op'];
  const bound = Number(call ? call[3] : match?.[4]);
  let metric = metricName;
  if (metric === undefined) {
    if (metrics.length !== 1) return `goal "${text}" must name its metric (${metrics.join(', ')})`;
    metric = metrics[0] as string;
  }
  if (!metrics.includes(metric))
    return `goal "${text}" names unknown metric "${metric}" (metrics: ${metrics.join(', ')})`;
  if (isRatio && bound <= 0) return `goal "${text}": a ratio bound must be above 0`;
  return { text: text.trim(), metric, on: isRatio ? 'ratio' : 'value', op, bound };
}

/** Whether a value meets a goal's bound. */
export function meetsBound(value: number, goal: Pick<BenchGoal, 'op' | 'bound'>): boolean {
  switch (goal.op) {
    case '<=':
      return value <= goal.bound;
    case '<':
      return value < goal.bound;
    case '>=':
      return value >= goal.bound;
    case '>':
      return value > goal.bound;
  }
}
