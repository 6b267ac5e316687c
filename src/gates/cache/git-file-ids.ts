import { readFile } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';
import { createHash } from '../../hashing.ts';
import { runGit } from '../../workspace/git.ts';
import { worktreeRedirect } from '../../workspace/worktree-probe.ts';
import type { ObjectFormat } from './git-blob-id.ts';
import { type IndexEntry, visitGitIndex } from './git-index.ts';

/**
 * What git knows of the files under a folder. The index is read and walked at once, decoding only the
 * entries git does not compare (few); git's look at the disk (which stats every file) comes later as
 * `disk`, so the caller can work while git does.
 */
export interface GitLook {
  objectFormat: ObjectFormat;
  /** The folder's path from the top of the work tree (`app/`; empty at the top). */
  prefix: string;
  /**
   * sha256 of the index file's bytes as read here (empty without an index): everything taken from the index
   * is a function of it. Computed here, never taken from the index's own trailing checksum: git does not check
   * that one when it reads an index (an index rewritten under its old checksum is used as it is).
   */
  indexKey: string;
  /** `uncompared` and `trackedRepositories` came from `rememberedFacts`, not from walking the index. */
  factsRemembered: boolean;
  /** Tracked files git does not compare with the disk (assume-unchanged, skip-worktree, intent-to-add,
   * unmerged, or a ctime that shows a rewrite git would miss): read when present. */
  uncompared: string[];
  /** Tracked submodules: git lists only their folder. */
  trackedRepositories: string[];
  /** The tracked files git may vouch for, decoded on the first call (a memoized check never needs them). */
  tracked(): TrackedFiles;
  /** git's look at the disk; undefined when git could not answer. */
  disk: Promise<DiskChanges | undefined>;
}

/** What `readGitLook` takes from the index on every look; a function of the index's bytes, prefix and format. */
export interface IndexFacts {
  uncompared: string[];
  trackedRepositories: string[];
}

export interface ReadGitLookOptions {
  /** Facts remembered for this index (by its `indexKey`), so its entries need not be walked. */
  rememberedFacts?: (indexKey: string, prefix: string, format: ObjectFormat) => Promise<IndexFacts | undefined>;
  /** Told once, as soon as `rev-parse` answers (before the index is read); undefined when git could not. */
  onWorktree?: (where: WorktreeWhere | undefined) => void;
}

/** Where the folder stands, as the look's `rev-parse` says. */
export interface WorktreeWhere {
  top: string;
  /** HEAD's commit; undefined with no commit yet. */
  head: string | undefined;
  prefix: string;
  /** What `ls-files -z -o --exclude-standard` printed (relative to the folder); undefined when it failed. */
  untrackedListing: Promise<string | undefined>;
}

/** Tracked files git may vouch for, in index order; those `disk` reports changed or removed are not vouched
 * for after all. */
export interface TrackedFiles {
  /** Relative to the folder. */
  paths: string[];
  /** `<mode> <blob id>` of the file at this position of `paths`: made when asked (only hashed ones are). */
  material(at: number): string;
}

/** What `git diff-files` and `git ls-files -o --exclude-standard` printed. */
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
 * none of its untracked files.) Two git processes look at the disk, started first, side by side:
 * `diff-files` compares each tracked file's stat data with the index (on several threads, as `git status`
 * does), reading the file when they differ or are racy, and `ls-files -o` lists the untracked files. Meanwhile
 * `rev-parse` says where the index is, and the index is read here.
 */
export async function readGitLook(root: string, options: ReadGitLookOptions = {}): Promise<GitLook | undefined> {
  let told = false;
  const tell = (where: WorktreeWhere | undefined) => {
    if (told) return;
    told = true;
    options.onWorktree?.(where);
  };
  try {
    return await lookAt(root, options, tell);
  } catch {
    return undefined;
  } finally {
    tell(undefined);
  }
}

async function lookAt(
  root: string,
  options: ReadGitLookOptions,
  tell: (where: WorktreeWhere | undefined) => void,
): Promise<GitLook | undefined> {
  if (root.split(sep).includes('.git')) return undefined;
  // Where the index of a folder at the top of its work tree is: read while git starts (used if git agrees).
  const guessedIndexPath = join(root, '.git', 'index');
  const guessedIndex = readIndex(guessedIndexPath);
  guessedIndex.catch(() => {});
  // Started first: its answer is what a caller waiting on `onWorktree` needs. HEAD's commit comes last,
  // verified: with no commit yet git prints the rest and exits 1 (quietly).
  const locating = runGit(root, [
    'rev-parse',
    '--path-format=absolute',
    '--git-path',
    'index',
    '--show-prefix',
    '--show-object-format',
    '--absolute-git-dir',
    '--show-toplevel',
    '--verify',
    '--quiet',
    'HEAD^{commit}',
  ]);
  const compared = runGit(root, [
    ...trustedStatSettings,
    'diff-files',
    '-z',
    '--name-status',
    '--relative',
    '--no-ext-diff',
    '--ignore-submodules',
  ]);
  const untracked = runGit(root, ['ls-files', '-z', '-o', '--exclude-standard']);
  const untrackedListing = untracked.then(
    (others) => (others.exitCode === 0 ? others.stdout : undefined),
    () => undefined,
  );
  const disk = Promise.all([compared, untracked]).then(
    ([changes, others]) =>
      changes.exitCode === 0 && others.exitCode === 0 ? parseListings(changes.stdout, others.stdout) : undefined,
    () => undefined,
  );
  const location = await locating;
  if (location.exitCode !== 0 && location.exitCode !== 1) return undefined;
  const [indexPath = '', prefix = '', format = '', gitDir = '', top = '', head = '', rest] =
    location.stdout.split('\n');
  if (format !== 'sha1' && format !== 'sha256') return undefined;
  if (!isAbsolute(top) || rest !== (location.exitCode === 0 ? '' : undefined)) return undefined;
  // git would list another folder's files (core.worktree): the inputs are read from the disk instead.
  if (worktreeRedirect(root, top, gitDir)) return undefined;
  const headCommit = location.exitCode === 0 && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(head) ? head : undefined;
  if (location.exitCode === 0 && !headCommit) return undefined;
  tell({ top, head: headCommit, prefix, untrackedListing });
  const index = await (indexPath === guessedIndexPath ? guessedIndex : readIndex(indexPath));
  const indexKey = index ? createHash('sha256').update(index).digest('hex') : '';
  const remembered = indexKey === '' ? undefined : await options.rememberedFacts?.(indexKey, prefix, format);
  const facts = remembered ?? walkIndex(index, prefix, format, undefined);
  let tracked: TrackedFiles | undefined;
  const idLength = format === 'sha1' ? 20 : 32;
  return {
    objectFormat: format,
    prefix,
    indexKey,
    ...facts,
    factsRemembered: remembered !== undefined,
    tracked: () => {
      if (!tracked) {
        const entries: TrackedEntries = { paths: [], modes: [], idAts: [] };
        walkIndex(index, prefix, format, entries);
        const { modes, idAts } = entries;
        tracked = {
          paths: entries.paths,
          material: (at) => {
            const idAt = idAts[at] as number;
            return `${modes[at]} ${index?.toString('hex', idAt, idAt + idLength)}`;
          },
        };
      }
      return tracked;
    },
    disk,
  };
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

/** The index file's bytes; undefined when there is none (no commit, nothing staged yet: every file is untracked). */
async function readIndex(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * `diff-files -z --name-status`: a status letter, then the path (`D` for a file that is gone, `M`, `T` or `U`
 * for one that may differ); `ls-files -z -o`: the untracked, not ignored files (`<dir>/` for a nested repository).
 */
function parseListings(diff: string, others: string): DiskChanges {
  const changes: DiskChanges = { changed: new Set(), removed: new Set(), untracked: [], untrackedRepositories: [] };
  const fields = diff.split('\0');
  for (let at = 0; at + 1 < fields.length; at += 2) {
    const path = fields[at + 1] as string;
    if (fields[at] === 'D') changes.removed.add(path);
    else changes.changed.add(path);
  }
  for (const path of others.split('\0')) {
    if (path === '') continue;
    if (path.endsWith('/')) changes.untrackedRepositories.push(path.slice(0, -1));
    else changes.untracked.push(path);
  }
  return changes;
}

/**
 * The index entries under `prefix` (the config folder), sorted by what git can say of them: the ones git does
 * not compare, and the submodules, always (few, decoded); the ones git may vouch for only when `tracked` is
 * given (all of them, decoded with their ids: the costly part, skipped when a memo answers).
 */
/** Paths, modes and where the ids are: no string per id until one is hashed (50,000 would cost in GC). */
interface TrackedEntries {
  paths: string[];
  modes: string[];
  idAts: number[];
}

function walkIndex(
  index: Buffer | undefined,
  prefix: string,
  format: ObjectFormat,
  tracked: TrackedEntries | undefined,
): IndexFacts {
  const found: IndexFacts = { uncompared: [], trackedRepositories: [] };
  if (!index) return found;
  const prefixBytes = Buffer.from(prefix, 'utf8');
  const prefixLength = prefixBytes.length;
  let previousUnmerged = '';
  visitGitIndex(index, format, (entry) => {
    if (
      prefixLength > 0 &&
      (entry.nameEnd - entry.nameAt < prefixLength ||
        entry.nameBytes.compare(prefixBytes, 0, prefixLength, entry.nameAt, entry.nameAt + prefixLength) !== 0)
    ) {
      return;
    }
    if (entry.mode === '160000') found.trackedRepositories.push(entry.path.slice(prefix.length));
    else if (!gitComparedIt(entry)) {
      const path = entry.path.slice(prefix.length);
      // An unmerged path has up to three entries, one after the other.
      if (entry.stage !== 0 && path === previousUnmerged) return;
      if (entry.stage !== 0) previousUnmerged = path;
      found.uncompared.push(path);
    } else if (tracked) {
      tracked.paths.push(prefixLength > 0 ? entry.path.slice(prefix.length) : entry.path);
      tracked.modes.push(entry.mode);
      tracked.idAts.push(entry.idAt);
    }
  });
  return found;
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
