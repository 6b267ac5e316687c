import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runGitChecked } from '../workspace/git.ts';
import { readFileAtRef } from '../workspace/refs.ts';

/** A file that differs between the base commit and the working tree, with both contents. */
export interface ChangedFile {
  path: string;
  /** Content at the base; undefined when the file is new. */
  before: string | undefined;
  /** Content in the working tree; undefined when the file is gone. */
  after: string | undefined;
}

/**
 * Every file that differs from `baseCommit` in the working tree of `repoRoot`, committed or not, tracked
 * or untracked (ignored files excepted), restricted to the paths `wanted` accepts.
 */
export async function changedFiles(
  repoRoot: string,
  baseCommit: string,
  wanted: (path: string) => boolean,
): Promise<ChangedFile[]> {
  // diff-index without --cached compares the base tree with the working tree: commits, staged and unstaged
  // edits alike. Untracked files come from ls-files. Renames are left unpaired: the rules match tests by
  // content across files, so a moved test is found wherever it went.
  const [tracked, untracked] = await Promise.all([
    runGitChecked(repoRoot, ['diff-index', '-z', '--name-status', '--no-renames', baseCommit]),
    runGitChecked(repoRoot, ['ls-files', '-z', '--others', '--exclude-standard', '--full-name']),
  ]);
  const paths = new Set<string>();
  const tokens = tracked.split('\0');
  for (let index = 0; index + 1 < tokens.length; index += 2) {
    const path = tokens[index + 1];
    if (path) paths.add(path);
  }
  for (const path of untracked.split('\0')) if (path) paths.add(path);
  const selected = [...paths].filter(wanted).sort();
  return Promise.all(
    selected.map(async (path) => ({
      path,
      before: await readFileAtRef(repoRoot, baseCommit, path),
      after: await readFile(join(repoRoot, path), 'utf8').catch(() => undefined),
    })),
  );
}
