import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureSluiceDir } from './sluice-dir.ts';

/** Set for the gates of a check holding the lock: a `sluice check` they start inside it must not wait for its parent. */
const heldLockEnv = 'SLUICE_CHECK_LOCK';

export interface CheckLock {
  release(): Promise<void>;
}

export interface LockHolder {
  pid: number;
  startedAt: string;
}

export interface CheckLockOptions {
  /** Called once when another check holds the lock and this one starts waiting. */
  onWait?: (holder: LockHolder) => void;
  pollMs?: number;
  signal?: AbortSignal;
}

/**
 * One `sluice check` at a time per folder. Gates write fixed paths (`.sluice/logs/<gate>.log`, the
 * reports their commands are configured to write, the cache, last-check.json): two checks at once
 * would read each other's half-written reports and attribute one run's failures to the other. A
 * second check waits for the first (it then judges the tree as it is by then) rather than failing:
 * an editor hook and a hand-typed check both get a true answer. A lock whose process is gone (killed,
 * crashed) is taken over.
 */
export async function lockChecks(root: string, options: CheckLockOptions = {}): Promise<CheckLock> {
  const path = join(await ensureSluiceDir(root), 'check.lock');
  if (process.env[heldLockEnv] === path) return { release: async () => {} };
  const mine = `${JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() })}\n`;
  let waiting = false;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      await writeFile(path, mine, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const holder = parseHolder(text);
    if (!holder || !isAlive(holder.pid)) {
      // Unlink only the lock we judged stale; a check that took it over meanwhile wrote other text.
      // (A tiny window remains between this read and the unlink; both checks would then be correct, only concurrent.)
      if ((await readFile(path, 'utf8').catch(() => undefined)) === text) await unlink(path).catch(() => {});
      continue;
    }
    if (!waiting && holder) options.onWait?.(holder);
    waiting = true;
    await sleep(options.pollMs ?? 200, options.signal);
  }
  const previous = process.env[heldLockEnv];
  process.env[heldLockEnv] = path;
  return {
    release: async () => {
      if (previous === undefined) delete process.env[heldLockEnv];
      else process.env[heldLockEnv] = previous;
      if ((await readFile(path, 'utf8').catch(() => undefined)) === mine) await unlink(path).catch(() => {});
    },
  };
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return typeof value.pid === 'number' && Number.isInteger(value.pid) && value.pid > 0
      ? { pid: value.pid, startedAt: String(value.startedAt ?? '') }
      : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}
