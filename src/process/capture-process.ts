import { spawn } from 'node:child_process';
import { monotonicNow } from '../clock.ts';
import type { Captured, CaptureProcessOptions, CaptureResult } from './capture-result.ts';
import { captureLaunched } from './launcher/capture-launched.ts';
import { processLauncher } from './launcher/shared-launcher.ts';
import {
  descendantsOf,
  killProcesses,
  killProcessGroup,
  trackProcessGroup,
  untrackProcessGroup,
} from './process-groups.ts';

export type { CaptureProcessOptions, CaptureResult } from './capture-result.ts';

/**
 * How long, after the process exited and its group was killed, its pipes may stay open before we stop
 * reading them: a descendant that left the group (setsid) and kept an inherited stdout or stderr must not
 * hold the caller until the timeout. Everything the process itself wrote is in the pipe by then.
 */
const pipesAfterExitMs = 1000;

/**
 * Run an executable with its exact argv in a process group of its own and capture its output through
 * pipes. The group is killed when the process exits (nothing it forked outlives it), and stopped
 * (SIGTERM, then SIGKILL with every descendant seen in /proc) at the timeout or on abort. For short
 * commands whose output the caller parses (git); not contained like agent turns and gates (runProcess).
 * After useProcessLauncher() the command is started by the process launcher (launcher/) instead of a
 * spawn of Node's own, with the same result (socketpairs for stdin, stdout and stderr, as libuv's).
 */
export async function captureProcess(options: CaptureProcessOptions): Promise<CaptureResult> {
  const started = monotonicNow();
  const elapsed = () => Math.round(monotonicNow() - started);
  const graceMs = options.killGraceMs ?? 2000;
  const launcher = launchable(options) ? processLauncher() : undefined;
  if (launcher) {
    const launched = await captureLaunched(launcher, options, { elapsed, graceMs });
    if (launched) return launched;
    // The launcher died before it started the command, which never ran: spawn it here, in what time is left.
    return captureDirectly({ ...options, timeoutMs: Math.max(0, options.timeoutMs - elapsed()) }, elapsed, graceMs);
  }
  return captureDirectly(options, elapsed, graceMs);
}

/** A NUL byte makes spawn throw; the launcher would cut the string short instead. */
function launchable(options: CaptureProcessOptions): boolean {
  const strings = [
    options.file,
    options.cwd,
    ...options.args,
    ...Object.keys(options.env),
    ...Object.values(options.env),
  ];
  return !strings.some((text) => typeof text === 'string' && text.includes('\0'));
}

/** Node's own spawn, with pipes. */
function captureDirectly(
  options: CaptureProcessOptions,
  elapsed: () => number,
  graceMs: number,
): Promise<CaptureResult> {
  return new Promise((resolve) => {
    let stopReason: 'timed-out' | 'cancelled' | undefined;
    let settled = false;
    const stdoutChunks: Buffer[] = [];
    const stderrChunks: Buffer[] = [];
    const child = spawn(options.file, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const pgid = child.pid;
    if (pgid !== undefined) trackProcessGroup(pgid);
    if (options.input !== undefined && child.stdin) {
      child.stdin.on('error', () => {}); // a child that never reads its stdin is not our failure
      child.stdin.end(options.input);
    }
    const pipes = [drain(child.stdout, stdoutChunks), drain(child.stderr, stderrChunks)];

    // Descendants that left the group (setsid) are found through /proc while their parents live.
    let strays = new Set<number>();
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (reason: 'timed-out' | 'cancelled') => {
      if (stopReason || settled || pgid === undefined) return;
      stopReason = reason;
      strays = new Set(descendantsOf(pgid));
      killProcessGroup(pgid, 'SIGTERM');
      killTimer = setTimeout(() => {
        for (const pid of descendantsOf(pgid)) strays.add(pid);
        killProcessGroup(pgid, 'SIGKILL');
        killProcesses(strays);
      }, graceMs);
      killTimer.unref();
    };
    const timer = setTimeout(() => stop('timed-out'), options.timeoutMs);
    const onAbort = () => stop('cancelled');
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const cleanUp = () => {
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };

    child.once('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      cleanUp();
      if (pgid !== undefined) untrackProcessGroup(pgid);
      for (const pipe of [child.stdout, child.stderr]) pipe?.destroy();
      resolve({ status: 'spawn-failed', code: error.code, message: error.message, durationMs: elapsed() });
    });
    child.once('exit', (code, signal) => {
      if (settled) return;
      const durationMs = elapsed();
      cleanUp();
      if (pgid !== undefined) {
        // Reap whatever the process left behind in its group; that also closes the pipes it held.
        killProcessGroup(pgid, 'SIGKILL');
        if (stopReason) {
          clearTimeout(killTimer);
          killProcesses(strays);
        }
        untrackProcessGroup(pgid);
      }
      void closedOrLate(pipes, [child.stdout, child.stderr]).then(() => {
        const captured: Captured = {
          stdout: Buffer.concat(stdoutChunks),
          stderr: Buffer.concat(stderrChunks).toString('utf8'),
          durationMs,
        };
        if (stopReason) resolve({ status: stopReason, ...captured });
        else if (signal) resolve({ status: 'signalled', signal, ...captured });
        else resolve({ status: 'exited', exitCode: code ?? 1, ...captured });
      });
    });
  });
}

/** Collect a pipe's chunks; resolves when it closes. */
function drain(stream: NodeJS.ReadableStream | null, chunks: Buffer[]): Promise<void> {
  return new Promise((resolve) => {
    if (!stream) return resolve();
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('close', () => resolve());
    stream.once('error', () => resolve());
  });
}

/** Wait until the pipes are closed, or stop reading them after `pipesAfterExitMs`. */
async function closedOrLate(closed: Promise<void>[], streams: Array<{ destroy(): void } | null>): Promise<void> {
  let late: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => {
    late = setTimeout(resolve, pipesAfterExitMs);
  });
  await Promise.race([Promise.all(closed), timedOut]);
  clearTimeout(late);
  for (const stream of streams) stream?.destroy();
}
