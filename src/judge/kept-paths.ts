import { createHash } from 'node:crypto';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A fingerprint of paths kept in the judge checkout between checks (what setup installed, borrowed
 * dependencies): every entry's path, type, size, mode, inode and ctime. The ctime of a file changes with
 * any write, chmod or rename and cannot be set back by a process, so a dependency patched between two
 * checks — by an agent that found the checkout — shows here even if it put the mtime back.
 */
export async function fingerprintPaths(root: string, paths: readonly string[]): Promise<string> {
  const lines: string[] = [];
  await Promise.all(paths.map((path) => describeTree(root, path, lines)));
  lines.sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

async function describeTree(root: string, path: string, lines: string[]): Promise<void> {
  const full = join(root, path);
  const info = await lstat(full, { bigint: true }).catch(() => undefined);
  if (!info) {
    lines.push(`${path}\0missing`);
    return;
  }
  const link = info.isSymbolicLink() ? await readlink(full).catch(() => '?') : '';
  lines.push(`${path}\0${info.mode}\0${info.size}\0${info.ctimeNs}\0${info.ino}\0${link}`);
  if (!info.isDirectory()) return;
  const entries = await readdir(full).catch(() => [] as string[]);
  await Promise.all(entries.map((entry) => describeTree(root, join(path, entry), lines)));
}
