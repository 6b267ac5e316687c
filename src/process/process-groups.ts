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
