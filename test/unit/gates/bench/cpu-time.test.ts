import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { monotonicNow } from '../../../../src/clock.ts';
import { metricSchema } from '../../../../src/config/bench-schema.ts';
import { runBenchSchedule } from '../../../../src/gates/bench/bench-runs.ts';
import { readCpuTime } from '../../../../src/gates/bench/cpu-time.ts';
import { tempDir } from '../../../support/temp-dir.ts';

const node = JSON.stringify(process.execPath);
const metrics = { wall_ms: metricSchema.parse({}), cpu_ms: metricSchema.parse({ time: 'cpu' }) };

/**
 * A script that burns a fixed amount of CPU (sha256 over 1 MB, `rounds` times) and appends its own
 * CPU time (process.cpuUsage, user + system, ms) to `cpu.txt`: the truth the metric must reach,
 * however busy the machine is.
 */
function workScript(dir: string): string {
  const path = join(dir, 'work.js');
  writeFileSync(
    path,
    [
      "const crypto = require('node:crypto');",
      "const fs = require('node:fs');",
      'const block = Buffer.alloc(1 << 20, 7);',
      "const hash = crypto.createHash('sha256');",
      'for (let i = 0; i < Number(process.argv[2]); i++) hash.update(block);',
      'hash.digest();',
      'const used = process.cpuUsage();',
      `fs.appendFileSync(${JSON.stringify(join(dir, 'cpu.txt'))}, ((used.user + used.system) / 1000) + '\\n');`,
    ].join('\n'),
  );
  return `${node} ${JSON.stringify(path)}`;
}

/** The CPU the work scripts say they used, in ms. */
function reportedCpu(dir: string): number {
  return readFileSync(join(dir, 'cpu.txt'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .reduce((sum, line) => sum + Number(line), 0);
}

async function measure(command: string, dir = tempDir()) {
  const runs = 1;
  const outcome = await runBenchSchedule({
    command,
    sides: { change: { cwd: dir, logFile: join(dir, 'bench.log') } },
    env: {},
    runs,
    warmup: 0,
    metrics,
    deadline: monotonicNow() + 20_000,
  });
  if (outcome.status !== 'measured') throw new Error(`not measured: ${JSON.stringify(outcome)}`);
  expect(existsSync(join(dir, 'bench.log.cpu'))).toBe(false); // the record is consumed
  return { wall: outcome.samples.change.wall_ms ?? [], cpu: outcome.samples.change.cpu_ms ?? [] };
}

describe('the CPU-time metric', () => {
  it('counts the CPU a run burns, not the time it waits', async () => {
    const dir = tempDir();
    const busy = await measure(`${workScript(dir)} 300`, dir);
    const truth = reportedCpu(dir);
    expect(truth).toBeGreaterThan(100);
    // At least what the process itself used, plus no more than the shell's and Node's start-up outside it.
    expect(busy.cpu[0]).toBeGreaterThanOrEqual(truth);
    expect(busy.cpu[0]).toBeLessThan(truth + 150);
    const idle = await measure('sleep 0.3');
    expect(idle.wall[0]).toBeGreaterThan(290);
    expect(idle.cpu[0]).toBeLessThan(60);
  });

  it('counts children, and helpers that left the process group or were orphaned, once they end', async () => {
    const dir = tempDir();
    const work = workScript(dir);
    // Two children at once.
    const twoChildren = await measure(`${work} 150 & ${work} 150; wait`, dir);
    expect(twoChildren.cpu[0]).toBeGreaterThanOrEqual(reportedCpu(dir));
    // The heavy work in a `setsid` grandchild whose parent exits at once; the command only polls for a file.
    const hiddenDir = tempDir();
    const done = join(hiddenDir, 'done');
    const hidden = await measure(
      `(setsid sh -c '${workScript(hiddenDir)} 300; touch ${done}' &) ; while [ ! -e ${done} ]; do sleep 0.02; done`,
      hiddenDir,
    );
    expect(reportedCpu(hiddenDir)).toBeGreaterThan(100);
    expect(hidden.cpu[0]).toBeGreaterThanOrEqual(reportedCpu(hiddenDir));
  });

  it('passes the exit status through: a failed run is a failed run', async () => {
    const dir = tempDir();
    const outcome = await runBenchSchedule({
      command: 'exit 3',
      sides: { change: { cwd: dir, logFile: join(dir, 'bench.log') } },
      env: {},
      runs: 1,
      warmup: 0,
      metrics,
      deadline: monotonicNow() + 10_000,
    });
    expect(outcome).toMatchObject({ status: 'run-failed', outcome: { status: 'exited', exitCode: 3 } });
  });

  it('keeps the command away from the one-time token: it reads /dev/null on stdin', async () => {
    const dir = tempDir();
    const seen = join(dir, 'stdin');
    await measure(`cat > ${seen}`);
    expect(readFileSync(seen, 'utf8')).toBe('');
  });

  it('refuses a record without the run token (written by a process the run left behind)', async () => {
    const dir = tempDir();
    const cpuFile = join(dir, 'bench.log.cpu');
    writeFileSync(cpuFile, 'cpu_us forged 1 1\n');
    expect(await readCpuTime({ cpuFile, token: 'a'.repeat(32) })).toEqual({
      ok: false,
      problem: 'the CPU time record of the run was overwritten (by a process the run left behind?)',
    });
    expect(existsSync(cpuFile)).toBe(false);
    writeFileSync(cpuFile, `cpu_us ${'a'.repeat(32)} 1500 500\n`);
    expect(await readCpuTime({ cpuFile, token: 'a'.repeat(32) })).toEqual({ ok: true, ms: 2 });
    expect((await readCpuTime({ cpuFile, token: 'x' })).ok).toBe(false); // missing: no figure
  });

  it('is refused beside `json` or `regex`', () => {
    expect(metricSchema.safeParse({ time: 'cpu', json: 'ms' }).success).toBe(false);
    expect(metricSchema.safeParse({ time: 'cpu' }).success).toBe(true);
  });
});
