import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureProcess } from '../../../src/process/capture-process.ts';
import { processLauncher, useProcessLauncher } from '../../../src/process/launcher/shared-launcher.ts';
import { isProcessAlive, waitFor } from '../../support/process-state.ts';
import { tempDir } from '../../support/temp-dir.ts';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

// The contract holds both ways: Node's own spawn, and the launcher that `sluice run` uses.
describe.each([
  ['spawned by Node', false],
  ['through the process launcher', true],
])('captureProcess, %s', (_how, launched) => {
  let launcherPid: number | undefined;
  beforeAll(() => {
    useProcessLauncher(launched);
    launcherPid = processLauncher()?.pid;
  });
  // Through the launcher means through the one started first: a launcher that died would have let the
  // direct spawn answer in its place, and these tests would pass without testing it.
  afterEach(() => {
    if (!launched) return;
    expect(launcherPid).toBeGreaterThan(0);
    expect(processLauncher()?.pid).toBe(launcherPid);
  });
  afterAll(() => useProcessLauncher(false));

  it('passes the argv untouched, feeds stdin, and returns stdout as exact bytes and stderr apart', async () => {
    const dir = tempDir();
    const result = await captureProcess({
      file: process.execPath,
      args: [
        '-e',
        'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{process.stdout.write(Buffer.from([0x61,0x0d,0x0a,0xff,0]));process.stdout.write(s+process.argv[1]);process.stderr.write("é warned")})',
        '$HOME "quoted" `x`',
      ],
      cwd: dir,
      env,
      timeoutMs: 10_000,
      input: 'from stdin|',
    });
    expect(result.status).toBe('exited');
    if (result.status !== 'exited') return;
    expect(result.exitCode).toBe(0);
    expect([...result.stdout.subarray(0, 5)]).toEqual([0x61, 0x0d, 0x0a, 0xff, 0]);
    expect(result.stdout.subarray(5).toString()).toBe('from stdin|$HOME "quoted" `x`');
    expect(result.stderr).toBe('é warned');
  });

  it('gives the process only the environment it is handed', async () => {
    const result = await captureProcess({
      file: process.execPath,
      args: ['-e', 'process.stdout.write(Object.keys(process.env).sort().join(","))'],
      cwd: tempDir(),
      env: { ONLY_THIS: '1' },
      timeoutMs: 10_000,
    });
    expect(result.status === 'exited' && result.stdout.toString()).toBe('ONLY_THIS');
  });

  it('returns a non-zero exit code with what was printed', async () => {
    const result = await captureProcess({
      file: '/bin/sh',
      args: ['-c', 'printf partial; echo oops >&2; exit 3'],
      cwd: tempDir(),
      env,
      timeoutMs: 10_000,
    });
    expect(result).toMatchObject({ status: 'exited', exitCode: 3, stderr: 'oops\n' });
    expect(result.status === 'exited' && result.stdout.toString()).toBe('partial');
  });

  it('reports an executable or a cwd that does not exist as a spawn failure', async () => {
    const dir = tempDir();
    const missingFile = await captureProcess({
      file: 'no-such-binary-xyz',
      args: [],
      cwd: dir,
      env,
      timeoutMs: 10_000,
    });
    expect(missingFile).toMatchObject({ status: 'spawn-failed', code: 'ENOENT' });
    const missingCwd = await captureProcess({
      file: '/bin/true',
      args: [],
      cwd: join(dir, 'missing'),
      env,
      timeoutMs: 10_000,
    });
    expect(missingCwd).toMatchObject({ status: 'spawn-failed', code: 'ENOENT' });
  });

  it('kills the whole group at the timeout, a process that ignores SIGTERM and one that left with setsid too', async () => {
    const dir = tempDir();
    const inGroup = join(dir, 'in-group.pid');
    const stray = join(dir, 'stray.pid');
    const started = performance.now();
    const result = await captureProcess({
      file: '/bin/sh',
      args: [
        '-c',
        `trap '' TERM; sh -c 'trap "" TERM; echo $$ > "${inGroup}"; exec sleep 300' &
         setsid sh -c 'echo $$ > "${stray}"; exec sleep 300' &
         while [ ! -s "${inGroup}" ] || [ ! -s "${stray}" ]; do sleep 0.05; done; echo ready; sleep 300`,
      ],
      cwd: dir,
      env,
      timeoutMs: 1000,
      killGraceMs: 200,
    });
    expect(result.status).toBe('timed-out');
    expect(result.status === 'timed-out' && result.stdout.toString()).toBe('ready\n');
    expect(performance.now() - started).toBeLessThan(5000);
    for (const pidFile of [inGroup, stray]) {
      const pid = Number(readFileSync(pidFile, 'utf8'));
      expect(await waitFor(() => !isProcessAlive(pid))).toBe(true);
    }
  });

  it('stops the group on abort', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await captureProcess({
      file: '/bin/sh',
      args: ['-c', 'sleep 300'],
      cwd: tempDir(),
      env,
      timeoutMs: 60_000,
      signal: controller.signal,
      killGraceMs: 200,
    });
    expect(result.status).toBe('cancelled');
  });

  it('does not wait for a descendant that left the group holding the pipes after the process exited', async () => {
    const dir = tempDir();
    const stray = join(dir, 'stray.pid');
    const started = performance.now();
    const result = await captureProcess({
      file: '/bin/sh',
      args: [
        '-c',
        `setsid sh -c 'echo $$ > "${stray}"; exec sleep 30' & while [ ! -s "${stray}" ]; do sleep 0.05; done; echo done`,
      ],
      cwd: dir,
      env,
      timeoutMs: 20_000,
    });
    expect(result).toMatchObject({ status: 'exited', exitCode: 0 });
    expect(result.status === 'exited' && result.stdout.toString()).toBe('done\n');
    expect(performance.now() - started).toBeLessThan(5000);
    process.kill(Number(readFileSync(stray, 'utf8')), 'SIGKILL');
  });
});
