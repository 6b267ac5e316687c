import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { containmentMarkerVar } from './containment.ts';
import {
  descendantsOf,
  isProcessRunning,
  killProcesses,
  killProcessGroup,
  processStartTime,
} from './process-groups.ts';

/** How often the fallback looks for descendants while the command runs (they are only found while their parents live). */
const sampleEveryMs = 250;
/** Rounds of kill-and-look before the sweep gives up on a process that keeps forking. */
const maxSweepRounds = 50;

/**
 * The process-group fallback of containment (see containment.ts): remembers the command's descendants
 * while it runs and, when it ends, kills its group, those descendants and every process still carrying
 * its marker in the environment, until a pass over /proc finds none alive.
 */
export class MarkedProcesses {
  /** Added to the command's environment; every descendant inherits it unless it scrubs its environment. */
  readonly marker = `${process.pid}-${randomBytes(8).toString('hex')}`;
  /** Pid -> start time, so a pid reused by a stranger is never killed. */
  readonly #seen = new Map<number, string>();
  #timer: NodeJS.Timeout | undefined;
  #pgid: number | undefined;

  get env(): Record<string, string> {
    return { [containmentMarkerVar]: this.marker };
  }

  /** Start sampling the descendants of the command's leader. */
  watch(pgid: number): void {
    this.#pgid = pgid;
    this.#timer = setInterval(() => this.sample(), sampleEveryMs);
    this.#timer.unref();
  }

  /** Remember the leader's descendants as they are now (setsid ones included). */
  sample(): void {
    if (this.#pgid === undefined) return;
    for (const pid of descendantsOf(this.#pgid)) this.#remember(pid);
  }

  #remember(pid: number): void {
    if (this.#seen.has(pid)) return;
    const started = processStartTime(pid);
    if (started !== undefined) this.#seen.set(pid, started);
  }

  /** Kill everything the command left behind; resolves when a pass finds nothing of it alive. */
  async sweep(): Promise<void> {
    clearInterval(this.#timer);
    for (let round = 0; round < maxSweepRounds; round++) {
      if (this.#pgid !== undefined) killProcessGroup(this.#pgid, 'SIGKILL');
      // A process found by its marker is remembered: while it exits, its environment can no longer be
      // read, yet it still runs until it is a zombie, so later rounds must still wait for it.
      for (const pid of processesWithMarker(this.marker)) this.#remember(pid);
      const alive = [...this.#remembered()].filter(isProcessRunning);
      if (alive.length === 0) return;
      killProcesses(alive);
      // Children forked just before the kill carry the marker too: look again.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  *#remembered(): Iterable<number> {
    for (const [pid, started] of this.#seen) if (processStartTime(pid) === started) yield pid;
  }
}

/** Every live process whose environment holds `SLUICE_CONTAINMENT_ID=<marker>` (those we may read). */
export function processesWithMarker(marker: string): number[] {
  const needle = `${containmentMarkerVar}=${marker}\0`;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(needle)) found.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}
