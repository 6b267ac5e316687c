import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricSchema } from '../../../../src/config/bench-schema.ts';
import {
  instructionCountedCommand,
  missingCounterProblem,
  readInstructionCount,
} from '../../../../src/gates/bench/instruction-count.ts';
import { countsInstructions, readMetric } from '../../../../src/gates/bench/read-metric.ts';
import { tempDir } from '../../../support/temp-dir.ts';

/** A folder laid out as valgrind leaves it: `<pid>.out` counts and `<pid>.log` messages. */
function countsDir(files: Record<string, string>): string {
  const dir = join(tempDir(), 'counts');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const countFile = (ir: number) =>
  `desc: I1 cache: 65536 B\ncmd: /bin/sh -c x\nevents: Ir\nfl=???\n0 ${ir}\nsummary: ${ir}\n`;

describe('reading the instruction count of a run', () => {
  it('sums the counts of every process of the tree, then removes the folder', async () => {
    const dir = countsDir({ '11.out': countFile(230746), '12.out': countFile(105665603), '11.log': '==11== ok\n' });
    expect(await readInstructionCount(dir)).toEqual({ ok: true, count: 230746 + 105665603 });
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a count cut short rather than counting less work than was done', async () => {
    const dir = countsDir({ '11.out': countFile(230746), '12.out': 'desc: I1 cache\nevents: Ir\n0 500\n' });
    const read = await readInstructionCount(dir);
    expect(read).toEqual({ ok: false, problem: "valgrind's count 12.out has no summary line (cut short?)" });
    expect(existsSync(dir)).toBe(false);
  });

  it('says what valgrind complained of when no process was counted', async () => {
    const dir = countsDir({ '11.log': "==11== Memcheck\n==11== valgrind: failed to start tool 'cachegrind'\n" });
    expect(await readInstructionCount(dir)).toEqual({
      ok: false,
      problem: "valgrind counted no process of the run: valgrind: failed to start tool 'cachegrind'",
    });
    expect(await readInstructionCount(join(tempDir(), 'never-made'))).toMatchObject({
      ok: false,
      problem: 'valgrind counted no process of the run (did valgrind start?)',
    });
  });

  it('runs the command under cachegrind, following every child, one count file per process', async () => {
    const counted = await instructionCountedCommand('npm run bench');
    try {
      expect(counted.command.file).toBe('valgrind');
      expect(counted.command.args).toEqual(
        expect.arrayContaining(['--tool=cachegrind', '--cache-sim=no', '--trace-children=yes']),
      );
      expect(counted.command.args).toContain(`--cachegrind-out-file=${join(counted.dir, '%p.out')}`);
      expect(counted.command.args.slice(-4)).toEqual(['--', '/bin/sh', '-c', 'npm run bench']);
      expect(existsSync(counted.dir)).toBe(true);
    } finally {
      await readInstructionCount(counted.dir);
    }
    expect(existsSync(counted.dir)).toBe(false);
  });

  it('is the metric of `time: instructions`, which names what to install when it is missing', async () => {
    const metric = metricSchema.parse({ time: 'instructions' });
    const times = { wallMs: 12, instructions: { ok: true as const, count: 4242 } };
    expect(await readMetric(metric, '', times)).toEqual({ ok: true, value: 4242 });
    expect(await readMetric(metric, '', { wallMs: 12 })).toEqual({
      ok: false,
      problem: 'the instructions of the run were not counted',
    });
    expect(countsInstructions({ ms: metricSchema.parse({}), ir: metric })).toBe('ir');
    expect(countsInstructions({ ms: metricSchema.parse({ time: 'cpu' }) })).toBeUndefined();
    expect(missingCounterProblem('ir')).toMatch(/^metric ir counts instructions with valgrind, which is not installed/);
    expect(missingCounterProblem('ir')).toContain('apt-get install valgrind');
  });
});
