import { runGitChecked } from './git.ts';

/**
 * Make the working tree and index of `repoRoot` exactly the tree of `commit` (files added since are
 * removed), leaving HEAD where it is: the next commit records the return to that state.
 */
export async function restoreTree(repoRoot: string, commit: string): Promise<void> {
  await runGitChecked(repoRoot, ['restore', `--source=${commit}`, '--staged', '--worktree', '--', ':/']);
  await runGitChecked(repoRoot, ['clean', '-fdq', '--', ':/']);
}
