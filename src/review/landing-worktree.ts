import { UsageError } from '../errors.ts';
import { runGitChecked } from '../workspace/git.ts';
import { reattachWorktree } from '../workspace/reattach-worktree.ts';
import { resolveCommit } from '../workspace/refs.ts';
import { worktreeState } from '../workspace/worktree-list.ts';
import type { ReviewTarget } from './review-queue.ts';

/**
 * Make sure the run's worktree can be rebased: there (checked out again from the branch if its folder is
 * gone), on the run's branch, without uncommitted edits to tracked files, and holding exactly the commit
 * the reviewer was shown. Anything else is refused before a single ref moves.
 */
export async function prepareLandingWorktree(target: ReviewTarget): Promise<void> {
  const { run, item } = target;
  const head = await resolveCommit(run.repoRoot, run.branch);
  if (head !== item.headCommit) {
    throw new UsageError(
      `branch ${run.branch} moved since it was queued for review (${item.headCommit.slice(0, 12)} -> ${head.slice(0, 12)}); nothing was landed`,
    );
  }
  const state = await worktreeState(run.worktreePath);
  switch (state.status) {
    case 'missing':
      await reattachWorktree(run.repoRoot, run.worktreePath, run.branch);
      return;
    case 'not-a-worktree':
      throw new UsageError(
        `${run.worktreePath} is no longer the worktree of run ${run.id}: move it away and approve again (branch ${run.branch} keeps the change)`,
      );
    case 'present': {
      if (state.branch !== run.branch) {
        throw new UsageError(
          `the worktree of run ${run.id} (${run.worktreePath}) has ${state.branch ?? 'a detached HEAD'} checked out, not ${run.branch}`,
        );
      }
      // Untracked files (build output, reports) do not stop a rebase unless they are in its way; edits do.
      const edits = await runGitChecked(run.worktreePath, ['status', '--porcelain', '--untracked-files=no']);
      if (edits.trim() !== '') {
        throw new UsageError(
          `the worktree of run ${run.id} (${run.worktreePath}) has uncommitted edits: commit or discard them, then approve again`,
        );
      }
    }
  }
}
