import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/load-config.ts';
import type { GateConfig } from '../../../src/config/schema.ts';
import type { CheckEvent } from '../../../src/gates/check-events.ts';
import type { GateResult } from '../../../src/gates/gate-results.ts';
import { runGateGraph } from '../../../src/gates/run-gate-graph.ts';
import { scheduleTier } from '../../../src/gates/schedule-tier.ts';
import { tempDir } from '../../support/temp-dir.ts';

function gateResult(name: string, status: GateResult['status']): GateResult {
  return {
    name,
    tier: 0,
    blocking: true,
    kind: 'other',
    status,
    durationMs: 0,
    failures: [],
    problems: [],
  } as GateResult;
}

/** Schedule `text`'s gates (one tier) with gates that finish on the next tick; the order they ran in. */
async function runOrder(text: string, fail: string[] = [], concurrency = 2) {
  const gates = parseConfigText(text, 'sluice.yaml').gates;
  const results = new Map<string, GateResult>();
  const order: string[] = [];
  let running = 0;
  let most = 0;
  await scheduleTier({
    gates: Object.entries(gates),
    selected: new Map(Object.entries(gates)),
    results,
    concurrency,
    runningProcesses: () => [],
    async run(name) {
      running++;
      most = Math.max(most, running);
      order.push(name);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return gateResult(name, fail.includes(name) ? 'failed' : 'passed');
    },
    finish: (result) => results.set(result.name, result),
    skip: (name, _gate: GateConfig, reason) => ({ ...gateResult(name, 'skipped'), reason }),
  });
  return { order, results, most };
}

describe('scheduleTier', () => {
  it('runs a chain of 10,000 gates, each after the one it needs', async () => {
    const lines = ['gates:', '  g0: { run: "true" }'];
    for (let index = 1; index < 10_000; index++) lines.push(`  g${index}: { run: "true", needs: [g${index - 1}] }`);
    const { order, results, most } = await runOrder(lines.join('\n'));
    expect(order).toHaveLength(10_000);
    expect(order.every((name, index) => name === `g${index}`)).toBe(true);
    expect([...results.values()].every((result) => result.status === 'passed')).toBe(true);
    expect(most).toBe(1);
  });

  it('keeps to a fixed concurrency, and skips what needs a failed gate (and what needs that)', async () => {
    const { order, results, most } = await runOrder(
      'gates:\n  a: { run: x }\n  b: { run: x }\n  c: { run: x }\n  d: { run: x, needs: [a] }\n  e: { run: x, needs: [d] }\n  f: { run: x, needs: [b, c] }\n',
      ['a'],
    );
    expect(most).toBe(2);
    expect(order).toEqual(['a', 'b', 'c', 'f']);
    expect(results.get('d')?.reason).toBe('needs "a", which did not pass');
    expect(results.get('e')?.reason).toBe('needs "d", which did not pass');
  });

  it('runs a benchmark alone', async () => {
    const bench = '{ run: x, kind: bench, bench: { runs: 3, metrics: { t: { json: t } } } }';
    const { most, order } = await runOrder(`gates:\n  a: { run: x }\n  speed: ${bench}\n  b: { run: x }\n`, [], 4);
    expect(order.indexOf('speed')).toBe(2);
    expect(most).toBe(2);
  });
});

describe('the default concurrency', () => {
  it('overlaps gates that wait beyond one per core, as lefthook would', async () => {
    const root = tempDir('sluice-schedule-');
    execFileSync('git', ['init', '-q'], { cwd: root });
    const cores = (await import('node:os')).availableParallelism();
    const names = Array.from({ length: cores + 2 }, (_, index) => `wait${index}`);
    const config = parseConfigText(
      `gates:\n${names.map((name) => `  ${name}: { run: sleep 1, inputs: [] }`).join('\n')}\n`,
      'sluice.yaml',
    );
    const events: CheckEvent[] = [];
    const result = await runGateGraph({ config, root, useCache: false, onEvent: (event) => events.push(event) });
    expect(result.verdict).toBe('passed');
    const firstFinish = events.findIndex((event) => event.type === 'gate:finish');
    const startedBefore = events.slice(0, firstFinish).filter((event) => event.type === 'gate:start');
    expect(startedBefore.length).toBeGreaterThan(cores);
  });
});
