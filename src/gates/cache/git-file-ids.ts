import { readFile } from 'node:fs/promises';
import { sep } from 'node:path';
import { runGit } from '../../workspace/git.ts';
import type { ObjectFormat } from './git-blob-id.ts';
import { type IndexEntry, visitGitIndex } from './git-index.ts';

/**
 * What git knows of the files under a folder. The index is read at once; git's look at the disk (`ls-files`,
 * which stats every file) comes later as `disk`, so the caller can match the index against its globs while
 * git works.
 */
export interface GitFileIds {
  /** Tracked files git may vouch for, in index order, and their `<mode> <blob id>` at the same positions;
   * those `disk` reports changed or removed are not vouched for after all. */
  trackedPaths: string[];
  trackedMaterials: string[];
  /** Tracked files git does not compare with the disk (assume-unchanged, skip-worktree, intent-to-add,
   * unmerged, or a ctime that shows a rewrite git would miss): read when present. */
  uncompared: string[];
  /** Tracked submodules: git lists only their folder. */
  trackedRepositories: string[];
  objectFormat: ObjectFormat;
  /** git's look at the disk; undefined when git could not answer. */
  disk: Promise<DiskChanges | undefined>;
}

/** What `git ls-files -t -m -d -o --exclude-standard` printed. */
export interface DiskChanges {
  /** Tracked files whose content may differ from the index. */
  changed: Set<string>;
  /** Tracked files gone from the disk. */
  removed: Set<string>;
  /** Untracked files that are not ignored. */
  untracked: string[];
  /** Other repositories inside, untracked (clones): git lists only their folder. */
  untrackedRepositories: string[];
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
 * none of its untracked files.) `ls-files` — which compares each file's stat data with the index, reading
 * the file when they differ or are racy — starts first and runs while `rev-parse` says where the index is
 * and the index is read here.
 */
export async function readGitFileIds(root: string): Promise<GitFileIds | undefined> {
  if (root.split(sep).includes('.git')) return undefined;
  const listing = runGit(root, [
    ...trustedStatSettings,
    'ls-files',
    '-z',
    '-t',
    '-m',
    '-d',
    '-o',
    '--exclude-standard',
  ]);
  const disk = listing.then(
    (changes) => (changes.exitCode === 0 ? parseListing(changes.stdout) : undefined),
    () => undefined,
  );
  try {
    const location = await runGit(root, [
      'rev-parse',
      '--path-format=absolute',
      '--git-path',
      'index',
      '--show-prefix',
      '--show-object-format',
    ]);
    if (location.exitCode !== 0) return undefined;
    const [indexPath = '', prefix = '', format = ''] = location.stdout.split('\n');
    if (format !== 'sha1' && format !== 'sha256') return undefined;
    const index = await readFile(indexPath).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined; // no commit, nothing staged yet: every file is untracked
      throw error;
    });
    return { ...trackedFiles(index, prefix, format), objectFormat: format, disk };
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
 * `ls-files -t -m -d -o` output: `C <path>` for a file that changed, `R <path>` for one that is gone,
 * `? <path>` for an untracked, not ignored file (`<dir>/` for a nested repository).
 */
function parseListing(listing: string): DiskChanges {
  const changes: DiskChanges = { changed: new Set(), removed: new Set(), untracked: [], untrackedRepositories: [] };
  for (const record of listing.split('\0')) {
    const path = record.slice(2);
    if (record.startsWith('? ')) {
      if (path.endsWith('/')) changes.untrackedRepositories.push(path.slice(0, -1));
      else changes.untracked.push(path);
    } else if (record.startsWith('C ')) changes.changed.add(path);
    else if (record.startsWith('R ')) changes.removed.add(path);
  }
  return changes;
}

/** The index entries under `prefix` (the config folder), sorted by what git can say of them. */
function trackedFiles(
  index: Buffer | undefined,
  prefix: string,
  format: ObjectFormat,
): Omit<GitFileIds, 'objectFormat' | 'disk'> {
  const idLength = format === 'sha1' ? 20 : 32;
  const tracked: Omit<GitFileIds, 'objectFormat' | 'disk'> = {
    trackedPaths: [],
    trackedMaterials: [],
    uncompared: [],
    trackedRepositories: [],
  };
  if (!index) return tracked;
  let previous = '';
  visitGitIndex(index, format, (entry) => {
    if (prefix !== '' && !entry.path.startsWith(prefix)) return;
    const path = prefix === '' ? entry.path : entry.path.slice(prefix.length);
    if (path === previous) return; // an unmerged path has up to three entries, one after the other
    previous = path;
    if (entry.mode === '160000') tracked.trackedRepositories.push(path);
    else if (!gitComparedIt(entry)) tracked.uncompared.push(path);
    else {
      tracked.trackedPaths.push(path);
      tracked.trackedMaterials.push(`${entry.mode} ${index.toString('hex', entry.idAt, entry.idAt + idLength)}`);
    }
  });
  return tracked;
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
function gitComparedIt(entry: Readonly<IndexEntry>): boolean {
  return entry.stage === 0 && !entry.assumeUnchanged && !entry.skipWorktree && !entry.intentToAdd && entry.ctimeIsMtime;
}
