// Shared by the containment tests (one file per mechanism: the mechanism is chosen once per process).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import { killLeftoverGroup } from '../../../src/process/process-groups.ts';
import { type RunProcessOptions, runProcess } from '../../../src/process/run-process.ts';
import { isProcessAlive, waitFor } from '../../support/process-state.ts';
import { tempDir } from '../../support/temp-dir.ts';

/**
 * A daemon the command leaves behind. Each runs `sleep <token>`: the token finds it in the machine's /proc
 * (a pid written from inside a PID namespace means nothing outside it), and `touch ready` proves it ran.
 */
export interface DaemonKind {
  name: string;
  /** Shell text that starts the daemon in the background; READY and TOKEN are replaced. */
  start: string;
}

export const daemonKinds: DaemonKind[] = [
  { name: 'a setsid child', start: `setsid sh -c 'touch READY; exec sleep TOKEN' &` },
  {
    name: 'a double-forked daemon (fork, setsid, fork: reparented)',
    start: `( setsid sh -c '( touch READY; exec sleep TOKEN ) &' & )`,
  },
  { name: 'a nohup background job', start: `nohup sh -c 'touch READY; exec sleep TOKEN' >/dev/null 2>&1 &` },
  {
    name: 'a daemon that ignores SIGTERM',
    start: `setsid sh -c 'trap "" TERM HUP INT; touch READY; exec sleep TOKEN' &`,
  },
  {
    name: 'an environment-scrubbed, reparented daemon (env -i setsid, double fork)',
    start: `env -i /usr/bin/setsid /bin/sh -c '( /bin/sh -c "touch READY; exec /bin/sleep TOKEN" & )' &`,
  },
];

let nextToken = 0;

/** A daemon set up in a fresh temp dir: the shell text to start it, how to find it, and a cleanup. */
export function prepareDaemon(kind: DaemonKind) {
  const dir = tempDir('sluice-contain-');
  // A sleep length no other process on the machine uses: this test's daemon, nobody else's.
  const token = String(7_000_000 + ((process.pid * 1000 + nextToken++) % 1_000_000));
  const ready = join(dir, 'ready');
  const start = kind.start.replaceAll('READY', `"${ready}"`).replaceAll('TOKEN', token);
  const find = () => sleepersWithToken(token);
  onTestFinished(() => {
    for (const pid of find()) process.kill(pid, 'SIGKILL');
  });
  return {
    dir,
    ready,
    /** Start the daemon, wait until it ran, then `then` (exit by default). */
    command: (then = 'exit 0') => `${start}\nwhile [ ! -e "${ready}" ]; do sleep 0.01; done\n${then}`,
    find,
  };
}

/** Live processes running `<dir>/sleep <token>` (read from the machine's /proc). */
export function sleepersWithToken(token: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const [program = '', argument, ...rest] = readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0');
      const isSleeper = basename(program) === 'sleep' && argument === token && rest.join('') === '';
      if (isSleeper && isProcessAlive(Number(entry))) found.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

export function baseOptions(dir: string, command: RunProcessOptions['command']): RunProcessOptions {
  return { command, cwd: dir, timeoutMs: 20_000, killGraceMs: 1000, outputPath: join(dir, 'out.log'), contain: true };
}

/** The daemon cases, each ended three ways: the command exits, times out, is cancelled. */
export function daemonTests(kinds: DaemonKind[]): void {
  for (const kind of kinds) {
    it(`leaves no trace of ${kind.name} after the command exits`, async () => {
      const daemon = prepareDaemon(kind);
      const result = await runProcess(baseOptions(daemon.dir, daemon.command('exit 3')));
      expect(existsSync(daemon.ready)).toBe(true);
      expect(result).toMatchObject({ status: 'exited', exitCode: 3 });
      expect(daemon.find()).toEqual([]);
    });

    it(`leaves no trace of ${kind.name} after the command times out`, async () => {
      const daemon = prepareDaemon(kind);
      const started = performance.now();
      const result = await runProcess({
        ...baseOptions(daemon.dir, daemon.command('sleep 300')),
        timeoutMs: 1500,
      });
      expect(existsSync(daemon.ready)).toBe(true);
      expect(result.status).toBe('timed-out');
      expect(daemon.find()).toEqual([]);
      // `sleep 300` dies of SIGTERM at once: the grace (1 s) is not waited out.
      expect(performance.now() - started).toBeLessThan(1500 + 900);
    });

    it(`leaves no trace of ${kind.name} after the command is cancelled`, async () => {
      const daemon = prepareDaemon(kind);
      const controller = new AbortController();
      const pending = runProcess({
        ...baseOptions(daemon.dir, daemon.command('sleep 300')),
        signal: controller.signal,
      });
      expect(await waitFor(() => existsSync(daemon.ready), 10_000)).toBe(true);
      controller.abort();
      expect((await pending).status).toBe('cancelled');
      expect(daemon.find()).toEqual([]);
    });
  }
}

/** Killing the group recorded by onStart (what `sluice resume` does for a dead run) takes the daemons too. */
export function recordedGroupTest(kind: DaemonKind): void {
  it(`killing the recorded process group also ends ${kind.name}`, async () => {
    const daemon = prepareDaemon(kind);
    let group: { pgid: number; startTime: string | undefined } | undefined;
    const pending = runProcess({
      ...baseOptions(daemon.dir, daemon.command('sleep 300')),
      onStart: (recorded) => {
        group = recorded;
      },
    });
    expect(await waitFor(() => existsSync(daemon.ready), 10_000)).toBe(true);
    expect(group && killLeftoverGroup(group.pgid, group.startTime)).toBe(true);
    expect(await pending).toMatchObject({ status: 'signalled', signal: 'SIGKILL' });
    expect(await waitFor(() => daemon.find().length === 0, 2000)).toBe(true);
  });
}
