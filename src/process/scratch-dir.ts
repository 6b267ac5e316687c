// Sluice's scratch folders in the system temp folder carry their owner's pid in their name
// (sluice-<purpose>-<pid>-XXXXXX). A process killed with -9 cannot clean up after itself, so the first
// scratch folder each later process makes first removes those whose owner is gone: a kill leaves them
// only until the next Sluice command that makes one. Temp files written beside their target for an
// atomic rename follow the same rule (<target>.<pid>.tmp) and are swept in their own folder.
import { mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessRunning } from './process-groups.ts';

const scratchName = /^sluice-[a-z]+-(\d+)-[A-Za-z0-9]{6}$/;
const tempFileName = /\.(\d+)\.tmp$/;
/** Named before owners were: no pid to ask, so only removed once older than any git or gh call lasts. */
const ownerlessScratchName = /^sluice-(?:git|gh)-[A-Za-z0-9]{6}$/;
const ownerlessAfterMs = 24 * 60 * 60 * 1000;

let sweptOnce: Promise<unknown> | undefined;

/** A fresh scratch folder `sluice-<purpose>-<pid>-XXXXXX` in the temp folder; the caller removes it. */
export async function makeScratchDir(purpose: string, parent = tmpdir()): Promise<string> {
  sweptOnce ??= sweepDeadScratch(parent).catch(() => []);
  await sweptOnce;
  return mkdtemp(join(parent, `sluice-${purpose}-${process.pid}-`));
}

/** Remove the scratch folders in `parent` whose owning process is gone; returns what was removed. */
export async function sweepDeadScratch(parent = tmpdir()): Promise<string[]> {
  // One listing for both kinds: every command's first git call sweeps, and the temp folder can be large.
  const names = await readdir(parent).catch(() => [] as string[]);
  const removed = await sweep(parent, scratchName, names);
  // Asked all at once: a temp folder can hold many of these, and every command's first git call waits here.
  const ownerless = await Promise.all(
    names
      .filter((name) => ownerlessScratchName.test(name))
      .map(async (name) => {
        const path = join(parent, name);
        const modified = (await stat(path).catch(() => undefined))?.mtimeMs ?? Date.now();
        if (Date.now() - modified < ownerlessAfterMs) return undefined;
        await rm(path, { recursive: true, force: true }).catch(() => {});
        return path;
      }),
  );
  return [...removed, ...ownerless.filter((path) => path !== undefined)];
}

/**
 * Write `text` to `path` atomically: into `<path>.<pid>.tmp`, made anew, then renamed over `path`. The
 * folders Sluice writes this way (`.sluice/cache`; the hooks' session records) may be where the agent writes: a link it
 * planted under the temp name is removed, never written through (the rename replaces a link at `path` itself).
 */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await rm(temporary, { force: true });
  await writeFile(temporary, text, { flag: 'wx' });
  await rename(temporary, path);
}

/**
 * Remove `<name>.<pid>.tmp` files in `dir` (temp files of an atomic write) whose writer is gone; a write
 * killed between its write and its rename leaves one.
 */
export async function sweepDeadTempFiles(dir: string): Promise<string[]> {
  return sweep(dir, tempFileName);
}

async function sweep(dir: string, pattern: RegExp, listed?: readonly string[]): Promise<string[]> {
  const names = listed ?? (await readdir(dir).catch(() => [] as string[]));
  const removed: string[] = [];
  for (const name of names) {
    const owner = Number(pattern.exec(name)?.[1]);
    if (!Number.isInteger(owner) || owner <= 0 || owner === process.pid || isProcessRunning(owner)) continue;
    const path = join(dir, name);
    await rm(path, { recursive: true, force: true }).catch(() => {});
    removed.push(path);
  }
  return removed;
}
