import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Whether bubblewrap can confine a process on this machine, and if not, why not. */
export type BubblewrapProbe = { available: true; path: string } | { available: false; reason: string };

/** Every sandbox starts from this: the whole filesystem read-only, fresh /dev and /proc, its own PID namespace. */
const baseArgs = [
  '--ro-bind',
  '/',
  '/',
  '--dev',
  '/dev',
  '--proc',
  '/proc',
  // When the sandbox's first process ends, the kernel kills every process left in its PID namespace.
  '--unshare-pid',
  '--die-with-parent',
  // No controlling terminal: a sandboxed process cannot push keystrokes into the user's shell (TIOCSTI).
  '--new-session',
  // Run as root, bwrap keeps every capability, and CAP_SYS_ADMIN can remount / read-write: drop them all.
  '--cap-drop',
  'ALL',
];

let probed: BubblewrapProbe | undefined;

/**
 * Find `bwrap` on PATH and check that it really works here (a container may forbid the namespaces it
 * needs); the answer is kept for the life of the process.
 */
export function probeBubblewrap(): BubblewrapProbe {
  probed ??= probe();
  return probed;
}

function probe(): BubblewrapProbe {
  if (process.platform !== 'linux')
    return { available: false, reason: `bubblewrap needs Linux (this is ${process.platform})` };
  const path = findOnPath('bwrap');
  if (!path) return { available: false, reason: 'bubblewrap (bwrap) is not installed' };
  const result = spawnSync(path, [...baseArgs, '--', '/bin/true'], { encoding: 'utf8', timeout: 10_000 });
  if (result.status === 0) return { available: true, path };
  const why = (result.stderr || result.error?.message || `exit ${result.status}`).trim().split('\n')[0];
  return { available: false, reason: `bubblewrap is installed but cannot create a sandbox here: ${why}` };
}

/** The first executable `name` on PATH. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface BubblewrapMounts {
  /** Folders and files the command may write; everything else is read-only. */
  writable: string[];
  /** Paths inside a writable one that stay read-only (a git dir's hooks, config, info/). */
  readOnly: string[];
  /** The folder the command starts in. */
  cwd: string;
}

/**
 * The bwrap arguments that run `command` with writes allowed only to `mounts.writable`. Parents are bound
 * before their children and the read-only exceptions last, since a later mount covers an earlier one.
 */
export function bubblewrapArgs(mounts: BubblewrapMounts, command: string[]): string[] {
  const writable = [...new Set(mounts.writable)].sort((a, b) => a.length - b.length);
  const readOnly = [...new Set(mounts.readOnly)].sort((a, b) => a.length - b.length);
  return [
    ...baseArgs,
    ...writable.flatMap((path) => ['--bind', path, path]),
    ...readOnly.flatMap((path) => ['--ro-bind', path, path]),
    '--chdir',
    mounts.cwd,
    '--',
    ...command,
  ];
}
