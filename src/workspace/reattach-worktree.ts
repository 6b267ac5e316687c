import { gitFailure, runGit } from './git.ts';
import { pruneWorktrees } from './worktrees.ts';

// Checking out a large repository can take minutes; most git calls get the shorter default.
const CHECKOUT_TIMEOUT_MS = 300_000;

/**
 * Check out an existing branch into a worktree at `path` again, after its folder was removed (a cleanup,
 * a reboot that wiped a temp folder). The branch holds the work; nothing is created from scratch.
 */
export async function reattachWorktree(repoRoot: string, path: string, branch: string): Promise<void> {
  await pruneWorktrees(repoRoot); // a stale registration of the same path would make git refuse
  const result = await runGit(repoRoot, ['worktree', 'add', path, branch], { timeoutMs: CHECKOUT_TIMEOUT_MS });
  if (result.exitCode !== 0) throw gitFailure(repoRoot, result, `Could not check out ${branch} again at ${path}`);
}
