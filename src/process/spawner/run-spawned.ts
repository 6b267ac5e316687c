import { constants as osConstants } from 'node:os';
import { resolve } from 'node:path';
import type { ContainmentPlan } from '../containment.ts';
import type { ProcessResult } from '../process-result.ts';
import { containedSpawner, type SpawnedEnd } from './contained-spawner.ts';
import { SpawnedStreams } from './spawned-streams.ts';

/** What runProcess hands over: a contained command. */
export interface SpawnedRunOptions {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  outputPath: string;
  /** Given to the command as its stdin (a file it reads); without it, stdin is /dev/null. */
  input: string | undefined;
  /** Every stdout line, in order, the last one without a newline too; the output file still gets it all. */
  onStdoutLine: ((line: string) => void) | undefined;
  timeoutMs: number;
  killGraceMs: number;
  signal: AbortSignal | undefined;
  onStart: ((group: { pgid: number; startTime: string | undefined }) => void) | undefined;
  /** When the command ran, as runProcess counts it. */
  elapsed: () => number;
  /** Folders the command must not see (agent-trees-hidden.ts). */
  hide: string[];
}

/** After SIGKILL, how long the spawner gets to report the namespace gone before it is taken for stuck. */
const stuckAfterMs = 5000;

/**
 * Run a contained command through the process's contained spawner; `undefined` when the spawner cannot
 * take it (not available here, or it died before the command started): the caller then starts the command
 * itself. Timeouts and cancelling work as in runProcess: SIGTERM to the command's process group, after the
 * grace SIGKILL of its whole namespace; the promise resolves only once every process of it is gone.
 */
export async function runSpawned(
  plan: Extract<ContainmentPlan, { mechanism: 'pid-namespace' }>,
  options: SpawnedRunOptions,
): Promise<ProcessResult | undefined> {
  const spawner = await containedSpawner(plan);
  if (!spawner) return undefined;
  // Relative paths are the caller's, as for a spawn of its own; the spawner's cwd is older.
  const outputPath = resolve(options.outputPath);
  let streams: SpawnedStreams;
  try {
    streams = new SpawnedStreams(spawner.privateDir, { ...options, outputPath });
  } catch {
    // Our private dir or the output file cannot be written: let a spawn of its own find out and tell.
    return undefined;
  }
  let streamFailed: string | undefined;
  const command = spawner.run(
    {
      mode: 'once',
      argv: options.argv,
      cwd: resolve(options.cwd),
      env: options.env,
      outputPath,
      ...(streams.stdinPath ? { stdinPath: streams.stdinPath } : {}),
      ...(streams.stdoutFifo ? { stdoutFifo: streams.stdoutFifo } : {}),
      ...(options.hide.length > 0 ? { hide: options.hide } : {}),
    },
    (machinePid, startTime) => {
      // Told first: a command with a stdout FIFO waits for the open below, so it is recorded before it runs.
      try {
        if (machinePid !== undefined) options.onStart?.({ pgid: machinePid, startTime });
      } finally {
        try {
          streams.open();
        } catch (error) {
          // The command waits for this open: without it, it must not run.
          streamFailed = `open its stdout: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
          command.kill();
        }
      }
    },
  );
  let stopReason: 'timed-out' | 'cancelled' | undefined;
  const timers: NodeJS.Timeout[] = [];
  const stop = (reason: 'timed-out' | 'cancelled') => {
    if (stopReason) return;
    stopReason = reason;
    command.terminate();
    timers.push(
      setTimeout(() => {
        command.kill();
        // A spawner that does not answer even that is stuck: killing it ends every command it runs.
        timers.push(setTimeout(() => spawner.abandon(), stuckAfterMs));
      }, options.killGraceMs),
    );
  };
  timers.push(setTimeout(() => stop('timed-out'), options.timeoutMs));
  const onAbort = () => stop('cancelled');
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const end = await command.ended;
  for (const timer of timers) clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  const durationMs = options.elapsed();
  // Every writer of its stdout is gone with its namespace: the rest is read before the result is given.
  await streams.finish();
  if (end.kind === 'not-started') return stopReason ? { status: stopReason, durationMs } : undefined;
  if (stopReason) return { status: stopReason, durationMs };
  if (streamFailed) return { status: 'spawn-failed', message: streamFailed, durationMs };
  return resultOf(end, options.argv[0] ?? '', durationMs);
}

function resultOf(end: Exclude<SpawnedEnd, { kind: 'not-started' }>, file: string, durationMs: number): ProcessResult {
  if (end.kind === 'lost') return { status: 'spawn-failed', message: `${file}: ${end.reason}`, durationMs };
  if (end.openFailed) return { status: 'spawn-failed', message: end.openFailed, durationMs };
  switch (end.report?.status) {
    case 'exited':
      return { status: 'exited', exitCode: end.report.exitCode, durationMs };
    case 'signalled':
      return { status: 'signalled', signal: end.report.signal, durationMs };
    case 'spawn-failed':
      return { status: 'spawn-failed', message: `spawn ${file} ${end.report.code}`, durationMs };
  }
  // No report: the namespace's init itself was killed (SIGKILL of the recorded group), as the outer
  // process of a per-command namespace would have been.
  const signal = end.waitStatus & 127;
  if (signal) return { status: 'signalled', signal: signalName(signal), durationMs };
  return { status: 'exited', exitCode: end.waitStatus >> 8, durationMs };
}

function signalName(number: number): NodeJS.Signals {
  return (Object.entries(osConstants.signals).find(([, value]) => value === number)?.[0] ??
    'SIGKILL') as NodeJS.Signals;
}
