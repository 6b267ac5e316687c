import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseConfigText } from '../../../src/config/load-config.ts';
import type { CheckResult } from '../../../src/gates/gate-results.ts';
import { runGateGraph } from '../../../src/gates/run-gate-graph.ts';
import { findOnPath } from '../../../src/process/sandbox/bubblewrap.ts';
import { gitdir } from '../../support/gitdir.ts';
import { writeFiles } from '../../support/write-files.ts';

// Real work in the shell: a loop of arithmetic whose length is the argument. Doubling it doubles the
// instructions the loop executes, whatever else the machine is doing.
const workScript = `i=0; s=0
while [ $i -lt "$1" ]; do s=$((s + i * 7 % 13)); i=$((i + 1)); done
echo "sum $s"
`;

function config(run: string, extra = ''): string {
  return `gates:
  work:
    kind: bench
    run: ${run}
    timeout: 120s
    bench:
      runs: 5
      warmup: 0
      max_runs: 10
      metrics: { ir: { time: instructions } }
${extra}`;
}

async function project(run: string): Promise<string> {
  return gitdir({ files: { 'work.sh': workScript, 'sluice.yaml': config(run) } });
}

async function check(root: string, run: string): Promise<CheckResult> {
  return runGateGraph({ config: parseConfigText(config(run), 'sluice.yaml'), root, baseRef: 'HEAD' });
}

function metricOf(result: CheckResult) {
  const metric = result.gates[0]?.bench?.metrics[0];
  if (!metric) throw new Error(`no bench result: ${JSON.stringify(result.gates[0])}`);
  return metric;
}

// valgrind is installed by the test setup (test/support/global-setup.ts), like Chromium: this always runs.
describe('a bench gate counting instructions (valgrind)', () => {
  it('gives the same count every run and calls an unchanged script a wash after one round', async () => {
    const root = await project('sh work.sh 3000');
    writeFiles(root, { 'work.sh': `${workScript}# tidied up, no more work\n` });
    const result = await check(root, 'sh work.sh 3000');
    const metric = metricOf(result);
    expect(metric.unit).toBe('instructions');
    expect(new Set(metric.samples).size).toBe(1); // deterministic: the load of the machine does not move it
    expect(new Set(metric.baseline?.samples).size).toBe(1);
    expect(metric.ratio?.value).toBeCloseTo(1, 3);
    expect(metric.change).toBe('wash');
    expect(result.gates[0]?.bench?.runs).toBe(5);
    expect(result.gates[0]?.status).toBe('passed');
  }, 120_000);

  it('calls doubled work regressed, x2 in instructions, and fails the gate saying so', async () => {
    const root = await project('sh work.sh 3000');
    // The change does the loop twice; the baseline (HEAD) once.
    writeFiles(root, { 'work.sh': `${workScript}${workScript.replace('echo', 'echo again')}` });
    const result = await check(root, 'sh work.sh 3000');
    const metric = metricOf(result);
    expect(metric.change).toBe('regressed');
    expect(metric.ratio?.value).toBeGreaterThan(1.8);
    expect(metric.ratio?.value).toBeLessThan(2.05);
    expect(metric.median).toBeGreaterThan(1_000_000);
    expect(result.gates[0]?.status).toBe('failed');
    expect(result.gates[0]?.reason).toMatch(/^ir regressed: \d+ instructions vs \d+ instructions \(x\d\.\d\d/);
  }, 120_000);

  it('counts work moved into child processes, background or nested, as the same work', async () => {
    // Hiding the work in other processes does not make it cheaper: forks and execs are followed.
    const run = 'sh work.sh 3000';
    const root = await project(run);
    writeFiles(root, {
      'work.sh': `(sh -c 'i=0; s=0; while [ $i -lt 1500 ]; do s=$((s + i * 7 % 13)); i=$((i + 1)); done') &
sh -c "sh -c 'i=0; s=0; while [ \\$i -lt 1500 ]; do s=\\$((s + i * 7 % 13)); i=\\$((i + 1)); done'"
wait
${workScript}`,
    });
    const result = await check(root, run);
    const metric = metricOf(result);
    // The baseline loops 3000 times; the change 3000 in this process plus 2 x 1500 in children: about x2.
    expect(metric.ratio?.value).toBeGreaterThan(1.8);
    expect(metric.change).toBe('regressed');
  }, 120_000);

  it('fails before any run, naming what to install, when valgrind is not on PATH', async () => {
    const root = await project('sh work.sh 10');
    // A PATH with git and sh but no valgrind.
    const bin = mkdtempSync(join(tmpdir(), 'sluice-novalgrind-'));
    onTestFinished(() => rmSync(bin, { recursive: true, force: true }));
    for (const tool of ['git', 'sh']) {
      const path = findOnPath(tool);
      if (path) symlinkSync(path, join(bin, tool));
    }
    const saved = process.env.PATH;
    process.env.PATH = [bin, dirname(process.execPath)].join(':');
    onTestFinished(() => {
      process.env.PATH = saved;
    });
    const result = await check(root, 'sh work.sh 10');
    process.env.PATH = saved;
    const gate = result.gates[0];
    expect(gate?.status).toBe('failed');
    expect(gate?.reason).toMatch(
      /^metric ir counts instructions with valgrind, which is not installed here: install it/,
    );
    expect(gate?.reason).toContain('apt-get install valgrind');
    expect(gate?.bench).toBeUndefined();
  }, 60_000);
});

describe('a bench gate counting instructions', () => {
  it('refuses a config that also times the runs, which valgrind would stretch', () => {
    const text = config('sh work.sh 10').replace(
      'metrics: { ir: { time: instructions } }',
      'metrics: { ir: { time: instructions }, ms: { time: cpu } }',
    );
    expect(() => parseConfigText(text, 'sluice.yaml')).toThrow(/ir.* counts instructions.*measure `ms` \(time: cpu\)/s);
  });
});
