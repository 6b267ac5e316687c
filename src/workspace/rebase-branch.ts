import { identityArgs } from './commits.ts';
import { gitFailure, runGit, runGitChecked } from './git.ts';
import { resolveCommit } from './refs.ts';

/** A rebase that went through (`head` is the branch's new tip), or one that conflicted and was undone. */
export type RebaseOutcome = { status: 'rebased'; head: string } | { status: 'conflict'; files: string[] };

// Replaying many commits of a big change can take a while; most git calls get the shorter default.
const REBASE_TIMEOUT_MS = 300_000;

/**
 * Rebase the branch checked out in `worktreePath` onto `upstream`. On a conflict the rebase is aborted,
 * so the branch and the worktree are exactly as they were, and the conflicting files are named.
 */
export async function rebaseWorktree(worktreePath: string, upstream: string): Promise<RebaseOutcome> {
  const identity = await identityArgs(worktreePath);
  // --no-verify skips the user's pre-rebase hook and no signing prompt can wait for a human: this is an
  // unattended step whose result the gates judge. No autostash: the worktree is clean by contract.
  const result = await runGit(
    worktreePath,
    [
      ...identity,
      '-c',
      'commit.gpgSign=false',
      'rebase',
      '--no-verify',
      '--no-autostash',
      '--no-autosquash',
      '--no-update-refs',
      upstream,
    ],
    { timeoutMs: REBASE_TIMEOUT_MS },
  );
  if (result.exitCode === 0) return { status: 'rebased', head: await resolveCommit(worktreePath, 'HEAD') };
  const unmerged = await runGit(worktreePath, ['diff', '--name-only', '--diff-filter=U', '-z']);
  const files = unmerged.stdout.split('\0').filter((path) => path !== '');
  await runGit(worktreePath, ['rebase', '--abort']);
  if (files.length === 0) throw gitFailure(worktreePath, result, `Could not rebase onto ${upstream}`);
  return { status: 'conflict', files };
}

/** Whether two commits hold the same tree: a change that is already upstream adds nothing. */
export async function sameTree(repoRoot: string, first: string, second: string): Promise<boolean> {
  const trees = await runGitChecked(repoRoot, ['rev-parse', `${first}^{tree}`, `${second}^{tree}`]);
  const [one, two] = trees.trim().split('\n');
  return one === two;
}

/**
 * Put the branch checked out in `worktreePath` back on `commit` (the head a reviewer was shown), after a
 * rebase whose result nobody decided on. The rebased commits are a replay of the same change: nothing is
 * lost, and untracked files stay.
 */
export async function restoreBranchHead(worktreePath: string, commit: string): Promise<void> {
  await runGitChecked(worktreePath, ['reset', '--quiet', '--hard', commit]);
}
