import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containmentEnvVar, describeContainment } from '../../../src/process/containment.ts';
import { runProcess } from '../../../src/process/run-process.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { baseOptions, daemonKinds, daemonTests, prepareDaemon, recordedGroupTest } from './contained-daemons.ts';

delete process.env[containmentEnvVar];
const containment = describeContainment();

describe.skipIf(containment.mechanism !== 'pid-namespace')(
  `runProcess contain: true with a PID namespace (${containment.note})`,
  () => {
    it('is described as kernel-enforced', () => {
      expect(containment).toMatchObject({ mechanism: 'pid-namespace', kernelEnforced: true });
    });

    daemonTests(daemonKinds);
    for (const kind of daemonKinds) recordedGroupTest(kind);

    it('passes exit codes, deaths by signal and spawn failures through exactly as without containment', async () => {
      const dir = tempDir();
      const run = (command: Parameters<typeof baseOptions>[1]) => runProcess(baseOptions(dir, command));
      expect(await run('exit 7')).toMatchObject({ status: 'exited', exitCode: 7 });
      expect(await run('exit 143')).toMatchObject({ status: 'exited', exitCode: 143 });
      expect(await run('kill -TERM $$')).toMatchObject({ status: 'signalled', signal: 'SIGTERM' });
      expect(await run('kill -KILL $$')).toMatchObject({ status: 'signalled', signal: 'SIGKILL' });
      expect(await run('kill -SEGV $$')).toMatchObject({ status: 'signalled', signal: 'SIGSEGV' });
      const missing = await run({ file: join(dir, 'no-such-binary'), args: [] });
      expect(missing).toMatchObject({ status: 'spawn-failed' });
      expect(missing.status === 'spawn-failed' && missing.message).toContain('ENOENT');
    });

    it('feeds stdin, streams stdout lines and keeps the environment, argv and cwd as given', async () => {
      const dir = tempDir();
      const lines: string[] = [];
      const result = await runProcess({
        ...baseOptions(dir, {
          file: process.execPath,
          args: [
            '-e',
            'process.stdin.pipe(process.stdout); console.error(process.cwd(), process.argv[1], process.env.ONLY)',
            '$HOME',
          ],
        }),
        input: 'first\nsecond\n',
        env: { ONLY: 'this' },
        onStdoutLine: (line) => lines.push(line),
      });
      expect(result).toMatchObject({ status: 'exited', exitCode: 0 });
      expect(lines).toEqual(['first', 'second']);
      expect(readFileSync(join(dir, 'out.log'), 'utf8')).toContain(`${dir} $HOME this`);
    });

    it('gives the command SIGTERM first on timeout, so it can flush before it ends', async () => {
      const dir = tempDir();
      const started = performance.now();
      const result = await runProcess({
        ...baseOptions(dir, `trap 'echo flushed > flushed.txt; exit 0' TERM; sleep 300 & wait`),
        timeoutMs: 500,
        killGraceMs: 5000,
      });
      expect(result.status).toBe('timed-out');
      expect(readFileSync(join(dir, 'flushed.txt'), 'utf8')).toBe('flushed\n');
      expect(performance.now() - started).toBeLessThan(3000);
    });

    it('SIGKILLs a command that ignores SIGTERM after the grace, daemons included', async () => {
      const daemon = prepareDaemon(daemonKinds[0] ?? { name: '', start: '' });
      const result = await runProcess({
        ...baseOptions(daemon.dir, daemon.command(`trap '' TERM; while :; do sleep 0.05; done`)),
        timeoutMs: 500,
        killGraceMs: 300,
      });
      expect(result.status).toBe('timed-out');
      expect(daemon.find()).toEqual([]);
    });

    it('shows the command its own /proc, so pgrep and pidfiles inside agree', async () => {
      const dir = tempDir();
      const lines: string[] = [];
      await runProcess({
        // The background shell may not have exec'd sleep yet when pgrep first looks.
        ...baseOptions(
          dir,
          'sleep 30 & until pgrep -x sleep > /dev/null; do :; done; echo "$$ $! $(pgrep -x sleep)"; kill $!',
        ),
        onStdoutLine: (line) => lines.push(line),
      });
      const [self, background, found] = (lines[0] ?? '').split(' ');
      expect(self).toBe('2');
      expect(found).toBe(background);
    });
  },
);
