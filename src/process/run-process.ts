import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { monotonicNow } from '../clock.ts';
import { agentTreesHiddenFrom } from './agent-trees-hidden.ts';
import { type ContainmentPlan, containmentPlan, namespacedArgv, parseInitReport } from './containment.ts';
import { MarkedProcesses } from './marked-processes.ts';
import {
  descendantsOf,
  isProcessRunning,
  killProcesses,
  killProcessGroup,
  processStartTime,
  trackProcessGroup,
  untrackProcessGroup,
} from './process-groups.ts';
import type { ProcessResult } from './process-result.ts';
import { runSpawned } from './spawner/run-spawned.ts';

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
  /**
   * The command's stdin, which then ends; without it stdin is /dev/null. A pipe Sluice writes to, or, when
   * the contained spawner runs the command, a file in Sluice's private dir (spawner/spawned-streams.ts).
   */
  input?: string;
  /** Called for every stdout line as it arrives (an agent's event stream); the file still gets it all. */
  onStdoutLine?: (line: string) => void;
  /** Aborting kills the whole process group (Ctrl-C, fail-fast, a budget overrun). */
  signal?: AbortSignal;
  /** Told the process group as soon as it exists, to be recorded (a crashed Sluice's successor can reap it). */
  onStart?: (group: { pgid: number; startTime: string | undefined }) => void;
  /** Grace between SIGTERM and SIGKILL when the process is stopped. */
  killGraceMs?: number;
  /**
   * Contain everything the command starts (containment.ts): when the command ends (by itself, timed out,
   * cancelled), every process it started — setsid'd and double-forked daemons too — is gone before the
   * promise resolves, and, where the kernel allows, they all die with Sluice. For agent turns, gates,
   * bench runs, setup commands; not for git or notify commands.
   */
  contain?: boolean;
}

export type { ProcessResult } from './process-result.ts';

/**
 * Run a command in its own process group. When it ends, times out or is cancelled, the
 * whole group is killed, so no descendant (a forked grandchild, a server left in the
 * background) outlives it; with `contain`, not even those that left the group.
 */
export function runProcess(options: RunProcessOptions): Promise<ProcessResult> {
  const started = monotonicNow();
  const elapsed = () => Math.round(monotonicNow() - started);
  const plan = options.contain ? containmentPlan() : undefined;
  // A gate, a bench run, an agent turn: the long-lived contained spawner starts it, far cheaper than a spawn
  // of its own (stdin comes from a file, streamed stdout through a FIFO: spawner/spawned-streams.ts).
  if (plan?.mechanism === 'pid-namespace') {
    const [file, args] = commandArgv(options.command);
    return runSpawned(plan, {
      argv: [file, ...args],
      cwd: options.cwd,
      env: options.replaceEnv ? { ...options.env } : { ...process.env, ...options.env },
      outputPath: options.outputPath,
      input: options.input,
      onStdoutLine: options.onStdoutLine,
      timeoutMs: options.timeoutMs,
      killGraceMs: options.killGraceMs ?? 2000,
      signal: options.signal,
      onStart: options.onStart,
      elapsed,
      // A command in a judge checkout does not see the agents' worktrees: the judged commit could name them.
      hide: agentTreesHiddenFrom(options.cwd),
    }).then((result) => result ?? runOwnSpawn(options, started));
  }
  return runOwnSpawn(options, started);
}

function commandArgv(command: RunProcessOptions['command']): [string, string[]] {
  return typeof command === 'string' ? ['/bin/sh', ['-c', command]] : [command.file, command.args];
}

/** Run the command as a child of our own (a contained one under the namespace prefix). */
function runOwnSpawn(options: RunProcessOptions, started: number): Promise<ProcessResult> {
  const elapsed = () => Math.round(monotonicNow() - started);
  const graceMs = options.killGraceMs ?? 2000;
  const output = openSync(options.outputPath, 'w');
  const [commandFile, commandArgs] = commandArgv(options.command);
  const plan: ContainmentPlan | undefined = options.contain ? containmentPlan() : undefined;
  const marked = plan?.mechanism === 'process-group' ? new MarkedProcesses() : undefined;
  const { file, args } =
    plan?.mechanism === 'pid-namespace'
      ? namespacedArgv(plan, 'once', commandFile, commandArgs)
      : { file: commandFile, args: commandArgs };
  const namespaced = plan?.mechanism === 'pid-namespace';
  const streamed = options.onStdoutLine !== undefined;
  const env = options.replaceEnv ? { ...options.env } : { ...process.env, ...options.env };

  return new Promise((resolve) => {
    let stopReason: 'timed-out' | 'cancelled' | undefined;
    let settled = false;
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: { ...env, ...marked?.env },
      // Without streaming, the child writes straight to the log file: nothing passes through us.
      // In a namespace, fd 3 carries the init's word on how the command ended.
      stdio: [
        options.input === undefined ? 'ignore' : 'pipe',
        streamed ? 'pipe' : output,
        streamed ? 'pipe' : output,
        ...(namespaced ? (['pipe'] as const) : []),
      ],
      detached: true,
    });
    const pgid = child.pid;
    if (pgid !== undefined) {
      trackProcessGroup(pgid);
      marked?.watch(pgid);
      options.onStart?.({ pgid, startTime: processStartTime(pgid) });
    }
    if (options.input !== undefined && child.stdin) {
      child.stdin.on('error', () => {}); // a child that never reads its stdin is not our failure
      child.stdin.end(options.input);
    }
    const streamsClosed = streamed
      ? pipeToFile(child.stdout, child.stderr, output, options.onStdoutLine)
      : Promise.resolve();
    const report = namespaced ? readAll(child.stdio[3] as NodeJS.ReadableStream | null) : Promise.resolve('');

    // Descendants that left the group (setsid) are found through /proc while their parents live.
    let strays = new Set<number>();
    const stop = (reason: 'timed-out' | 'cancelled') => {
      if (stopReason || pgid === undefined) return;
      stopReason = reason;
      strays = new Set(descendantsOf(pgid));
      // A namespace's init ignores SIGTERM and the outer unshare blocks it: the command itself gets it, and
      // when it ends the kernel takes the rest of the namespace down.
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

    const finish = async (result: () => Promise<ProcessResult>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (pgid !== undefined) {
        marked?.sample();
        // Reap whatever the command left behind in its group; that also closes the pipes it held.
        killProcessGroup(pgid, 'SIGKILL');
        if (stopReason) killProcesses(strays);
        await marked?.sweep();
        // A SIGKILLed namespace dies a moment after its outer process: wait for what was seen in it.
        if (stopReason) await waitUntilGone(strays);
        untrackProcessGroup(pgid);
      }
      await streamsClosed;
      const final = await result();
      closeSync(output);
      resolve(final);
    };

    child.once(
      'error',
      (error) => void finish(async () => ({ status: 'spawn-failed', message: error.message, durationMs: elapsed() })),
    );
    child.once('exit', (code, signal) => {
      const durationMs = elapsed();
      void finish(async () => {
        if (stopReason) return { status: stopReason, durationMs };
        const reported = namespaced ? parseInitReport(await report) : undefined;
        switch (reported?.status) {
          case 'exited':
            return { status: 'exited', exitCode: reported.exitCode, durationMs };
          case 'signalled':
            return { status: 'signalled', signal: reported.signal, durationMs };
          case 'spawn-failed':
            return { status: 'spawn-failed', message: `spawn ${commandFile} ${reported.code}`, durationMs };
        }
        if (signal) return { status: 'signalled', signal, durationMs };
        return { status: 'exited', exitCode: code ?? 1, durationMs };
      });
    });
  });
}

/** Everything a stream yields until it closes. */
function readAll(stream: NodeJS.ReadableStream | null): Promise<string> {
  return new Promise((resolve) => {
    if (!stream) return resolve('');
    let text = '';
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    stream.once('close', () => resolve(text));
    stream.once('error', () => resolve(text));
  });
}

/** Poll until none of `pids` runs any more (bounded: a process stuck in the kernel must not hang us). */
async function waitUntilGone(pids: Iterable<number>, timeoutMs = 2000): Promise<void> {
  const deadline = monotonicNow() + timeoutMs;
  let left = [...pids].filter(isProcessRunning);
  while (left.length > 0 && monotonicNow() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    left = left.filter(isProcessRunning);
  }
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
