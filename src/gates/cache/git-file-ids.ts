import { readFile } from 'node:fs/promises';
import { sep } from 'node:path';
import { runGit } from '../../workspace/git.ts';
import type { ObjectFormat } from './git-blob-id.ts';
import { type IndexEntry, parseGitIndex } from './git-index.ts';

/**
 * What git knows of the files under a folder, read in one `git ls-files` pass: the blob ids it vouches
 * for, and the files it does not (whose contents must be read).
 */
export interface GitFileIds {
  /** Tracked files git sees unchanged on disk (its stat cache, checked), in index order, and their
   * `<mode> <blob id>` at the same positions. */
  vouchedPaths: string[];
  vouchedMaterials: string[];
  /** Files on disk git does not vouch for: modified, untracked and not ignored, assume-unchanged or
   * skip-worktree, unmerged. Deleted tracked files are in neither list. */
  unvouched: string[];
  /** Other repositories inside (submodules, untracked clones): git lists only their folder. */
  nestedRepositories: string[];
  objectFormat: ObjectFormat;
}

/**
 * Settings that would make git report a changed file as unchanged — a file-system monitor that says "no
 * change", ignoring stat data, comparing only mtime and size, ignoring ctime or the execute bit — are
 * overridden for this read, whatever the repository (or a process that could write its config) set.
 */
const trustedStatSettings = [
  'core.fsmonitor=false',
  'core.ignoreStat=false',
  'core.checkStat=default',
  'core.trustctime=true',
  'core.fileMode=true',
].flatMap((setting) => ['-c', setting]);

/**
 * The git pass over `root` (a folder inside a work tree; paths come relative to it), or undefined when git
 * cannot answer for it: not a work tree, git missing, the folder inside `.git`, an index this code does not
 * read (split or sparse). (A folder the repository around it ignores is the caller's to rule out: git lists
 * none of its untracked files.) Two git processes, at once: `ls-files` for what changed on disk — which
 * compares each file's stat data with the index, reading the file when they differ or are racy — and
 * `rev-parse` for where the index is; the index itself is read here.
 */
export async function readGitFileIds(root: string): Promise<GitFileIds | undefined> {
  if (root.split(sep).includes('.git')) return undefined;
  try {
    const [location, changes] = await Promise.all([
      runGit(root, [
        'rev-parse',
        '--path-format=absolute',
        '--git-path',
        'index',
        '--show-prefix',
        '--show-object-format',
      ]),
      runGit(root, [...trustedStatSettings, 'ls-files', '-z', '-t', '-m', '-d', '-o', '--exclude-standard']),
    ]);
    if (location.exitCode !== 0 || changes.exitCode !== 0) return undefined;
    const [indexPath = '', prefix = '', format = ''] = location.stdout.split('\n');
    if (format !== 'sha1' && format !== 'sha256') return undefined;
    const index = await readFile(indexPath).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined; // no commit, nothing staged yet: every file is untracked
      throw error;
    });
    const entries = index ? parseGitIndex(index, format) : [];
    return combineListings(index, entries, prefix, changes.stdout, format);
  } catch {
    return undefined;
  }
}

/**
 * Which of these paths (relative to `root`; a trailing `/` names a folder) git's ignore rules match, the
 * folders around them included; undefined when git cannot tell.
 */
export async function ignoredPaths(root: string, paths: readonly string[]): Promise<Set<string> | undefined> {
  if (paths.length === 0) return new Set();
  const result = await runGit(root, ['check-ignore', '-z', '--stdin', '--no-index'], {
    input: paths.map((path) => `${path}\0`).join(''),
  });
  // 0: some are ignored, 1: none is.
  if (result.exitCode !== 0 && result.exitCode !== 1) return undefined;
  return new Set(result.stdout.split('\0').filter((path) => path !== ''));
}

/** Untracked files the ignore rules match, under these folders or files (relative to `root`). */
export async function ignoredUntrackedFiles(root: string, prefixes: readonly string[]): Promise<string[] | undefined> {
  const result = await runGit(root, ['ls-files', '-z', '-o', '-i', '--exclude-standard', '--', ...prefixes]);
  if (result.exitCode !== 0) return undefined;
  return result.stdout.split('\0').filter((path) => path !== '' && !path.endsWith('/'));
}

/**
 * The index entries under `prefix` (the config folder), judged with what `ls-files -t -m -d -o` printed:
 * `C <path>` for a file that changed, `R <path>` for one that is gone, `? <path>` for an untracked, not
 * ignored file (`<dir>/` for a nested repository).
 */
function combineListings(
  index: Buffer | undefined,
  entries: IndexEntry[],
  prefix: string,
  listing: string,
  format: ObjectFormat,
): GitFileIds {
  const idLength = format === 'sha1' ? 20 : 32;
  const changed = new Set<string>();
  const removed = new Set<string>();
  const unvouched: string[] = [];
  const nestedRepositories: string[] = [];
  for (const record of listing.split('\0')) {
    const path = record.slice(2);
    if (record.startsWith('? ')) {
      if (path.endsWith('/')) nestedRepositories.push(path.slice(0, -1));
      else unvouched.push(path);
    } else if (record.startsWith('C ')) changed.add(path);
    else if (record.startsWith('R ')) removed.add(path);
  }
  const vouchedPaths: string[] = [];
  const vouchedMaterials: string[] = [];
  let previous = '';
  for (const entry of entries) {
    if (prefix !== '' && !entry.path.startsWith(prefix)) continue;
    const path = prefix === '' ? entry.path : entry.path.slice(prefix.length);
    if (path === previous) continue; // an unmerged path has up to three entries, one after the other
    previous = path;
    if (entry.mode === '160000') nestedRepositories.push(path);
    else if (removed.has(path)) continue;
    else if (changed.has(path) || !gitComparedIt(entry)) unvouched.push(path);
    else if (index) {
      vouchedPaths.push(path);
      vouchedMaterials.push(`${entry.mode} ${index.toString('hex', entry.idAt, entry.idAt + idLength)}`);
    }
  }
  return { vouchedPaths, vouchedMaterials, unvouched, nestedRepositories, objectFormat: format };
}

/**
 * Whether git's "unchanged" can be trusted for this entry. Only an entry at stage 0 with no
 * assume-unchanged, skip-worktree or intent-to-add mark had its file compared at all. And git (as commonly
 * built, without USE_NSEC) compares ctime and mtime to the second: a file rewritten, same size, in the
 * second git recorded it, with its mtime set back, passes for unchanged when the entry is not racy (its
 * mtime older than the index). Such an entry shows: git recorded a ctime other than the mtime (a file
 * written once has both equal, to the nanosecond; setting the mtime back, a chmod or a rename moves the
 * ctime alone). Those files are read.
 */
function gitComparedIt(entry: IndexEntry): boolean {
  return entry.stage === 0 && !entry.assumeUnchanged && !entry.skipWorktree && !entry.intentToAdd && entry.ctimeIsMtime;
}
