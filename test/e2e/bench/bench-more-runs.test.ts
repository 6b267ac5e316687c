import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/load-config.ts';
import { runGateGraph } from '../../../src/gates/run-gate-graph.ts';
import { gitdir } from '../../support/gitdir.ts';
import { writeFiles } from '../../support/write-files.ts';

// The bench prints the next value of a fixed, spread-out sequence for its side (a counter file per
// side), so the samples are the same every time: `scale` x [100, 80, 120, 100, 90, 110, 100, ...].
const bench = `import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const side = process.env.SLUICE_BENCH_SIDE;
const counter = process.env.COUNTER_DIR + '/' + side;
const index = existsSync(counter) ? Number(readFileSync(counter, 'utf8')) : 0;
writeFileSync(counter, String(index + 1));
const spread = [100, 80, 120, 100, 90, 110, 100];
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

async function project(changeScale: number) {
  const repo = await gitdir({
    files: { 'bench.mjs': bench.replace('SCALE', 'Number(process.env.SCALE ?? 1)'), 'counts/.keep': '' },
  });
  writeFiles(repo, { 'bench.mjs': bench.replace('SCALE', String(changeScale)) });
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
  }, 60_000);

  it('stops after the first round when the samples already agree', async () => {
    const repo = await project(1);
    const result = await runGateGraph({
      config: parseConfigText(config(), 'sluice.yaml'),
      root: repo,
      baseRef: 'HEAD',
    });
    expect(result.gates[0]?.bench).toMatchObject({ runs: 7 });
    expect(result.gates[0]?.bench?.metrics[0]?.change).toBe('wash');
  }, 60_000);
});
