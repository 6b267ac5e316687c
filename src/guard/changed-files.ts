import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runGitChecked } from '../workspace/git.ts';
import { readFilesAtRef } from '../workspace/refs.ts';
import { indexHiddenChanges } from './index-hidden-changes.ts';

export const ChangeStatuses = { added: 'added', modified: 'modified', deleted: 'deleted' } as const;
export type ChangeStatus = (typeof ChangeStatuses)[keyof typeof ChangeStatuses];

/** A file that differs between the base commit and the working tree. */
export interface ChangedFile {
  path: string;
  status: ChangeStatus;
  /** Content at the base: undefined when the file is new, or when no rule reads this file. */
  before: string | undefined;
  /** Content in the working tree: undefined when the file is gone, or when no rule reads this file. */
  after: string | undefined;
}

const statusOfLetter: Record<string, ChangeStatus> = { A: 'added', D: 'deleted' };

/** A path that differs between the base commit and the working tree, before any content is read. */
export interface ChangedPath {
  path: string;
  status: ChangeStatus;
}

/**
 * Every file that differs from `base` (a commit, or a ref naming one) in the working tree of `repoRoot`,
 * committed or not, tracked or untracked (ignored files excepted), sorted by path; tracked files git does not
 * compare with the disk (index bits) by their real bytes. Only names: an empty list costs two git calls,
 * made at the same time, and a read of the index file.
 */
export async function changedPaths(
  repoRoot: string,
  base: string,
  /**
   * What `ls-files -z --others --exclude-standard` printed at the top of the work tree, when a caller has it
   * or will have it (a promise of undefined: it could not, so it is asked here).
   */
  untrackedListing?: string | Promise<string | undefined>,
): Promise<ChangedPath[]> {
  // diff-index without --cached compares the base tree with the working tree: commits, staged and unstaged
  // edits alike. Untracked files come from ls-files. Renames are left unpaired: the rules match tests by
  // content across files, so a moved test is found wherever it went.
  // The tracked files whose bytes git takes the index's word for (assume-unchanged, skip-worktree, a stat
  // check fooled) are hashed from the index file meanwhile: diff-index would call them unchanged.
  // Both git calls start before the index is read (on this thread: see index-hidden-changes.ts).
  const listUntracked = () =>
    runGitChecked(repoRoot, ['ls-files', '-z', '--others', '--exclude-standard', '--full-name']);
  const [tracked, untracked, hidden] = await Promise.all([
    runGitChecked(repoRoot, ['diff-index', '-z', '--no-renames', base]),
    untrackedListing === undefined
      ? listUntracked()
      : Promise.resolve(untrackedListing).then((listed) => listed ?? listUntracked()),
    indexHiddenChanges(repoRoot),
  ]);
  const statuses = new Map<string, ChangeStatus>();
  const unhashed: Array<{ path: string; baseId: string }> = [];
  // Raw records: `:<base mode> <tree mode> <base id> <tree id> <letter>` NUL `<path>` NUL.
  const tokens = tracked.split('\0');
  for (let index = 0; index + 1 < tokens.length; index += 2) {
    const path = tokens[index + 1];
    const [baseMode, treeMode, baseId = '', treeId = '', letter = ''] = (tokens[index] ?? '').slice(1).split(' ');
    if (!path) continue;
    statuses.set(path, statusOfLetter[letter] ?? 'modified');
    // A file git did not read (its stat data changed since the index) may hold the base's bytes still.
    // (`hash-object --stdin-paths` reads a path per line: a name with a newline in it stays listed.)
    if (
      letter === 'M' &&
      baseMode === treeMode &&
      baseMode?.startsWith('100') &&
      /^0+$/.test(treeId) &&
      !path.includes('\n')
    ) {
      unhashed.push({ path, baseId });
    }
  }
  for (const { path } of await unchangedContent(repoRoot, unhashed)) statuses.delete(path);
  for (const path of untracked.split('\0')) if (path) statuses.set(path, 'added');
  for (const { path, status } of hidden) if (!statuses.has(path)) statuses.set(path, status);
  return [...statuses.keys()].sort().map((path) => ({ path, status: statuses.get(path) ?? 'modified' }));
}

/**
 * Those of `files` whose bytes in the working tree are exactly the base's blob: touched, checked out
 * again, rewritten with the same bytes. diff-index lists such a file without reading it; `git diff` would
 * read it, then write the refreshed index, which a guard must not do. No filter runs (`--no-filters`): a
 * clean filter is a program the repository's config names, which an agent can set to print the base's
 * bytes for any file; a file stored through one (git-lfs, line endings) stays listed, as before. One
 * `hash-object` for all; none when the list is empty.
 */
async function unchangedContent(
  repoRoot: string,
  files: ReadonlyArray<{ path: string; baseId: string }>,
): Promise<Array<{ path: string; baseId: string }>> {
  if (files.length === 0) return [];
  const ids = (
    await runGitChecked(repoRoot, ['hash-object', '--no-filters', '--stdin-paths'], {
      input: files.map(({ path }) => `${path}\n`).join(''),
    })
  ).split('\n');
  return files.filter(({ baseId }, index) => ids[index] === baseId);
}

/** Both contents of the changed paths that `read` accepts (at the base, and in the working tree). */
export async function readChanges(
  repoRoot: string,
  baseCommit: string,
  paths: readonly ChangedPath[],
  read: (path: string) => boolean,
): Promise<ChangedFile[]> {
  const wanted = paths.filter(({ path }) => read(path));
  const atBase = await readFilesAtRef(
    repoRoot,
    baseCommit,
    wanted.filter(({ status }) => status !== 'added').map(({ path }) => path),
  );
  const inTree = new Map(
    await Promise.all(
      wanted
        .filter(({ status }) => status !== 'deleted')
        .map(async ({ path }) => [path, await readFile(join(repoRoot, path), 'utf8').catch(() => undefined)] as const),
    ),
  );
  return paths.map(({ path, status }) => ({ path, status, before: atBase.get(path), after: inTree.get(path) }));
}
