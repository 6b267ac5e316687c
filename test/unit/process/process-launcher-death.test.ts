import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { isProcessAlive, waitFor } from '../../support/process-state.ts';
import { tempDir } from '../../support/temp-dir.ts';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

/** captureProcess with a launcher of its own: fresh modules, so each test starts with none. */
async function freshCapture() {
  vi.resetModules();
  const { captureProcess } = await import('../../../src/process/capture-process.ts');
  const { processLauncher, useProcessLauncher } = await import('../../../src/process/launcher/shared-launcher.ts');
  useProcessLauncher();
  const launcher = processLauncher();
  const launcherPid = launcher?.pid ?? 0;
  expect(launcherPid).toBeGreaterThan(0);
  onTestFinished(() => {
    if (isProcessAlive(launcherPid)) process.kill(launcherPid, 'SIGKILL');
  });
  return { captureProcess, processLauncher, launcherPid };
}

/** Pids read from files the command wrote, once all are there. */
async function pidsFrom(files: string[]): Promise<number[]> {
  expect(
    await waitFor(() => files.every((file) => existsSync(file) && readFileSync(file, 'utf8').endsWith('\n'))),
  ).toBe(true);
  return files.map((file) => Number(readFileSync(file, 'utf8')));
}

function killAll(pids: number[]): void {
  for (const pid of pids) if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
}

describe('the process launcher, killed', () => {
  it('reports a command running when the launcher is killed as killed, never runs it again, and spawns the next ones itself', async () => {
    const { captureProcess, processLauncher, launcherPid } = await freshCapture();
    const dir = tempDir();
    const [leader, member, runs] = [join(dir, 'leader'), join(dir, 'member'), join(dir, 'runs')] as const;
    const running = captureProcess({
      file: '/bin/sh',
      args: ['-c', `echo x >> "${runs}"; sh -c 'echo $$ > "${member}"; exec sleep 300' & echo $$ > "${leader}"; wait`],
      cwd: dir,
      env,
      timeoutMs: 60_000,
    });
    const pids = await pidsFrom([leader, member]);
    onTestFinished(() => killAll(pids));
    process.kill(launcherPid, 'SIGKILL');
    const result = await running;
    expect(result).toMatchObject({ status: 'signalled', signal: 'SIGKILL' });
    // The command died with the launcher, and what it left in its group with it.
    expect(await waitFor(() => pids.every((pid) => !isProcessAlive(pid)))).toBe(true);
    expect(readFileSync(runs, 'utf8')).toBe('x\n');

    const next = await captureProcess({
      file: '/bin/sh',
      args: ['-c', 'echo $PPID'],
      cwd: dir,
      env,
      timeoutMs: 10_000,
    });
    expect(next.status === 'exited' && Number(next.stdout.toString())).toBe(process.pid);
    expect(processLauncher()).toBeUndefined();
  });

  it('runs a command the launcher never started with a spawn of its own, exactly once', async () => {
    const { captureProcess, launcherPid } = await freshCapture();
    const dir = tempDir();
    const runs = join(dir, 'runs');
    // Stopped, the launcher reads no request: the command is never started by it.
    process.kill(launcherPid, 'SIGSTOP');
    const pending = captureProcess({
      file: '/bin/sh',
      args: ['-c', `echo x >> "${runs}"; echo $PPID`],
      cwd: dir,
      env,
      timeoutMs: 10_000,
    });
    await new Promise((done) => setTimeout(done, 100));
    process.kill(launcherPid, 'SIGKILL');
    const result = await pending;
    expect(result).toMatchObject({ status: 'exited', exitCode: 0 });
    expect(result.status === 'exited' && Number(result.stdout.toString())).toBe(process.pid);
    expect(readFileSync(runs, 'utf8')).toBe('x\n');
  });

  it('spawns every command itself where the launcher cannot start (no perl)', async () => {
    vi.resetModules();
    const { captureProcess } = await import('../../../src/process/capture-process.ts');
    const { processLauncher, useProcessLauncher } = await import('../../../src/process/launcher/shared-launcher.ts');
    useProcessLauncher();
    const path = process.env.PATH;
    process.env.PATH = tempDir();
    try {
      processLauncher();
    } finally {
      process.env.PATH = path;
    }
    const dir = tempDir();
    const results = await Promise.all(
      [1, 2, 3].map((index) =>
        captureProcess({ file: '/bin/sh', args: ['-c', `echo ${index} $PPID`], cwd: dir, env, timeoutMs: 10_000 }),
      ),
    );
    for (const [index, result] of results.entries()) {
      expect(result.status === 'exited' && result.stdout.toString()).toBe(`${index + 1} ${process.pid}\n`);
    }
    expect(processLauncher()).toBeUndefined();
  });

  it('leaves no process behind when Sluice is killed with -9 mid-command', async () => {
    const dir = tempDir();
    const [leader, member] = [join(dir, 'leader'), join(dir, 'member')] as const;
    const script = join(dir, 'sluice-like.ts');
    writeFileSync(
      script,
      [
        `import { captureProcess } from ${JSON.stringify(resolve('src/process/capture-process.ts'))};`,
        `import { processLauncher, useProcessLauncher } from ${JSON.stringify(resolve('src/process/launcher/shared-launcher.ts'))};`,
        'useProcessLauncher();',
        'console.log(processLauncher()?.pid);',
        `await captureProcess({ file: '/bin/sh', args: ['-c', ${JSON.stringify(
          `sh -c 'echo $$ > "${member}"; exec sleep 300' & echo $$ > "${leader}"; wait`,
        )}], cwd: ${JSON.stringify(dir)}, env: ${JSON.stringify(env)}, timeoutMs: 60000 });`,
      ].join('\n'),
    );
    const sluice = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    onTestFinished(() => {
      if (sluice.exitCode === null && sluice.signalCode === null) sluice.kill('SIGKILL');
    });
    let launcherPid = 0;
    sluice.stdout.on('data', (chunk: Buffer) => {
      launcherPid = Number(chunk.toString().trim());
    });
    const pids = await pidsFrom([leader, member]);
    expect(launcherPid).toBeGreaterThan(0);
    onTestFinished(() => killAll([launcherPid, ...pids]));
    sluice.kill('SIGKILL');
    expect(await waitFor(() => [launcherPid, ...pids].every((pid) => !isProcessAlive(pid)))).toBe(true);
  });
});
