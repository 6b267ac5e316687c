import { describe, expect, it } from 'vitest';
import { parseBenchGoal } from '../../../src/config/bench-goal.ts';
import { parseConfigText } from '../../../src/config/load-config.ts';

function problems(yaml: string): string {
  try {
    parseConfigText(yaml, 'sluice.yaml');
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('gate kinds in sluice.yaml', () => {
  it('reads services and the blocks of bench, invariant, log, http and browser gates', () => {
    const config = parseConfigText(
      [
        'services:',
        '  app: { run: node server.js, ready: { http: "http://127.0.0.1:3000/health" } }',
        'gates:',
        '  speed: { kind: bench, run: node bench.js, bench: { metrics: { p50_ms: { json: p50 } }, goals: ["p50_ms ratio <= 0.9"] } }',
        '  bytes: { kind: invariant, run: node report.js, invariant: { assert: ["total = 1"] } }',
        '  clean-log: { kind: log, services: [app], log: { of: app, must_not: [ERROR] } }',
        '  api: { kind: http, services: [app], http: [{ url: "http://127.0.0.1:3000/items", expect: { json: { count: 3 } } }] }',
        '  ui: { kind: browser, services: [app], browser: { script: e2e/cart.mjs } }',
      ].join('\n'),
      'sluice.yaml',
    );
    expect(config.services.app?.ready).toEqual({ http: 'http://127.0.0.1:3000/health', status: 200 });
    expect(config.services.app?.ready_timeout).toBe(30_000);
    expect(config.services.app?.stop_signal).toBe('SIGTERM');
    expect(config.gates.speed?.bench).toMatchObject({
      runs: 7,
      warmup: 1,
      noise: { confidence: 0.95, min_effect: 0.03 },
    });
    expect(config.gates['clean-log']?.run).toBeUndefined();
    expect(config.gates.api?.http?.[0]?.expect.status).toBe(200);
    expect(config.gates.ui?.browser?.executable).toBe('/usr/bin/chromium');
  });

  it('names what is wrong with a kind and its block', () => {
    expect(problems('gates:\n  a: { kind: http }\n')).toContain('a gate of kind http needs its `http:` block');
    // `bench` and `invariant` alone still label a plain command, as they always did.
    expect(problems('gates:\n  a: { kind: bench, run: x }\n  b: { kind: invariant, run: y }\n')).toBe('');
    expect(problems('gates:\n  a: { run: x, invariant: { assert: [x] } }\n')).toContain('needs `kind: invariant`');
    expect(problems('gates:\n  a: { run: x, services: [db] }\n')).toContain('unknown service "db"');
    expect(problems('services:\n  db: { run: x }\ngates:\n  a: { kind: log, log: { of: db, must: [x] } }\n')).toContain(
      `"db" must also be in this gate's services`,
    );
    expect(problems('gates:\n  a: { kind: test }\n')).toContain('gates.a.run: missing "run" (expected string)');
    expect(problems('gates:\n  a: { kind: http, run: x, http: [{ url: "http://127.0.0.1:1/" }] }\n')).toContain(
      'runs no command of its own',
    );
    expect(
      problems('gates:\n  a: { kind: bench, run: x, bench: { metrics: { ms: {} }, goals: ["rss <= 3"] } }\n'),
    ).toContain('unknown metric "rss"');
  });
});

describe('parseBenchGoal', () => {
  it('reads absolute bounds, ratio goals and the single-metric shorthand', () => {
    expect(parseBenchGoal('p50_ms <= 20', ['p50_ms'])).toEqual({
      text: 'p50_ms <= 20',
      metric: 'p50_ms',
      on: 'value',
      op: '<=',
      bound: 20,
    });
    expect(parseBenchGoal('p50_ms ratio <= 0.9', ['p50_ms', 'rss'])).toMatchObject({
      metric: 'p50_ms',
      on: 'ratio',
      bound: 0.9,
    });
    expect(parseBenchGoal('ratio(rss) < 1.1', ['p50_ms', 'rss'])).toMatchObject({
      metric: 'rss',
      on: 'ratio',
      op: '<',
    });
    expect(parseBenchGoal('ratio <= 0.9', ['p50_ms'])).toMatchObject({ metric: 'p50_ms', on: 'ratio' });
    expect(parseBenchGoal('ops >= 1e3', ['ops'])).toMatchObject({ op: '>=', bound: 1000 });
  });

  it('says what is wrong with a goal it cannot read', () => {
    expect(parseBenchGoal('ratio <= 0.9', ['a', 'b'])).toContain('must name its metric');
    expect(parseBenchGoal('fast please', ['a'])).toContain('cannot read goal');
    expect(parseBenchGoal('a ratio <= 0', ['a'])).toContain('above 0');
  });
});
