import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { monotonicNow } from '../clock.ts';
import { type ContainmentPlan, containmentPlan, namespacedArgv, parseInitReport } from './containment.ts';
import { MarkedProcesses } from './marked-processes.ts';
import {
  childrenOf,
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
  /**
   * Contain what the command starts (containment.ts): in a PID namespace, everything it started dies
   * with Sluice (even on kill -9) and with stop(), daemons that left the group included.
   */
  contain?: boolean;
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
  /**
   * How to run a shell command among this process's own (its `stop` command): in its PID namespace, where
   * the pids in its pidfiles mean what they say; `gone` when that namespace has ended (nothing to stop).
   */
  commandInside(command: string, cwd: string): { file: string; args: string[] } | 'gone';
}

const pollMs = 50;
/** How long SIGKILLed processes get to disappear before stop() gives up waiting for them. */
const killWaitMs = 2000;

/**
 * Start a command in its own process group and leave it running (a server, a database). The group
 * is tracked, so Sluice's exit hook kills it even when Sluice exits abruptly.
 */
export function startBackgroundProcess(options: BackgroundProcessOptions): BackgroundProcess {
  const plan: ContainmentPlan | undefined = options.contain ? containmentPlan() : undefined;
  const namespace = plan?.mechanism === 'pid-namespace' ? plan : undefined;
  const marked = plan?.mechanism === 'process-group' ? new MarkedProcesses() : undefined;
  // `linger`: a `run` that starts a daemon and exits must not take the daemon's namespace with it.
  const { file, args } = namespace
    ? namespacedArgv(namespace, 'linger', '/bin/sh', ['-c', options.command])
    : { file: '/bin/sh', args: ['-c', options.command] };
  const output = openSync(options.outputPath, 'w');
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(file, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, ...marked?.env },
      // In a namespace, fd 3 carries the init's word on how the command ended.
      stdio: ['ignore', output, output, ...(namespace ? (['pipe'] as const) : [])],
      detached: true,
    });
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(output);
  }
  const outerExited = new Promise<BackgroundExit>((resolve) => {
    child.once('error', (error) => resolve({ status: 'spawn-failed', message: error.message }));
    child.once('exit', (code, signal) =>
      resolve(signal ? { status: 'signalled', signal } : { status: 'exited', exitCode: code ?? 1 }),
    );
  });
  const exited = namespace ? reportedExit(child.stdio[3] as NodeJS.ReadableStream | null, outerExited) : outerExited;
  const pgid = child.pid;
  const shell = (command: string) => ({ file: '/bin/sh', args: ['-c', command] });
  if (pgid === undefined) {
    return { pgid, exited, stop: async () => {}, rememberDescendants: () => {}, commandInside: shell };
  }
  trackProcessGroup(pgid);
  marked?.watch(pgid);
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
        outerExited,
        signal,
        graceMs,
      )
        .then(() => marked?.sweep())
        .finally(() => untrackProcessGroup(pgid));
      return stopping;
    },
    rememberDescendants: () => {
      marked?.sample();
      for (const pid of processesOfGroup(pgid)) {
        const started = remembered.has(pid) ? undefined : processStartTime(pid);
        if (started !== undefined) remembered.set(pid, started);
      }
    },
    commandInside: (command, cwd) => {
      if (!namespace) return shell(command);
      // The init is the outer unshare's only child; while the outer process runs, so does the init.
      const [init] = isProcessRunning(pgid) ? childrenOf(pgid) : [];
      if (init === undefined) return 'gone';
      const [enter = 'nsenter', ...rest] = namespace.enterPrefix(init, cwd);
      return { file: enter, args: [...rest, '/bin/sh', '-c', command] };
    },
  };
}

/** The command's end as the namespace's init reports it; the outer process's own end if it never did. */
function reportedExit(
  report: NodeJS.ReadableStream | null,
  outerExited: Promise<BackgroundExit>,
): Promise<BackgroundExit> {
  return new Promise((resolve) => {
    let text = '';
    report?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const reported = parseInitReport(text.slice(0, text.lastIndexOf('\n') + 1));
      if (!reported) return;
      resolve(
        reported.status === 'spawn-failed'
          ? { status: 'spawn-failed', message: `spawn /bin/sh ${reported.code}` }
          : reported,
      );
    });
    // The outer process may be seen to exit before the last of the report is read: wait for the pipe's end.
    if (report) report.once('close', () => void outerExited.then(resolve));
    else void outerExited.then(resolve);
  });
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
  const deadline = monotonicNow() + timeoutMs;
  while (running().length > 0) {
    if (monotonicNow() >= deadline) return false;
    await delay(pollMs);
  }
  return true;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
