import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { killProcessGroup, trackProcessGroup, untrackProcessGroup } from './process-groups.ts';

export interface RunProcessOptions {
  /** Shell command, run with `/bin/sh -c`. */
  command: string;
  cwd: string;
  env?: Record<string, string>;
  timeoutMs: number;
  /** stdout and stderr both go to this file, interleaved as the process writes them. */
  outputPath: string;
  /** Aborting kills the whole process group (Ctrl-C, fail-fast). */
  signal?: AbortSignal;
  /** Grace between SIGTERM and SIGKILL when the process is stopped. */
  killGraceMs?: number;
}

export type ProcessResult =
  | { status: 'exited'; exitCode: number; durationMs: number }
  | { status: 'signalled'; signal: NodeJS.Signals; durationMs: number }
  | { status: 'timed-out'; durationMs: number }
  | { status: 'cancelled'; durationMs: number }
  | { status: 'spawn-failed'; message: string; durationMs: number };

/**
 * Run a shell command in its own process group. When it ends, times out or is cancelled, the
 * whole group is killed, so no descendant (a forked grandchild, a server left in the
 * background) outlives it.
 */
export function runProcess(options: RunProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const graceMs = options.killGraceMs ?? 2000;
  const output = openSync(options.outputPath, 'w');

  return new Promise((resolve) => {
    let stopReason: 'timed-out' | 'cancelled' | undefined;
    let settled = false;
    const child = spawn('/bin/sh', ['-c', options.command], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', output, output],
      detached: true,
    });
    const pgid = child.pid;
    if (pgid !== undefined) trackProcessGroup(pgid);

    const stop = (reason: 'timed-out' | 'cancelled') => {
      if (stopReason || pgid === undefined) return;
      stopReason = reason;
      killProcessGroup(pgid, 'SIGTERM');
      setTimeout(() => killProcessGroup(pgid, 'SIGKILL'), graceMs).unref();
    };
    const timer = setTimeout(() => stop('timed-out'), options.timeoutMs);
    const onAbort = () => stop('cancelled');
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (result: ProcessResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (pgid !== undefined) {
        // Reap whatever the command left behind in its group.
        killProcessGroup(pgid, 'SIGKILL');
        untrackProcessGroup(pgid);
      }
      closeSync(output);
      resolve(result);
    };

    child.once('error', (error) => finish({ status: 'spawn-failed', message: error.message, durationMs: elapsed() }));
    child.once('exit', (code, signal) => {
      const durationMs = elapsed();
      if (stopReason) return finish({ status: stopReason, durationMs });
      if (signal) return finish({ status: 'signalled', signal, durationMs });
      finish({ status: 'exited', exitCode: code ?? 1, durationMs });
    });
  });
}
