import { readdirSync, readFileSync } from 'node:fs';

const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** Send a signal to every process in a group; a group that is already gone is not an error. */
export function killProcessGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Remember a live group so that it is killed even if Sluice itself exits abruptly. */
export function trackProcessGroup(pgid: number): void {
  liveGroups.add(pgid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', killAllProcessGroups);
  }
}

export function untrackProcessGroup(pgid: number): void {
  liveGroups.delete(pgid);
}

/** Kill every group still running; safe to call from an exit handler (synchronous). */
export function killAllProcessGroups(): void {
  for (const pgid of liveGroups) killProcessGroup(pgid, 'SIGKILL');
  liveGroups.clear();
}

/** The kernel's start time of a process (Linux /proc), to tell a process from a later one with the same pid. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) may hold spaces, so count from its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/**
 * Kill a process group a crashed Sluice left behind, but only if its leader is still the process that
 * was recorded (same start time): pids are reused, and a stranger's group must never be killed.
 */
export function killLeftoverGroup(pgid: number, startTime: string | undefined): boolean {
  const current = processStartTime(pgid);
  if (current === undefined || startTime === undefined || current !== startTime) return false;
  killProcessGroup(pgid, 'SIGKILL');
  return true;
}

/**
 * Every live descendant of `pid` (Linux /proc), including those that left its process group with
 * setsid (agents run each tool command in a session of its own); empty where /proc is missing.
 */
export function descendantsOf(pid: number): number[] {
  const table = readProcessTable();
  return table ? withDescendants([pid], table).filter((found) => found !== pid) : [];
}

/** The live direct children of `pid` (Linux /proc); empty where /proc is missing. */
export function childrenOf(pid: number): number[] {
  const table = readProcessTable();
  return (table?.children.get(pid) ?? []).filter((child) => table?.groups.has(child));
}

interface ProcessTable {
  /** Children by parent pid. */
  children: Map<number, number[]>;
  /** Process group of each live, non-zombie process. */
  groups: Map<number, number>;
  /** The pids in state R: running, or ready to run and waiting for a core. */
  runnable: Set<number>;
}

/**
 * How many processes under `roots` (themselves included) are running or waiting for a core, in one
 * pass over /proc; undefined where /proc is missing. Processes that sleep (on a timer, a socket, a
 * child) do not count: a gate whose processes all sleep is waiting, not computing.
 */
export function runnableUnder(roots: readonly number[]): number | undefined {
  const table = readProcessTable();
  if (!table) return undefined;
  return withDescendants([...roots], table).filter((pid) => table.runnable.has(pid)).length;
}

/** One pass over /proc: who is whose child, and which group each live process is in. */
function readProcessTable(): ProcessTable | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const children = new Map<number, number[]>();
  const groups = new Map<number, number>();
  const runnable = new Set<number>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the command name: state, ppid, pgrp, ...
      const [state, parent, group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      if (state !== 'Z') groups.set(pid, Number(group));
      if (state === 'R') runnable.add(pid);
      const siblings = children.get(Number(parent)) ?? [];
      siblings.push(pid);
      children.set(Number(parent), siblings);
    } catch {
      // The process ended while we looked.
    }
  }
  return { children, groups, runnable };
}

/** The given processes and all their descendants, each once. */
function withDescendants(roots: number[], table: ProcessTable): number[] {
  const found = new Set(roots);
  const queue = [...roots];
  while (queue.length > 0) {
    for (const child of table.children.get(queue.shift() ?? -1) ?? []) {
      if (found.has(child)) continue;
      found.add(child);
      queue.push(child);
    }
  }
  return [...found];
}

/** SIGKILL each process; one that is already gone is not an error. */
export function killProcesses(pids: Iterable<number>): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** True while a process exists and is not a zombie waiting to be reaped (Linux /proc; elsewhere: exists). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/**
 * The live processes of a group and every descendant of them, also those that left the group
 * (setsid), from one pass over /proc; empty where /proc is missing.
 */
export function processesOfGroup(pgid: number): number[] {
  const table = readProcessTable();
  if (!table) return [];
  const members = [...table.groups].filter(([, group]) => group === pgid).map(([pid]) => pid);
  return withDescendants(members, table).filter((pid) => table.groups.has(pid));
}
