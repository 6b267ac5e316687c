import { spawn } from 'node:child_process';
import { monotonicNow } from '../clock.ts';
import {
  descendantsOf,
  killProcesses,
  killProcessGroup,
  trackProcessGroup,
  untrackProcessGroup,
} from './process-groups.ts';

export interface CaptureProcessOptions {
  /** The executable, found on `env.PATH` when it has no slash; no shell ever sees the argv. */
  file: string;
  args: readonly string[];
  cwd: string;
  /** The whole environment of the process (nothing is inherited). */
  env: Record<string, string>;
  timeoutMs: number;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  input?: string;
  /** Aborting stops the whole process group, as a timeout does. */
  signal?: AbortSignal;
  /** Grace between SIGTERM and SIGKILL when the process is stopped. */
  killGraceMs?: number;
}

/** What a captured process printed: stdout as the exact bytes, stderr as text. */
interface Captured {
  stdout: Buffer;
  stderr: string;
  durationMs: number;
}

export type CaptureResult =
  | ({ status: 'exited'; exitCode: number } & Captured)
  | ({ status: 'signalled'; signal: NodeJS.Signals } & Captured)
  | ({ status: 'timed-out' } & Captured)
  | ({ status: 'cancelled' } & Captured)
  /** `code` is the errno name (ENOENT: no such executable, or no such cwd — Node cannot tell which). */
  | { status: 'spawn-failed'; code: string | undefined; message: string; durationMs: number };

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
 */
export function captureProcess(options: CaptureProcessOptions): Promise<CaptureResult> {
  const started = monotonicNow();
  const elapsed = () => Math.round(monotonicNow() - started);
  const graceMs = options.killGraceMs ?? 2000;

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
