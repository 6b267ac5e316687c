import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/load-config.ts';
import { runGateGraph } from '../../../src/gates/run-gate-graph.ts';
import { gitdir } from '../../support/gitdir.ts';
import { writeFiles } from '../../support/write-files.ts';

// The bench prints the next value of a fixed, spread-out sequence for its side (a counter file per
// side), so the samples are the same every time: `scale` x [100, 80, 120, 92, 108, 86, 114, ...].
const bench = `import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const side = process.env.SLUICE_BENCH_SIDE;
const counter = process.env.COUNTER_DIR + '/' + side;
const index = existsSync(counter) ? Number(readFileSync(counter, 'utf8')) : 0;
writeFileSync(counter, String(index + 1));
const spread = SPREAD;
console.log(JSON.stringify({ ms: spread[index % spread.length] * SCALE }));
`;

function config(): string {
  return `gates:
  speed:
    kind: bench
    run: node bench.mjs
    env: { COUNTER_DIR: ${JSON.stringify(join('.', 'counts'))} }
    bench:
      runs: 7
      warmup: 0
      max_runs: 21
      metrics: { ms: { json: ms } }
`;
}

/**
 * Spread out by ±20%, every value distinct: a 10% change stays hidden in the first round, and the median
 * of a resample lands on different values (a spread with many runs at exactly 100 would pin it there).
 */
const noisy = [100, 80, 120, 92, 108, 86, 114];

async function project(changeScale: number, spread = noisy) {
  const withSpread = bench.replace('SPREAD', JSON.stringify(spread));
  const repo = await gitdir({
    files: { 'bench.mjs': withSpread.replace('SCALE', 'Number(process.env.SCALE ?? 1)'), 'counts/.keep': '' },
  });
  writeFiles(repo, { 'bench.mjs': withSpread.replace('SCALE', String(changeScale)) });
  return repo;
}

describe('a bench gate whose first runs leave the verdict unclear', () => {
  it('measures more rounds, up to max_runs, before it calls anything', async () => {
    const repo = await project(1.1);
    const result = await runGateGraph({
      config: parseConfigText(config(), 'sluice.yaml'),
      root: repo,
      baseRef: 'HEAD',
    });
    const metric = result.gates[0]?.bench?.metrics[0];
    expect(metric?.ratio?.value).toBeCloseTo(1.1, 5);
    expect(result.gates[0]?.bench?.runs).toBeGreaterThan(7);
    expect(metric?.samples.length).toBe(result.gates[0]?.bench?.runs);
    expect(metric?.baseline?.samples.length).toBe(result.gates[0]?.bench?.runs);
    // A 10% slowdown is never passed as a wash: regressed, or unclear (which fails the gate by default).
    expect(['regressed', 'unclear']).toContain(metric?.change);
    expect(result.gates[0]?.status).toBe('failed');
  }, 60_000);

  it('fails a no-op it cannot settle as unclear, saying how noisy it was, unless `unclear: pass`', async () => {
    const repo = await project(1);
    const result = await runGateGraph({
      config: parseConfigText(config(), 'sluice.yaml'),
      root: repo,
      baseRef: 'HEAD',
    });
    const gate = result.gates[0];
    expect(gate?.bench?.runs).toBe(21);
    expect(gate?.bench?.metrics[0]?.change).toBe('unclear');
    expect(gate?.status).toBe('failed');
    expect(gate?.reason).toMatch(/^ms unclear: .* after 21 runs per side/);
    expect(gate?.failures[0]?.received).toMatch(/coefficient of variation 1\d%/);
    const lenient = await project(1);
    const passed = await runGateGraph({
      config: parseConfigText(config().replace('max_runs: 21', 'max_runs: 21\n      unclear: pass'), 'sluice.yaml'),
      root: lenient,
      baseRef: 'HEAD',
    });
    expect(passed.gates[0]?.bench?.metrics[0]?.change).toBe('unclear');
    expect(passed.gates[0]?.status).toBe('passed');
  }, 60_000);

  it('stops after the first round when the samples already agree', async () => {
    const repo = await project(1, [100, 99.5, 100.5, 100, 99.8, 100.2, 100]);
    const result = await runGateGraph({
      config: parseConfigText(config(), 'sluice.yaml'),
      root: repo,
      baseRef: 'HEAD',
    });
    expect(result.gates[0]?.bench).toMatchObject({ runs: 7 });
    expect(result.gates[0]?.bench?.metrics[0]?.change).toBe('wash');
  }, 60_000);
});
