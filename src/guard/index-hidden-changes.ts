import { lstatSync, type Stats } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { blobMaterial, type ObjectFormat } from '../gates/cache/git-blob-id.ts';
import { visitGitIndex } from '../gates/cache/git-index.ts';
import { readRegularFileSync } from '../gates/cache/read-regular-file.ts';
import { runGit } from '../workspace/git.ts';

/** A tracked file that differs on disk from the index's record (a `ChangedPath` of changed-files.ts). */
export interface HiddenChange {
  path: string;
  status: 'modified' | 'deleted';
}

/** A tracked file whose disk state git does not look at, and what the index says it holds. */
interface Unlooked {
  path: string;
  /** `<mode> <id>` as the index records it. */
  recorded: string;
  /** skip-worktree: absent on disk is how sparse checkout leaves a file out, not a deletion. */
  skipWorktree: boolean;
}

/**
 * Tracked files that differ on disk from what the index says, where `git diff-index` takes the index's word
 * without looking: the `assume-unchanged` and `skip-worktree` bits an agent sets with `git update-index`,
 * and entries whose recorded ctime is not their mtime (a rewrite in the second git recorded, the mtime set
 * back, passes git's stat check). Each is hashed here, raw bytes, no filter. Read from the index file, with
 * no git call, unless the index is one this reader does not take whole (split, sparse): `ls-files -v` then.
 * In a worktree whose index no entry hides, nothing is read but the index.
 */
export async function indexHiddenChanges(repoRoot: string): Promise<HiddenChange[]> {
  const unlooked = (await unlookedFromIndexFile(repoRoot)) ?? (await unlookedFromGit(repoRoot));
  const changes = await Promise.all(
    unlooked.map(async ({ path, recorded, skipWorktree }): Promise<HiddenChange | undefined> => {
      const format: ObjectFormat = recorded.length > 47 ? 'sha256' : 'sha1';
      const onDisk = await blobMaterial(join(repoRoot, path), format);
      if (onDisk === recorded) return undefined;
      if (onDisk === undefined) return skipWorktree ? undefined : { path, status: 'deleted' };
      return { path, status: 'modified' };
    }),
  );
  return changes.filter((change): change is HiddenChange => change !== undefined);
}

/**
 * Read at once, not through the thread pool: the caller has started its git calls, and the main thread only
 * waits for them; each asynchronous step (lstat, open, stat, read, close) would instead wait its turn behind
 * their output and land after git's answer, on every guard and Stop hook.
 */
async function unlookedFromIndexFile(repoRoot: string): Promise<Unlooked[] | undefined> {
  const gitDir = gitDirOf(repoRoot);
  if (!gitDir) return undefined;
  const data = readRegularFileSync(join(gitDir, 'index'));
  if (!data) return undefined;
  const config = readRegularFileSync(join(gitDir, 'config'))?.toString('utf8') ?? '';
  const format: ObjectFormat = /objectformat\s*=\s*sha256/i.test(config) ? 'sha256' : 'sha1';
  const idLength = format === 'sha1' ? 20 : 32;
  const found: Unlooked[] = [];
  try {
    visitGitIndex(data, format, (entry) => {
      if (entry.mode === '160000' || entry.intentToAdd) return;
      if (entry.stage === 0 && !entry.assumeUnchanged && !entry.skipWorktree && entry.ctimeIsMtime) return;
      found.push({
        path: entry.path,
        recorded: `${entry.mode} ${data.toString('hex', entry.idAt, entry.idAt + idLength)}`,
        skipWorktree: entry.skipWorktree,
      });
    });
  } catch {
    return undefined; // a split or sparse index, another version: git reads it
  }
  return found;
}

/** git's own list of the entries with a hiding bit (`ls-files -v` tags them), with their recorded ids. */
async function unlookedFromGit(repoRoot: string): Promise<Unlooked[]> {
  const listed = await runGit(repoRoot, ['ls-files', '-z', '-v', '--stage']);
  if (listed.exitCode !== 0) return [];
  const found: Unlooked[] = [];
  // `<tag> <mode> <id> <stage>\t<path>`: a lower-case tag is assume-unchanged, `S` skip-worktree.
  for (const record of listed.stdout.split('\0')) {
    const match = /^(\S) (\d{6}) ([0-9a-f]+) (\d)\t([\s\S]+)$/.exec(record);
    if (!match) continue;
    const [, tag = '', mode = '', id = '', stage = '', path = ''] = match;
    const skipWorktree = tag.toUpperCase() === 'S';
    if (mode === '160000' || (stage === '0' && tag === tag.toUpperCase() && !skipWorktree)) continue;
    found.push({ path, recorded: `${mode} ${id}`, skipWorktree });
  }
  return found;
}

/** `<top>/.git`, or the folder a `.git` file names (a linked worktree, a submodule). */
function gitDirOf(repoRoot: string): string | undefined {
  const dotGit = join(repoRoot, '.git');
  let info: Stats | undefined;
  try {
    info = lstatSync(dotGit);
  } catch {
    return undefined;
  }
  if (info.isDirectory()) return dotGit;
  if (!info.isFile()) return undefined;
  const named = /^gitdir: (.+)$/m.exec(readRegularFileSync(dotGit)?.toString('utf8') ?? '')?.[1]?.trim();
  if (!named) return undefined;
  return isAbsolute(named) ? named : join(repoRoot, named);
}
