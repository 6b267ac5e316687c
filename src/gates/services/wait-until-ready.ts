import { monotonicNow } from '../../clock.ts';
import type { BackgroundExit, BackgroundProcess } from '../../process/start-background-process.ts';
import type { ReadinessCheck } from './readiness-checks.ts';

/** How waiting for a service ended. */
export type ReadyOutcome =
  | { status: 'ready' }
  | { status: 'exited'; exit: BackgroundExit }
  | { status: 'timed-out' }
  | { status: 'cancelled' };

export interface WaitUntilReadyOptions {
  check: ReadinessCheck;
  /** The start command; what it spawns is remembered at each attempt, to be stopped even if it leaves. */
  process: BackgroundProcess;
  /** The start command may exit 0 after starting a daemon (the service has a `stop`): keep probing then. */
  daemonStarter: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
}

const retryMs = 100;
/** One probe never waits longer than this, so a hung connection does not eat the whole timeout. */
const attemptMs = 1000;
/** How long a daemon starter still running when its service answers gets to return. */
const starterGraceMs = 2000;

/** Probe every ~100 ms until the service answers, its command exits, the timeout passes or the check is cancelled. */
export async function waitUntilReady(options: WaitUntilReadyOptions): Promise<ReadyOutcome> {
  const deadline = monotonicNow() + options.timeoutMs;
  let exit: BackgroundExit | undefined;
  void options.process.exited.then((ended) => {
    exit = ended;
  });
  const ended = () => exit !== undefined && !(options.daemonStarter && exit.status === 'exited' && exit.exitCode === 0);
  for (;;) {
    if (options.signal?.aborted) return { status: 'cancelled' };
    if (exit && ended()) return { status: 'exited', exit };
    options.process.rememberDescendants();
    const remaining = deadline - monotonicNow();
    const ready = await options.check.attempt(Math.max(1, Math.min(attemptMs, remaining)));
    // Something answered, but our service is gone: another process holds the port.
    if (exit && ended()) return { status: 'exited', exit };
    if (ready) return settleDaemonStarter(options, () => exit, deadline);
    if (options.signal?.aborted) return { status: 'cancelled' };
    if (monotonicNow() >= deadline) return { status: 'timed-out' };
    await pause(
      Math.min(retryMs, deadline - monotonicNow()),
      exit ? undefined : options.process.exited,
      options.signal,
    );
  }
}

/**
 * A daemon starter (pg_ctl start, docker compose up -d --wait) often returns only once its daemon is
 * really up, while the port already answers: give a `run` that still runs a moment to return, and
 * believe its exit code. One that keeps running is a foreground service with a `stop` command.
 */
async function settleDaemonStarter(
  options: WaitUntilReadyOptions,
  exit: () => BackgroundExit | undefined,
  deadline: number,
): Promise<ReadyOutcome> {
  if (!options.daemonStarter || exit() !== undefined) return { status: 'ready' };
  await pause(Math.min(starterGraceMs, deadline - monotonicNow()), options.process.exited, options.signal);
  const ended = exit();
  if (options.signal?.aborted) return { status: 'cancelled' };
  if (ended && !(ended.status === 'exited' && ended.exitCode === 0)) return { status: 'exited', exit: ended };
  return { status: 'ready' };
}

/** Wait `ms`, or less when the command exits or the signal aborts. */
function pause(ms: number, exited: Promise<unknown> | undefined, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
    void exited?.then(done);
  });
}
