import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  descendantsOf,
  killProcesses,
  killProcessGroup,
  processStartTime,
  trackProcessGroup,
  untrackProcessGroup,
} from './process-groups.ts';

export interface RunProcessOptions {
  /** A shell command (run with `/bin/sh -c`), or an executable with its exact argv (no shell). */
  command: string | { file: string; args: string[] };
  cwd: string;
  env?: Record<string, string>;
  /** Replace the inherited environment instead of adding to it. */
  replaceEnv?: boolean;
  timeoutMs: number;
  /** stdout and stderr both go to this file, interleaved as the process writes them. */
  outputPath: string;
  /** Written to stdin, which is then closed; without it stdin is closed from the start. */
  input?: string;
  /** Called for every stdout line as it arrives (an agent's event stream); the file still gets it all. */
  onStdoutLine?: (line: string) => void;
  /** Aborting kills the whole process group (Ctrl-C, fail-fast, a budget overrun). */
  signal?: AbortSignal;
  /** Told the process group as soon as it exists, to be recorded (a crashed Sluice's successor can reap it). */
  onStart?: (group: { pgid: number; startTime: string | undefined }) => void;
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
 * Run a command in its own process group. When it ends, times out or is cancelled, the
 * whole group is killed, so no descendant (a forked grandchild, a server left in the
 * background) outlives it.
 */
export function runProcess(options: RunProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const graceMs = options.killGraceMs ?? 2000;
  const output = openSync(options.outputPath, 'w');
  const [file, args] =
    typeof options.command === 'string'
      ? ['/bin/sh', ['-c', options.command]]
      : [options.command.file, options.command.args];
  const streamed = options.onStdoutLine !== undefined;

  return new Promise((resolve) => {
    let stopReason: 'timed-out' | 'cancelled' | undefined;
    let settled = false;
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.replaceEnv ? options.env : { ...process.env, ...options.env },
      // Without streaming, the child writes straight to the log file: nothing passes through us.
      stdio: [options.input === undefined ? 'ignore' : 'pipe', streamed ? 'pipe' : output, streamed ? 'pipe' : output],
      detached: true,
    });
    const pgid = child.pid;
    if (pgid !== undefined) {
      trackProcessGroup(pgid);
      options.onStart?.({ pgid, startTime: processStartTime(pgid) });
    }
    if (options.input !== undefined && child.stdin) {
      child.stdin.on('error', () => {}); // a child that never reads its stdin is not our failure
      child.stdin.end(options.input);
    }
    const streamsClosed = streamed
      ? pipeToFile(child.stdout, child.stderr, output, options.onStdoutLine)
      : Promise.resolve();

    // Descendants that left the group (setsid) are found through /proc while their parents live.
    let strays = new Set<number>();
    const stop = (reason: 'timed-out' | 'cancelled') => {
      if (stopReason || pgid === undefined) return;
      stopReason = reason;
      strays = new Set(descendantsOf(pgid));
      killProcessGroup(pgid, 'SIGTERM');
      setTimeout(() => {
        for (const pid of descendantsOf(pgid)) strays.add(pid);
        killProcessGroup(pgid, 'SIGKILL');
        killProcesses(strays);
      }, graceMs).unref();
    };
    const timer = setTimeout(() => stop('timed-out'), options.timeoutMs);
    const onAbort = () => stop('cancelled');
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = async (result: ProcessResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (pgid !== undefined) {
        // Reap whatever the command left behind in its group; that also closes the pipes it held.
        killProcessGroup(pgid, 'SIGKILL');
        if (stopReason) killProcesses(strays);
        untrackProcessGroup(pgid);
      }
      await streamsClosed;
      closeSync(output);
      resolve(result);
    };

    child.once(
      'error',
      (error) => void finish({ status: 'spawn-failed', message: error.message, durationMs: elapsed() }),
    );
    child.once('exit', (code, signal) => {
      const durationMs = elapsed();
      if (stopReason) return void finish({ status: stopReason, durationMs });
      if (signal) return void finish({ status: 'signalled', signal, durationMs });
      void finish({ status: 'exited', exitCode: code ?? 1, durationMs });
    });
  });
}

/** Copy both pipes into the output file and hand stdout to the caller line by line. */
function pipeToFile(
  stdout: NodeJS.ReadableStream | null,
  stderr: NodeJS.ReadableStream | null,
  output: number,
  onStdoutLine: ((line: string) => void) | undefined,
): Promise<void> {
  const closed = [stdout, stderr].map(
    (stream) =>
      new Promise<void>((resolve) => {
        if (!stream) return resolve();
        stream.on('data', (chunk: Buffer) => writeSync(output, chunk));
        stream.once('close', () => resolve());
        stream.once('error', () => resolve());
      }),
  );
  if (stdout && onStdoutLine) {
    createInterface({ input: stdout, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => onStdoutLine(line));
  }
  return Promise.all(closed).then(() => undefined);
}
