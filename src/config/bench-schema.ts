import { z } from 'zod';
import { parseBenchGoal } from './bench-goal.ts';

export const metricSchema = z
  .strictObject({
    json: z
      .string()
      .min(1)
      .optional()
      .describe('JSONata path into the last JSON document the command prints (e.g. `p50_ms` or `results[0].ms`).'),
    regex: z
      .string()
      .min(1)
      .optional()
      .describe('Regular expression over the output; its first capture group is the number.'),
    better: z.enum(['lower', 'higher']).default('lower').describe('Which direction is an improvement.'),
    unit: z.string().min(1).optional().describe('Shown after the numbers (ms, MB, ops/s).'),
    time: z
      .enum(['wall', 'cpu', 'instructions'])
      .optional()
      .describe(
        'Without `json` or `regex`: `wall` (default) times the run from start to end; `cpu` takes the CPU time (user + system, in ms) of the command and every process it waited for — steadier than wall time on a busy machine; `instructions` counts the machine instructions the command and every process it started executed, under valgrind (cachegrind; must be installed) — the same count on a busy machine as on a quiet one, but each run is some 20-50x slower.',
      ),
  })
  .refine((metric) => !(metric.json && metric.regex), 'give `json` or `regex`, not both')
  .refine(
    (metric) => !(metric.time && (metric.json !== undefined || metric.regex !== undefined)),
    '`time` measures the run itself: give it without `json` or `regex`',
  )
  .describe(
    "One number per run. With neither `json` nor `regex`: the command's wall time in milliseconds (or its CPU time with `time: cpu`).",
  );

export const noiseSchema = z
  .strictObject({
    confidence: z.number().gt(0.5).lt(1).default(0.95).describe('Confidence level of the interval.'),
    min_effect: z
      .number()
      .min(0)
      .lt(1)
      .default(0.03)
      .describe(
        'A wash is a change shown to move less than this fraction of the baseline either way (an equivalence test: the interval at level 2·confidence − 1, 90% for 95%, lies within it); one that moved beyond it, significantly, is improved or regressed; anything else is unclear.',
      ),
    resamples: z.number().int().min(200).default(2000).describe('Bootstrap resamples.'),
  })
  .describe('How a change is told from noise: a bootstrap interval of the ratio of medians.');

export const benchSchema = z
  .strictObject({
    runs: z
      .number()
      .int()
      .min(3)
      .default(7)
      .describe(
        'Measured runs per side (the change, and the baseline). 7 tolerates one outlier; with 5 one outlier can hide a real change, and with 3 nothing is ever called improved or regressed (only goals are judged).',
      ),
    max_runs: z
      .number()
      .int()
      .min(3)
      .default(28)
      .describe(
        "When the first `runs` leave a verdict unclear (a move beyond `min_effect` that the interval cannot tell from noise, or a goal bound inside the interval), more rounds of `runs` are measured, up to this many per side (while the gate's `timeout` lasts).",
      ),
    warmup: z.number().int().min(0).default(1).describe('Runs per side before measuring, thrown away.'),
    metrics: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'metric names use letters, digits, ".", "_" and "-"'),
        metricSchema,
      )
      .refine((metrics) => Object.keys(metrics).length > 0, 'define at least one metric')
      .describe('The numbers read from each run, by name.'),
    goals: z
      .array(z.string().min(1))
      .default([])
      .describe(
        '`<metric> <= 20` (an absolute bound on the median) or `<metric> ratio <= 0.9` (against the baseline).',
      ),
    baseline: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Git ref measured as the baseline, in a worktree of its own. Default: the check's base (a run's base commit, `sluice check --base`); `none` turns it off.",
      ),
    fail_on_regression: z
      .boolean()
      .default(true)
      .describe('A metric that got worse beyond the noise fails the gate even if its goals are met.'),
    unclear: z
      .enum(['fail', 'pass'])
      .default('fail')
      .describe(
        'A result the runs could not settle after `max_runs` (the interval of the ratio holds 1 and reaches beyond `min_effect`, or a goal bound lies inside the interval): `fail` counts it as a regression (with `fail_on_regression`) and a missed goal; `pass` lets it through.',
      ),
    noise: noiseSchema.prefault({}),
  })
  .superRefine((bench, context) => {
    const timing = (metric: MetricConfig) =>
      metric.json === undefined && metric.regex === undefined ? (metric.time ?? 'wall') : undefined;
    const counted = Object.entries(bench.metrics).find(([, metric]) => timing(metric) === 'instructions');
    const timed = Object.entries(bench.metrics).find(([, metric]) => ['wall', 'cpu'].includes(timing(metric) ?? ''));
    if (counted && timed) {
      context.addIssue({
        code: 'custom',
        path: ['metrics', timed[0]],
        message: `\`${counted[0]}\` counts instructions, so every run is under valgrind, which makes its times meaningless: measure \`${timed[0]}\` (time: ${timing(timed[1])}) in a gate of its own`,
      });
    }
    if (bench.max_runs < bench.runs) {
      context.addIssue({ code: 'custom', path: ['max_runs'], message: `must be at least runs (${bench.runs})` });
    }
    bench.goals.forEach((goal, index) => {
      const parsed = parseBenchGoal(goal, Object.keys(bench.metrics));
      if (typeof parsed === 'string') context.addIssue({ code: 'custom', path: ['goals', index], message: parsed });
      else if (parsed.on === 'ratio' && bench.baseline === 'none') {
        context.addIssue({ code: 'custom', path: ['goals', index], message: 'a ratio goal needs a baseline' });
      }
    });
  })
  .describe('Run a command several times, interleaved with the baseline, and judge its metrics against goals.');

export type BenchConfig = z.output<typeof benchSchema>;
export type MetricConfig = z.output<typeof metricSchema>;
