import { describe, expect, it } from 'vitest';
import { readMetric } from '../../../../src/gates/bench/read-metric.ts';

const lower = { better: 'lower' as const };

describe('readMetric', () => {
  it('reads a JSONata path from the last JSON document of the output', async () => {
    const output = [
      '> bench@1.0.0 bench',
      '[info] warming up',
      '{"p50_ms": 99, "note": "warm-up, not this one"}',
      'measuring...',
      '{',
      '  "p50_ms": 14.25,',
      '  "results": [',
      '    { "name": "parse", "ms": 3.5 },',
      '    { "name": "render", "ms": 7 }',
      '  ]',
      '}',
      'done in 1.2s',
    ].join('\n');
    expect(await readMetric({ ...lower, json: 'p50_ms' }, output, { wallMs: 0 })).toEqual({ ok: true, value: 14.25 });
    expect(await readMetric({ ...lower, json: 'results[1].ms' }, output, { wallMs: 0 })).toEqual({
      ok: true,
      value: 7,
    });
    expect(await readMetric({ ...lower, json: "results[name='parse'].ms" }, output, { wallMs: 0 })).toEqual({
      ok: true,
      value: 3.5,
    });
    expect(await readMetric({ ...lower, json: '$sum(results.ms)' }, output, { wallMs: 0 })).toEqual({
      ok: true,
      value: 10.5,
    });
  });

  it('says what is wrong when the JSON path cannot give a number', async () => {
    const read = (json: string, output: string) => readMetric({ ...lower, json }, output, { wallMs: 0 });
    expect(await read('p50_ms', 'no json here\n')).toEqual({ ok: false, problem: 'the output holds no JSON document' });
    const missing = await read('p99_ms', '{"p50_ms": 3}\n');
    expect(missing).toEqual({ ok: false, problem: '`p99_ms` is missing from {"p50_ms": 3}' });
    const text = await read('p50_ms', '{"p50_ms": "fast"}\n');
    expect(text).toEqual({ ok: false, problem: '`p50_ms` is "fast", not a number' });
    const many = await read('runs.ms', '{"runs": [{"ms": 1}, {"ms": 2}]}\n');
    expect(many.ok ? '' : many.problem).toContain('gives 2 values, not one');
    const invalid = await read('p50_ms[', '{"p50_ms": 3}\n');
    expect(invalid.ok ? '' : invalid.problem).toContain('is not a JSONata expression');
  });

  it('reads the first capture group of a regex, or the whole match without a group', async () => {
    const output = 'startup 120 ms\nrequests: 1534.5 req/s\nlatency p50: 12.5ms\n';
    expect(await readMetric({ ...lower, regex: 'p50: ([\\d.]+)ms' }, output, { wallMs: 0 })).toEqual({
      ok: true,
      value: 12.5,
    });
    expect(await readMetric({ ...lower, regex: '^requests: (\\S+)' }, output, { wallMs: 0 })).toEqual({
      ok: true,
      value: 1534.5,
    });
    expect(await readMetric({ ...lower, regex: '\\d+(?= ms)' }, output, { wallMs: 0 })).toEqual({
      ok: true,
      value: 120,
    });
    expect(await readMetric({ ...lower, regex: 'p99: (\\d+)' }, output, { wallMs: 0 })).toEqual({
      ok: false,
      problem: '/p99: (\\d+)/ matches nothing in the output',
    });
    expect(await readMetric({ ...lower, regex: 'latency (\\w+)' }, output, { wallMs: 0 })).toEqual({
      ok: false,
      problem: '/latency (\\w+)/ captured "p50", not a number',
    });
  });

  it('measures wall time with neither json nor regex', async () => {
    expect(await readMetric(lower, 'whatever it prints', { wallMs: 41.7 })).toEqual({ ok: true, value: 41.7 });
  });
});
