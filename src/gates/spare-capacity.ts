import { availableParallelism, cpus } from 'node:os';
import { runnableUnder } from '../process/process-groups.ts';

/**
 * Whether another gate may start beside the running ones, under the default concurrency (one gate
 * per core to begin with). More start while the running gates wait rather than compute — none of
 * their processes runnable at two looks in a row (a sleep, a server, the network: they overlap
 * like lefthook's) — or while cores sit idle machine-wide. CPU-bound suites keep every process
 * runnable and every core busy, so they never oversubscribe the machine.
 */
export class SpareCapacity {
  private last = readTimes();
  private waitedBefore = false;
  /** The gates running at the previous look; undefined before the first. */
  private seenBefore: Set<number> | undefined;

  /** How many more gates may start now; `roots` are the running gates' process ids. */
  sample(roots: readonly number[]): number {
    const now = readTimes();
    const total = now.total - this.last.total;
    const idleCores = total > 0 ? ((now.idle - this.last.idle) / total) * availableParallelism() : 0;
    this.last = now;
    // Reading every process of /proc costs milliseconds, which a stream of short gates (500 `true`s) would
    // pay at every look. Waiting is believed only at two looks in a row, and when every gate running now
    // started after the last look, that look did not see them: this one counts as not waiting, unread.
    const allNew = this.seenBefore !== undefined && !roots.some((pid) => this.seenBefore?.has(pid));
    const waiting = roots.length > 0 && !allNew && runnableUnder(roots) === 0;
    this.seenBefore = new Set(roots);
    const waitedTwice = waiting && this.waitedBefore;
    this.waitedBefore = waiting;
    return Math.max(Math.floor(idleCores + 0.25), waitedTwice ? 1 : 0);
  }
}

function readTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const { user, nice, sys, idle: idleTime, irq } = cpu.times;
    idle += idleTime;
    total += user + nice + sys + idleTime + irq;
  }
  return { idle, total };
}
