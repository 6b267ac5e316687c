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

/**
 * Every file that differs from `baseCommit` in the working tree of `repoRoot`, committed or not, tracked
 * or untracked (ignored files excepted). Both contents are read for the paths `read` accepts.
 */
export async function changedFiles(
  repoRoot: string,
  baseCommit: string,
  read: (path: string) => boolean,
): Promise<ChangedFile[]> {
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
  const paths = [...statuses.keys()].sort();
  const wanted = paths.filter((path) => read(path));
  const atBase = await readFilesAtRef(
    repoRoot,
    baseCommit,
    wanted.filter((path) => statuses.get(path) !== 'added'),
  );
  const inTree = new Map(
    await Promise.all(
      wanted
        .filter((path) => statuses.get(path) !== 'deleted')
        .map(async (path) => [path, await readFile(join(repoRoot, path), 'utf8').catch(() => undefined)] as const),
    ),
  );
  return paths.map((path) => ({
    path,
    status: statuses.get(path) ?? 'modified',
    before: atBase.get(path),
    after: inTree.get(path),
  }));
}
