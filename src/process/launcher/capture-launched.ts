import { constants as osConstants } from 'node:os';
import { isAbsolute } from 'node:path';
import type { Captured, CaptureProcessOptions, CaptureResult } from '../capture-result.ts';
import { descendantsOf, killProcesses } from '../process-groups.ts';
import type { LaunchedEnd, ProcessLauncher } from './process-launcher.ts';

/** After the SIGKILL, how long the launcher gets to report the command's end before it is taken for stuck. */
const stuckAfterMs = 5000;

interface Timing {
  /** Milliseconds since captureProcess was called. */
  elapsed: () => number;
  graceMs: number;
}

/**
 * captureProcess through the process launcher, with the same result as a spawn of Node's own: at the
 * timeout or on abort SIGTERM to the group, after the grace SIGKILL to it and to every descendant seen in
 * /proc (also those that left it with setsid). Undefined when the launcher died before it started the
 * command, or cannot take it: it never ran, and the caller starts it itself.
 */
export async function captureLaunched(
  launcher: ProcessLauncher,
  options: CaptureProcessOptions,
  { elapsed, graceMs }: Timing,
): Promise<CaptureResult | undefined> {
  const cwd = absolute(options.cwd);
  if (cwd === undefined) return undefined;
  let pid: number | undefined;
  const command = launcher.run(
    {
      argv: [options.file, ...options.args],
      cwd,
      env: options.env,
      input: options.input === undefined ? undefined : Buffer.from(options.input, 'utf8'),
    },
    (started) => {
      pid = started;
    },
  );
  let stopReason: 'timed-out' | 'cancelled' | undefined;
  // Descendants that left the group (setsid) are found through /proc while their parents live.
  const strays = new Set<number>();
  const lookForStrays = () => {
    if (pid !== undefined) for (const found of descendantsOf(pid)) strays.add(found);
  };
  const timers: NodeJS.Timeout[] = [];
  const stop = (reason: 'timed-out' | 'cancelled') => {
    if (stopReason) return;
    stopReason = reason;
    lookForStrays();
    command.terminate();
    const killTimer = setTimeout(() => {
      lookForStrays();
      command.kill();
      killProcesses(strays);
      // A launcher that does not answer even that is stuck: killing it ends every command it runs.
      timers.push(setTimeout(() => launcher.abandon(), stuckAfterMs).unref());
    }, graceMs);
    timers.push(killTimer.unref());
  };
  timers.push(setTimeout(() => stop('timed-out'), options.timeoutMs));
  const onAbort = () => stop('cancelled');
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const end = await command.ended;
  const durationMs = elapsed();
  for (const timer of timers) clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  if (stopReason) killProcesses(strays);
  return resultOf(end, options.file, stopReason, durationMs);
}

function resultOf(
  end: LaunchedEnd,
  file: string,
  stopReason: 'timed-out' | 'cancelled' | undefined,
  durationMs: number,
): CaptureResult | undefined {
  if (end.kind === 'not-started') {
    return stopReason ? { status: stopReason, stdout: Buffer.alloc(0), stderr: '', durationMs } : undefined;
  }
  if (end.kind === 'lost') {
    // It died with the launcher (parent-death signal); never run again: it may have written already.
    const captured: Captured = { stdout: Buffer.alloc(0), stderr: '', durationMs };
    return stopReason ? { status: stopReason, ...captured } : { status: 'signalled', signal: 'SIGKILL', ...captured };
  }
  const { outcome } = end;
  if (outcome.kind === 'spawn-failed') {
    const code = errnoName(outcome.errno);
    return { status: 'spawn-failed', code, message: `spawn ${file} ${code}`, durationMs };
  }
  const captured: Captured = { stdout: end.stdout, stderr: end.stderr.toString('utf8'), durationMs };
  if (stopReason) return { status: stopReason, ...captured };
  if (outcome.kind === 'signal') return { status: 'signalled', signal: signalName(outcome.signal), ...captured };
  return { status: 'exited', exitCode: outcome.code, ...captured };
}

/**
 * Relative to Sluice's cwd now, as a spawn would take it; not normalized (`link/..` is chdir's to resolve).
 * Undefined when Sluice's own cwd is gone: the spawn is left to say what that means.
 */
function absolute(cwd: string): string | undefined {
  if (isAbsolute(cwd)) return cwd;
  try {
    return `${process.cwd()}/${cwd}`;
  } catch {
    return undefined;
  }
}

/** Node's name for an errno (the first, for numbers with two: EAGAIN before EWOULDBLOCK). */
function errnoName(errno: number): string {
  return Object.entries(osConstants.errno).find(([, value]) => value === errno)?.[0] ?? `errno ${errno}`;
}

/** Node's name for a signal (the first, for numbers with two: SIGABRT before SIGIOT, SIGIO before SIGPOLL). */
function signalName(signal: number): NodeJS.Signals {
  return (Object.entries(osConstants.signals).find(([, value]) => value === signal)?.[0] ??
    'SIGKILL') as NodeJS.Signals;
}
