import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containmentEnvVar, describeContainment } from '../../../src/process/containment.ts';
import { runProcess } from '../../../src/process/run-process.ts';
import { startBackgroundProcess } from '../../../src/process/start-background-process.ts';
import { waitFor } from '../../support/process-state.ts';
import { prepareDaemon } from './contained-daemons.ts';

delete process.env[containmentEnvVar];
const containment = describeContainment();

describe.skipIf(containment.mechanism !== 'pid-namespace')('a contained background process (a service)', () => {
  it('outlives its exited start command with the daemon it started, reports that exit, and its stop command reaches the daemon by its pidfile', async () => {
    const daemon = prepareDaemon({
      name: 'a pg_ctl-like daemon',
      start: `setsid sh -c 'echo $$ > daemon.pid; touch READY; exec sleep TOKEN' &`,
    });
    const service = startBackgroundProcess({
      command: daemon.command('echo started; exit 0'),
      cwd: daemon.dir,
      outputPath: join(daemon.dir, 'service.log'),
      contain: true,
    });
    expect(await service.exited).toEqual({ status: 'exited', exitCode: 0 });
    expect(existsSync(daemon.ready)).toBe(true);
    // The start command is gone; its daemon is not (the namespace's init lingers while it runs).
    expect(daemon.find()).toHaveLength(1);

    // It outlives the daemon it stops: the namespace must not end under it when its last daemon does.
    const stop = service.commandInside('kill -TERM "$(cat daemon.pid)"; sleep 0.3; echo stopped', daemon.dir);
    expect(stop).not.toBe('gone');
    if (stop === 'gone') return;
    const stopped = await runProcess({
      command: stop,
      cwd: daemon.dir,
      timeoutMs: 10_000,
      outputPath: join(daemon.dir, 'stop.log'),
    });
    expect(stopped).toMatchObject({ status: 'exited', exitCode: 0 });
    // The pid in daemon.pid meant the daemon inside its namespace: the stop command hit it there.
    expect(await waitFor(() => daemon.find().length === 0, 5000)).toBe(true);
    await service.stop('SIGTERM', 1000);
    expect(service.commandInside('true', daemon.dir)).toBe('gone');
  });

  it('stop() ends everything in the namespace, a daemon that ignores SIGTERM included', async () => {
    const daemon = prepareDaemon({
      name: 'a stubborn daemon',
      start: `setsid sh -c 'trap "" TERM; touch READY; exec sleep TOKEN' &`,
    });
    const service = startBackgroundProcess({
      command: daemon.command('exec sleep 300'),
      cwd: daemon.dir,
      outputPath: join(daemon.dir, 'service.log'),
      contain: true,
    });
    expect(await waitFor(() => daemon.find().length === 1, 10_000)).toBe(true);
    await service.stop('SIGTERM', 300);
    expect(daemon.find()).toEqual([]);
    expect(await service.exited).toEqual({ status: 'signalled', signal: 'SIGTERM' });
  });

  it('reports how its command ended exactly: a death by signal is not an exit code', async () => {
    const daemon = prepareDaemon({ name: 'none', start: 'touch READY' });
    const service = startBackgroundProcess({
      command: 'kill -USR1 $$',
      cwd: daemon.dir,
      outputPath: join(daemon.dir, 'service.log'),
      contain: true,
    });
    expect(await service.exited).toEqual({ status: 'signalled', signal: 'SIGUSR1' });
    await service.stop('SIGTERM', 300);
  });
});
