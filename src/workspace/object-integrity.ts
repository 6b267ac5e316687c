import { createHash } from 'node:crypto';
import { readdirSync, type Stats, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { runGit } from './git.ts';

/**
 * Git never checks, when it reads an object, that the content still hashes to its name. An agent that can
 * write the object store (it must, to commit) could rewrite the loose object of a file it did not change —
 * a test at the base — and every checkout, diff and guard would then read the forged content under the
 * old id. Objects are written once and never changed, so only files written since `sinceMs` (the turn's start,
 * as `Date.now()` read it; the margin of the file system's clock is added here) need a look:
 * each such loose object must hash to its name, and each such pack must verify.
 * Returns what does not hold, in words; empty when everything does.
 */
export async function verifyObjectsWrittenSince(commonDir: string, sinceMs: number): Promise<string[]> {
  const objects = join(commonDir, 'objects');
  const problems: string[] = [];
  const written = looseObjectsWrittenSince(objects, sinceMs);
  // Read a batch at a time: a turn that wrote thousands of objects must not open thousands of files at once.
  for (let start = 0; start < written.length; start += checkBatch) {
    const batch = written.slice(start, start + checkBatch);
    for (const problem of await Promise.all(batch.map(({ path, id }) => checkLooseObject(path, id)))) {
      if (problem) problems.push(problem);
    }
  }
  // Alternates make git read objects from another store, where anything can be.
  if (changedSince(statOrUndefined(join(objects, 'info', 'alternates')), sinceMs)) {
    problems.push('objects/info/alternates was written: git would read objects from another store');
  }
  const packs = join(objects, 'pack');
  for (const name of await readdir(packs).catch(() => [] as string[])) {
    if (!name.endsWith('.idx')) continue;
    const idx = join(packs, name);
    const pack = idx.replace(/\.idx$/, '.pack');
    if (!changedSince(statOrUndefined(idx), sinceMs) && !changedSince(statOrUndefined(pack), sinceMs)) continue;
    const verified = await runGit(commonDir, ['verify-pack', idx], { timeoutMs: 300_000 });
    if (verified.exitCode !== 0)
      problems.push(`git pack ${name} does not verify: ${verified.stderr.trim().split('\n')[0] ?? ''}`);
  }
  return problems.sort();
}

/**
 * How far before `sinceMs` a change time may fall and still be a change made since: the kernel stamps files
 * from a clock that moves once per tick (1 to 10 ms), so a write just after `sinceMs` may read up to a tick
 * earlier; a file system that keeps whole seconds (the change time has no fraction) may round a second down.
 */
const tickMarginMs = 20;
const checkBatch = 64;
const wholeSecondMarginMs = 1000;

/**
 * Every loose object file changed since `sinceMs`. Listed and stat'ed synchronously: one look per loose
 * object on every turn, thousands in a large repository, where each asynchronous call costs a round trip
 * through the thread pool many times the stat itself; nothing else of the run goes on meanwhile.
 */
function looseObjectsWrittenSince(objects: string, sinceMs: number): Array<{ path: string; id: string }> {
  const written: Array<{ path: string; id: string }> = [];
  for (const folder of listOrEmpty(objects)) {
    if (!/^[0-9a-f]{2}$/.test(folder)) continue;
    for (const name of listOrEmpty(join(objects, folder))) {
      const path = join(objects, folder, name);
      if (changedSince(statOrUndefined(path), sinceMs)) written.push({ path, id: `${folder}${name}` });
    }
  }
  return written;
}

function listOrEmpty(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

/** A path's stats (through a symlink, as git reads it); undefined when nothing is there or it cannot be read. */
function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function changedSince(info: Stats | undefined, sinceMs: number): boolean {
  if (info === undefined) return false;
  // ctime: a rewrite, a rename over it or a chmod moves it, and no process can set it back.
  const margin = info.ctimeMs % 1000 === 0 ? wholeSecondMarginMs : tickMarginMs;
  return info.ctimeMs >= sinceMs - margin;
}

async function checkLooseObject(path: string, id: string): Promise<string | undefined> {
  if (!/^[0-9a-f]{40}$/.test(id)) return undefined; // a temp file of git's own, or a SHA-256 repository
  try {
    const content = inflateSync(await readFile(path));
    const actual = createHash('sha1').update(content).digest('hex');
    return actual === id ? undefined : `git object ${id} was rewritten: its content hashes to ${actual}`;
  } catch (error) {
    return `git object ${id} cannot be read: ${(error as Error).message}`;
  }
}
