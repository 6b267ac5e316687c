import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../../../src/process/run-process.ts';
import { isProcessAlive, waitFor } from '../../support/process-state.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('runProcess', () => {
  it('runs an exact argv without a shell, feeds stdin and streams stdout lines', async () => {
    const dir = tempDir();
    const lines: string[] = [];
    const result = await runProcess({
      command: {
        file: process.execPath,
        args: ['-e', 'process.stdin.pipe(process.stdout); console.error("to stderr")', '$HOME'],
      },
      cwd: dir,
      timeoutMs: 10_000,
      outputPath: join(dir, 'out.log'),
      input: 'first line\nsecond line\n',
      onStdoutLine: (line) => lines.push(line),
    });
    expect(result).toMatchObject({ status: 'exited', exitCode: 0 });
    expect(lines).toEqual(['first line', 'second line']);
    const log = readFileSync(join(dir, 'out.log'), 'utf8');
    expect(log).toContain('second line');
    expect(log).toContain('to stderr');
  });

  it('replaces the environment when asked, so nothing of the parent leaks in', async () => {
    const dir = tempDir();
    const lines: string[] = [];
    await runProcess({
      command: { file: process.execPath, args: ['-e', 'console.log(Object.keys(process.env).sort().join(","))'] },
      cwd: dir,
      env: { ONLY_THIS: '1' },
      replaceEnv: true,
      timeoutMs: 10_000,
      outputPath: join(dir, 'out.log'),
      onStdoutLine: (line) => lines.push(line),
    });
    expect(lines[0]?.split(',')).toContain('ONLY_THIS');
    expect(lines[0]).not.toContain('PATH');
  });

  it('reports a command that cannot start', async () => {
    const dir = tempDir();
    const result = await runProcess({
      command: { file: join(dir, 'no-such-binary'), args: [] },
      cwd: dir,
      timeoutMs: 10_000,
      outputPath: join(dir, 'out.log'),
    });
    expect(result.status).toBe('spawn-failed');
  });

  it('stops a streamed process on abort and kills its group', async () => {
    const dir = tempDir();
    const controller = new AbortController();
    const pending = runProcess({
      command: 'echo started; sleep 300',
      cwd: dir,
      timeoutMs: 60_000,
      outputPath: join(dir, 'out.log'),
      onStdoutLine: (line) => line === 'started' && controller.abort(),
      signal: controller.signal,
    });
    expect((await pending).status).toBe('cancelled');
  });

  it('kills a descendant that left the process group with setsid when the command times out', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'stray.pid');
    const result = await runProcess({
      command: `setsid sh -c 'echo $$ > "${pidFile}"; exec sleep 300' & sleep 300`,
      cwd: dir,
      timeoutMs: 500,
      killGraceMs: 200,
      outputPath: join(dir, 'out.log'),
    });
    expect(result.status).toBe('timed-out');
    const stray = Number(readFileSync(pidFile, 'utf8'));
    expect(await waitFor(() => !isProcessAlive(stray))).toBe(true);
  });
});
