import { readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessRunning } from '../../process/process-groups.ts';

const pollMs = 200;

/**
 * Run `work` while holding `<path>.lock` (a file naming our pid), so two checks on one project never
 * make or tear down the same baseline worktree at once. A lock whose process is gone is taken over;
 * a live one is waited for (until `signal` aborts).
 */
export async function withCheckoutLock<T>(path: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const lock = `${path}.lock`;
  for (;;) {
    signal?.throwIfAborted();
    try {
      await writeFile(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
    // A half-written lock (no pid yet) belongs to someone starting right now: wait for it like a live one.
    if (Number.isInteger(holder) && holder > 0 && !isProcessRunning(holder)) {
      await rm(lock, { force: true });
      continue;
    }
    await sleep(pollMs, undefined, signal ? { signal } : {});
  }
  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
  }
}
