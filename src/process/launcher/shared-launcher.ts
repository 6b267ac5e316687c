import { launcherSyscallsHere, ProcessLauncher } from './process-launcher.ts';

let wanted = false;
let current: ProcessLauncher | undefined;
/** The launcher could not start here, or died: the direct spawn it is, for the rest of this process. */
let givenUp = false;

/**
 * From now on captureProcess starts its commands (git) through one long-lived launcher process instead
 * of Node forking itself for each. For commands that run many of them (`sluice run`, `work`, `resume`):
 * the launcher costs a process start, which a short command (check, guard, hook) would not win back.
 * `false` goes back to the direct spawn for commands not yet started.
 */
export function useProcessLauncher(use = true): void {
  wanted = use;
}

/** The process's launcher, started on first use; undefined when not wanted or not usable (spawn directly). */
export function processLauncher(): ProcessLauncher | undefined {
  if (!wanted || givenUp) return undefined;
  if (current) {
    if (current.running) return current;
    // Never started again: a launcher that died once (killed, out of memory) is not to be relied on.
    givenUp = true;
    return undefined;
  }
  const syscalls = launcherSyscallsHere();
  if (!syscalls) {
    givenUp = true;
    return undefined;
  }
  try {
    current = new ProcessLauncher(syscalls);
  } catch {
    givenUp = true;
    return undefined;
  }
  return current;
}
