import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import {
  isProcessRunning,
  killProcesses,
  killProcessGroup,
  processesOfGroup,
  processStartTime,
  trackProcessGroup,
  untrackProcessGroup,
} from './process-groups.ts';

export interface BackgroundProcessOptions {
  /** A shell command, run with `/bin/sh -c`. */
  command: string;
  cwd: string;
  /** Added to the inherited environment. */
  env?: Record<string, string>;
  /** stdout and stderr both go to this file, truncated first. */
  outputPath: string;
  /** Told the process group as soon as it exists, to be recorded (a crashed Sluice's successor can reap it). */
  onStart?: (group: { pgid: number; startTime: string | undefined }) => void;
}

/** How the command itself (the group's leader) ended; what it started may still run. */
export type BackgroundExit =
  | { status: 'exited'; exitCode: number }
  | { status: 'signalled'; signal: NodeJS.Signals }
  | { status: 'spawn-failed'; message: string };

/** A command left running in its own process group until it is stopped. */
export interface BackgroundProcess {
  /** The group's id (the leader's pid); undefined when the command could not be spawned. */
  readonly pgid: number | undefined;
  /** Settles when the leader ends, by itself or stopped. */
  readonly exited: Promise<BackgroundExit>;
  /**
   * Send `signal` to the group and to the descendants that left it, give them `graceMs` to end, then
   * SIGKILL whatever is left. Resolves once none of them runs any more.
   */
  stop(signal: NodeJS.Signals, graceMs: number): Promise<void>;
  /**
   * Remember the group's processes and their descendants as they are now, so that stop() also reaches
   * those that outlive the command and left its group (the daemon a `pg_ctl start` leaves behind).
   */
  rememberDescendants(): void;
}

const pollMs = 50;
/** How long SIGKILLed processes get to disappear before stop() gives up waiting for them. */
const killWaitMs = 2000;

/**
 * Start a command in its own process group and leave it running (a server, a database). The group
 * is tracked, so Sluice's exit hook kills it even when Sluice exits abruptly.
 */
export function startBackgroundProcess(options: BackgroundProcessOptions): BackgroundProcess {
  const output = openSync(options.outputPath, 'w');
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn('/bin/sh', ['-c', options.command], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', output, output],
      detached: true,
    });
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(output);
  }
  const exited = new Promise<BackgroundExit>((resolve) => {
    child.once('error', (error) => resolve({ status: 'spawn-failed', message: error.message }));
    child.once('exit', (code, signal) =>
      resolve(signal ? { status: 'signalled', signal } : { status: 'exited', exitCode: code ?? 1 }),
    );
  });
  const pgid = child.pid;
  if (pgid === undefined) return { pgid, exited, stop: async () => {}, rememberDescendants: () => {} };
  trackProcessGroup(pgid);
  options.onStart?.({ pgid, startTime: processStartTime(pgid) });
  /** Pid -> start time, to tell a remembered process from a later one with the same pid. */
  const remembered = new Map<number, string>();
  let stopping: Promise<void> | undefined;
  return {
    pgid,
    exited,
    stop: (signal, graceMs) => {
      const survivors = [...remembered].filter(([pid, started]) => processStartTime(pid) === started);
      stopping ??= stopGroup(
        pgid,
        survivors.map(([pid]) => pid),
        exited,
        signal,
        graceMs,
      ).finally(() => untrackProcessGroup(pgid));
      return stopping;
    },
    rememberDescendants: () => {
      for (const pid of processesOfGroup(pgid)) {
        const started = remembered.has(pid) ? undefined : processStartTime(pid);
        if (started !== undefined) remembered.set(pid, started);
      }
    },
  };
}

async function stopGroup(
  pgid: number,
  remembered: number[],
  exited: Promise<BackgroundExit>,
  signal: NodeJS.Signals,
  graceMs: number,
): Promise<void> {
  // Descendants that left the group are found through /proc while their parents live: remember them.
  const known = new Set([...remembered, ...processesOfGroup(pgid)]);
  const running = () => {
    for (const pid of processesOfGroup(pgid)) known.add(pid);
    return [...known].filter(isProcessRunning);
  };
  killProcessGroup(pgid, signal);
  signalEach(running(), signal);
  if (!(await waitUntilGone(running, graceMs))) {
    killProcessGroup(pgid, 'SIGKILL');
    killProcesses(running());
    await waitUntilGone(running, killWaitMs);
  }
  // The leader is our child: let Node reap it, so it is not even a zombie.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, killWaitMs)))]);
  clearTimeout(timer);
}

function signalEach(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

async function waitUntilGone(running: () => number[], timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (running().length > 0) {
    if (performance.now() >= deadline) return false;
    await delay(pollMs);
  }
  return true;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
