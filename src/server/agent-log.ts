import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { RunRecord } from '../store/run-records.ts';
import { HttpError } from './http-error.ts';

/** At most this much log per answer or event. */
export const maxLogChunkBytes = 64 * 1024;

/** `<repo>/<configDir>/.sluice/runs/<run>/iteration-<n>/agent.log`, as the run loop writes it. */
export function agentLogPath(run: RunRecord, configDir: string, iteration: number): string {
  const runs = resolve(run.repoRoot, configDir, '.sluice', 'runs');
  const path = resolve(runs, run.id, `iteration-${iteration}`, 'agent.log');
  // Run ids come from the store, but a path must never leave `.sluice/runs/` whatever they hold.
  if (!path.startsWith(runs + sep)) throw new HttpError(404, 'NOT_FOUND', 'no such log');
  return path;
}

/**
 * Up to `maxLogChunkBytes` of a log from `offset` (the last ones when offset is undefined). A missing
 * log reads as empty; a link or anything but a regular file is refused (O_NOFOLLOW), so nothing
 * planted there leads outside `.sluice/`.
 */
export async function readLogChunk(
  path: string,
  offset: number | undefined,
): Promise<{ offset: number; nextOffset: number; text: string }> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { offset: offset ?? 0, nextOffset: offset ?? 0, text: '' };
    throw new HttpError(404, 'NOT_FOUND', 'the agent log cannot be read');
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new HttpError(404, 'NOT_FOUND', 'the agent log is not a file');
    const size = stats.size;
    const start = offset === undefined ? Math.max(0, size - maxLogChunkBytes) : Math.min(offset, size);
    const length = Math.min(maxLogChunkBytes, size - start);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = length > 0 ? await handle.read(buffer, 0, length, start) : { bytesRead: 0 };
    return { offset: start, nextOffset: start + bytesRead, text: buffer.subarray(0, bytesRead).toString('utf8') };
  } finally {
    await handle.close();
  }
}

export function runDirPath(run: RunRecord, configDir: string): string {
  return join(run.repoRoot, configDir, '.sluice', 'runs', run.id);
}

/** A whole small text file under `root` (evidence reports), or null when it is missing, too big or not a file. */
export async function readTextUnder(root: string, path: string, maxBytes = 2 * 1024 * 1024): Promise<string | null> {
  const full = resolve(path);
  if (!full.startsWith(resolve(root) + sep)) return null;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(full, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size > maxBytes) return null;
    return (await handle.readFile()).toString('utf8');
  } finally {
    await handle.close();
  }
}
