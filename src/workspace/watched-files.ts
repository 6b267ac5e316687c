import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync, type Stats, statSync } from 'node:fs';
import { chmod, lstat, mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const maxContentBytes = 16 * 1024 * 1024;

// Reading is synchronous: the loop compares a few dozen small files (hooks/, info/, config) after every
// agent turn, and an asynchronous call costs a round trip through the thread pool many times the read.

/** What one watched path held: JSON-serialisable, so a snapshot survives a restart of Sluice. */
export type WatchedEntry =
  | { type: 'file'; mode: number; size: number; content: string /* base64 */ }
  | { type: 'symlink'; target: string }
  | { type: 'dir'; mode: number }
  /** A fifo, socket or device: never restored, only reported. */
  | { type: 'other' };

/** The entry at `path` (not following a symlink), or null when nothing is there. */
export async function captureEntry(path: string, withContent = true): Promise<WatchedEntry | null> {
  return entryAt(path, withContent);
}

function entryAt(path: string, withContent: boolean): WatchedEntry | null {
  const stats = lstatOrNull(path);
  if (stats === null) return null;
  return entryOf(path, stats, withContent);
}

export interface TreeCapture {
  /** Leave out paths that are not watched. */
  skip: (path: string) => boolean;
  /** False to list the entries without reading files (contents are then empty): for a comparison. */
  withContent: boolean;
}

/**
 * Every entry of the folder `root` and beneath it, keyed by absolute path, the root itself included.
 * A root that is a symlink to a folder is walked through (git follows it); nested symlinks are not.
 */
export async function captureTree(root: string, capture: TreeCapture): Promise<Map<string, WatchedEntry>> {
  const entries = new Map<string, WatchedEntry>();
  const rootEntry = entryAt(root, capture.withContent);
  if (rootEntry === null) return entries;
  entries.set(root, rootEntry);
  const walkable = rootEntry.type === 'dir' || (rootEntry.type === 'symlink' && isFolder(root));
  if (walkable) walk(root, entries, capture);
  return entries;
}

function walk(dir: string, entries: Map<string, WatchedEntry>, capture: TreeCapture): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    names = missingIsEmpty(error as NodeJS.ErrnoException);
  }
  for (const name of names.sort()) {
    const path = join(dir, name);
    if (capture.skip(path)) continue;
    const entry = entryAt(path, capture.withContent);
    if (entry === null) continue;
    entries.set(path, entry);
    if (entry.type === 'dir') walk(path, entries, capture);
  }
}

/**
 * Whether `path` still holds exactly `entry`. A file is compared by size first, so a large file planted
 * since is not read in full.
 */
export async function entryMatches(path: string, entry: WatchedEntry | null): Promise<boolean> {
  const stats = lstatOrNull(path);
  if (stats === null || entry === null) return stats === null && entry === null;
  switch (entry.type) {
    case 'file':
      return (
        stats.isFile() &&
        (stats.mode & 0o7777) === entry.mode &&
        stats.size === entry.size &&
        readFileSync(path).equals(Buffer.from(entry.content, 'base64'))
      );
    case 'symlink':
      return stats.isSymbolicLink() && readlinkSync(path) === entry.target;
    case 'dir':
      return stats.isDirectory() && (stats.mode & 0o7777) === entry.mode;
    case 'other':
      return !stats.isFile() && !stats.isDirectory() && !stats.isSymbolicLink();
  }
}

/** Remove whatever is at `path` (a folder with everything in it). */
export async function removeEntry(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

/**
 * Put `entry` at `path`, replacing what is there. A file or symlink is written beside it under a temporary
 * name and renamed over it, so no reader ever sees half a file; a folder is created (or re-moded).
 */
export async function writeEntry(path: string, entry: WatchedEntry): Promise<void> {
  if (entry.type === 'other') return;
  await mkdir(dirname(path), { recursive: true });
  if (entry.type === 'dir') {
    const stats = await lstat(path).catch(missingIsNull);
    if (stats !== null && !stats.isDirectory()) await rm(path, { force: true });
    await mkdir(path, { recursive: true });
    await chmod(path, entry.mode);
    return;
  }
  const stats = await lstat(path).catch(missingIsNull);
  // rename() cannot put a file over a folder: a folder planted in a file's place goes first.
  if (stats?.isDirectory()) await rm(path, { recursive: true, force: true });
  const temporary = join(dirname(path), `.${basename(path)}.sluice-restore-${randomBytes(6).toString('hex')}`);
  try {
    if (entry.type === 'symlink') {
      await symlink(entry.target, temporary);
    } else {
      await writeFile(temporary, Buffer.from(entry.content, 'base64'), { mode: 0o600, flag: 'wx' });
      await chmod(temporary, entry.mode); // exactly the mode it had, whatever the umask
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function entryOf(path: string, stats: Stats, readContent: boolean): WatchedEntry {
  if (stats.isSymbolicLink()) return { type: 'symlink', target: readlinkSync(path) };
  if (stats.isDirectory()) return { type: 'dir', mode: stats.mode & 0o7777 };
  if (!stats.isFile()) return { type: 'other' };
  // Nothing git reads from these folders is that large: a bigger file is compared by size and mode only.
  const content = readContent && stats.size <= maxContentBytes ? readBase64(path) : '';
  return { type: 'file', mode: stats.mode & 0o7777, size: stats.size, content };
}

/** A file's bytes; none for one made unreadable (its mode differs from the snapshot's, which is reported). */
function readBase64(path: string): string {
  try {
    return readFileSync(path).toString('base64');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EACCES') return '';
    throw error;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/** The entry's own stats (a symlink is not followed); null when nothing is there. */
function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) ?? null;
  } catch (error) {
    return missingIsNull(error as NodeJS.ErrnoException);
  }
}

function missingIsNull(error: NodeJS.ErrnoException): null {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
  throw error;
}

function missingIsEmpty(error: NodeJS.ErrnoException): string[] {
  // A folder made unreadable (chmod 000) lists as empty: its own mode change is reported, and restored first.
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR' || error.code === 'EACCES') return [];
  throw error;
}
