import { describe, expect, it } from 'vitest';
import { type BenchGoal, parseBenchGoal } from '../../../../src/config/bench-goal.ts';
import { benchSchema } from '../../../../src/config/bench-schema.ts';
import { benchSchedule } from '../../../../src/gates/bench/bench-runs.ts';
import { formatMetricResult } from '../../../../src/gates/bench/format-metric.ts';
import { judgeBench, judgeMetric, needsMoreRuns } from '../../../../src/gates/bench/judge-bench.ts';
import { renderFailure } from '../../../../src/gates/feedback/compact-feedback.ts';

const baselineRef = { ref: 'main', commit: 'a'.repeat(40) };
// Five runs: a 95% interval of their median spans all five (each end is the median of a resample often enough).
const base = [20.1, 19.8, 20.0, 20.2, 19.9];
const slower = base.map((value) => value * 1.25);
const faster = base.map((value) => value * 0.7);

function bench(goals: string[], extra: Record<string, unknown> = {}) {
  const config = benchSchema.parse({ metrics: { p50_ms: { json: 'p50_ms', unit: 'ms' } }, goals, ...extra });
  const parsed = config.goals.map((goal) => parseBenchGoal(goal, Object.keys(config.metrics)) as BenchGoal);
  return { config, parsed };
}

function judge(goals: string[], change: number[], baseline: number[] | undefined, extra = {}) {
  const { config, parsed } = bench(goals, extra);
  const metricConfig = config.metrics.p50_ms;
  if (!metricConfig) throw new Error('no metric');
  const samples = baseline ? { change, baseline } : { change };
  const metric = judgeMetric('p50_ms', metricConfig, samples, config, parsed, baseline ? baselineRef : undefined);
  return { metric, verdict: judgeBench([metric], config, parsed) };
}

describe('judging a bench gate', () => {
  it('meets a ratio goal when the change is faster, and reports it improved', () => {
    const { metric, verdict } = judge(['p50_ms ratio <= 0.9'], faster, base);
    expect(metric.change).toBe('improved');
    expect(metric.ratio?.value).toBeCloseTo(0.7, 10);
    expect(metric.goals).toEqual([
      { goal: 'p50_ms ratio <= 0.9', verdict: 'goal-met', value: metric.ratio?.value, on: 'ratio' },
    ]);
    expect(verdict).toEqual({ passed: true, failures: [] });
    expect(formatMetricResult(metric)).toBe(
      `p50_ms 14.0 ms [13.9-14.1] vs 20.0 ms: x0.70 ${bracket(metric.ratio?.interval)} improved · goal ratio <= 0.9 met`,
    );
  });

  it('fails a regression beyond the noise with the numbers, even with no goal', () => {
    const { metric, verdict } = judge([], slower, base);
    expect(metric.change).toBe('regressed');
    expect(verdict.passed).toBe(false);
    expect(verdict.reason).toMatch(/^p50_ms regressed: 25\.0 ms vs 20\.0 ms \(x1\.25, 95% CI 1\.2\d-1\.2\d\)$/);
    const [failure] = verdict.failures;
    expect(failure?.expected).toBe('no worse than 20.0 ms [19.8-20.2] (baseline main)');
    expect(failure?.received).toMatch(
      /^25\.0 ms \[24\.\d-25\.\d\], x1\.25 \[1\.2\d-1\.2\d\], Mann-Whitney p=0\.00794$/,
    );
    expect(renderFailure(failure ?? { message: '' })).toContain('expected: no worse than 20.0 ms');
  });

  it('passes a regression when fail_on_regression is off', () => {
    const { metric, verdict } = judge([], slower, base, { fail_on_regression: false });
    expect(metric.change).toBe('regressed');
    expect(verdict.passed).toBe(true);
  });

  it('calls the same numbers a wash and misses a ratio goal they do not reach', () => {
    const { metric, verdict } = judge(['ratio <= 0.9'], [...base].reverse(), base);
    expect(metric.change).toBe('wash');
    expect(metric.goals[0]?.verdict).toBe('goal-missed');
    expect(verdict.reason).toBe('goal missed: p50_ms ratio 1.00 (goal <= 0.9)');
    expect(verdict.failures[0]?.expected).toBe('ratio <= 0.9');
    expect(verdict.failures[0]?.received).toMatch(
      /^x1\.00 \[.*\]: 20\.0 ms \[19\.8-20\.2\] vs 20\.0 ms \[19\.8-20\.2\]$/,
    );
    expect(formatMetricResult(metric)).toContain('wash · goal ratio <= 0.9 missed (x1.00)');
  });

  it('judges value goals on the median, without a baseline', () => {
    const met = judge(['p50_ms <= 20.5'], base, undefined);
    expect(met.metric.baseline).toBeUndefined();
    expect(met.metric.change).toBeUndefined();
    expect(met.metric.goals).toEqual([{ goal: 'p50_ms <= 20.5', verdict: 'goal-met', value: 20, on: 'value' }]);
    expect(met.verdict.passed).toBe(true);
    expect(formatMetricResult(met.metric)).toBe('p50_ms 20.0 ms [19.8-20.2] · goal <= 20.5 met');
    const missed = judge(['p50_ms < 20', 'p50_ms >= 1'], base, undefined);
    expect(missed.metric.goals.map((goal) => goal.verdict)).toEqual(['goal-missed', 'goal-met']);
    expect(missed.verdict.reason).toBe('goal missed: p50_ms 20.0 ms (goal < 20)');
    expect(missed.verdict.failures).toEqual([
      {
        message: 'goal missed: p50_ms 20.0 ms (goal < 20)',
        expected: 'p50_ms < 20',
        received: 'median 20.0 ms [19.8-20.2]',
      },
    ]);
  });

  it('mirrors better=higher: a higher throughput is an improvement', () => {
    const { config, parsed } = bench(['ops ratio >= 1.1'], {
      metrics: { ops: { regex: 'ops: (\\d+)', better: 'higher' } },
    });
    const metricConfig = config.metrics.ops;
    if (!metricConfig) throw new Error('no metric');
    const more = base.map((value) => value * 1.3);
    const metric = judgeMetric('ops', metricConfig, { change: more, baseline: base }, config, parsed, baselineRef);
    expect(metric.change).toBe('improved');
    expect(judgeBench([metric], config, parsed).passed).toBe(true);
    const less = judgeMetric('ops', metricConfig, { change: faster, baseline: base }, config, parsed, baselineRef);
    expect(less.change).toBe('regressed');
    expect(judgeBench([less], config, parsed).failures).toHaveLength(2); // the goal, and the regression
  });
});

describe('an unsettled result', () => {
  // A noisy machine: about 15% run-to-run spread; the change is 25% slower, but overlaps the baseline.
  const noisy = [84, 118, 97, 131, 90, 106, 78, 122, 101, 94, 113, 87, 126, 99];
  const noisySlower = [...noisy].reverse().map((value, index) => value * 1.25 * (index % 2 === 0 ? 0.8 : 1.05));

  it('fails a no-regression gate by default, saying what was measured, how noisy, and what would settle it', () => {
    const { config, parsed } = bench([]);
    const metricConfig = config.metrics.p50_ms;
    if (!metricConfig) throw new Error('no metric');
    const samples = { change: noisySlower, baseline: noisy };
    const metric = judgeMetric('p50_ms', metricConfig, samples, config, parsed, baselineRef);
    expect(metric.change).toBe('unclear');
    expect(needsMoreRuns([metric])).toBe(true);
    expect(metric.cv).toBeGreaterThan(0.1);
    const verdict = judgeBench([metric], config, parsed, 14);
    expect(verdict.passed).toBe(false);
    expect(verdict.reason).toMatch(
      /^p50_ms unclear: [\d.]+ ms vs [\d.]+ ms \(x1\.\d\d, 95% CI \[0\.\d\d-1\.\d\d\]\) after 14 runs per side/,
    );
    expect(verdict.reason).toContain('holds 1 and reaches beyond ±3%');
    const [failure] = verdict.failures;
    expect(failure?.received).toMatch(/coefficient of variation [\d.]+%/);
    expect(failure?.received).toContain('More runs (`bench.max_runs`) or a quieter machine would settle it');
    expect(failure?.expected).toContain('shown within ±3%');
    expect(failure?.received).toMatch(/^measured `p50_ms` from the JSON each run printed: /);
    expect(verdict.reason).toMatch(/a wash needs the 90% interval \[0\.\d\d-1\.\d\d\] within x0\.97-x1\.03/);
    expect(formatMetricResult(metric)).toMatch(/ unclear \(spread \d+%\)$/);
  });

  it('names the timing it measured, and the steadier one, for run-time metrics', () => {
    const timed = (time?: 'cpu' | 'instructions') => {
      const config = benchSchema.parse({ metrics: { t: time ? { time } : {} } });
      const metricConfig = config.metrics.t;
      if (!metricConfig) throw new Error('no metric');
      const metric = judgeMetric('t', metricConfig, { change: noisySlower, baseline: noisy }, config, [], baselineRef);
      return judgeBench([metric], config, []).failures[0]?.received ?? '';
    };
    expect(timed()).toMatch(/^measured each run's wall time: [\d.]+ ms /);
    expect(timed()).toContain('`time: cpu` is much steadier than wall time on a busy machine');
    expect(timed('cpu')).toMatch(/^measured each run's CPU time \(user \+ system of its process tree\): /);
    expect(timed('cpu')).toContain('`time: instructions` (valgrind) counts work');
    expect(timed('instructions')).toMatch(
      /^measured the instructions each run's process tree executed \(valgrind\): [\d.]+ instructions/,
    );
    expect(timed('instructions')).not.toContain('steadier');
  });

  it('passes it with `unclear: pass`, and still fails a clear regression then', () => {
    const { config, parsed } = bench([], { unclear: 'pass' });
    const metricConfig = config.metrics.p50_ms;
    if (!metricConfig) throw new Error('no metric');
    const unclear = judgeMetric(
      'p50_ms',
      metricConfig,
      { change: noisySlower, baseline: noisy },
      config,
      parsed,
      baselineRef,
    );
    expect(judgeBench([unclear], config, parsed).passed).toBe(true);
    const regressed = judgeMetric(
      'p50_ms',
      metricConfig,
      { change: slower, baseline: base },
      config,
      parsed,
      baselineRef,
    );
    expect(judgeBench([regressed], config, parsed).passed).toBe(false);
  });

  it('does not meet a goal whose bound lies inside the interval, unless `unclear: pass`', () => {
    // Point estimate x0.9x meets `ratio <= 1.0`, but the interval reaches well above 1.
    const faintlyFaster = noisy.map((value, index) => value * (index % 2 === 0 ? 0.9 : 0.98));
    const strict = judge(['p50_ms ratio <= 1.0'], faintlyFaster, noisy, { fail_on_regression: false });
    expect(strict.metric.ratio?.value).toBeLessThan(1);
    expect(strict.metric.ratio?.interval[1]).toBeGreaterThan(1);
    expect(strict.metric.goals[0]).toMatchObject({ verdict: 'goal-missed', unclear: true });
    expect(strict.verdict.reason).toMatch(/^goal unclear: p50_ms x0\.\d\d \(goal <= 1\) after \d+ runs per side/);
    expect(strict.verdict.failures[0]?.received).toMatch(
      /^measured `p50_ms` from the JSON each run printed: ratio x0\.\d\d .*coefficient of variation/,
    );
    expect(needsMoreRuns([strict.metric])).toBe(true);
    const lenient = judge(['p50_ms ratio <= 1.0'], faintlyFaster, noisy, {
      fail_on_regression: false,
      unclear: 'pass',
    });
    expect(lenient.metric.goals[0]).toMatchObject({ verdict: 'goal-met', unclear: true });
    expect(lenient.verdict.passed).toBe(true);
  });

  it('is a plain miss, not "unclear", when the point estimate misses the bound anyway', () => {
    const { verdict } = judge(
      ['p50_ms ratio <= 0.95'],
      noisy.map((value) => value * 1.02),
      noisy,
      {
        fail_on_regression: false,
      },
    );
    expect(verdict.reason).toMatch(/^goal missed: p50_ms ratio 1\.0\d \(goal <= 0\.95\)/);
  });
});

describe('benchSchedule', () => {
  it('interleaves the sides, flipping the order of each pair, warm-ups first', () => {
    const order = benchSchedule(3, 1, true).map((run) => `${run.warmup ? 'w' : ''}${run.side[0]}${run.index}`);
    expect(order).toEqual(['wb0', 'wc0', 'b0', 'c0', 'c1', 'b1', 'b2', 'c2']);
    expect(benchSchedule(2, 0, false).map((run) => run.side)).toEqual(['change', 'change']);
  });
});

function bracket(interval: [number, number] | undefined): string {
  return interval ? `[${interval[0].toFixed(2)}-${interval[1].toFixed(2)}]` : '';
}
