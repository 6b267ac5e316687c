import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runGitChecked } from '../workspace/git.ts';
import { readFilesAtRef } from '../workspace/refs.ts';

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
 * Every file that differs from `baseCommit` in the working tree of `repoRoot`, committed or not, tracked
 * or untracked (ignored files excepted), sorted by path. Only names: an empty list costs two git calls.
 */
export async function changedPaths(repoRoot: string, baseCommit: string): Promise<ChangedPath[]> {
  // diff-index without --cached compares the base tree with the working tree: commits, staged and unstaged
  // edits alike. Untracked files come from ls-files. Renames are left unpaired: the rules match tests by
  // content across files, so a moved test is found wherever it went.
  const [tracked, untracked] = await Promise.all([
    runGitChecked(repoRoot, ['diff-index', '-z', '--name-status', '--no-renames', baseCommit]),
    runGitChecked(repoRoot, ['ls-files', '-z', '--others', '--exclude-standard', '--full-name']),
  ]);
  const statuses = new Map<string, ChangeStatus>();
  const tokens = tracked.split('\0');
  for (let index = 0; index + 1 < tokens.length; index += 2) {
    const path = tokens[index + 1];
    if (path) statuses.set(path, statusOfLetter[tokens[index] ?? ''] ?? 'modified');
  }
  for (const path of untracked.split('\0')) if (path) statuses.set(path, 'added');
  return [...statuses.keys()].sort().map((path) => ({ path, status: statuses.get(path) ?? 'modified' }));
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
