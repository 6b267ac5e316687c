import { readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runGit, runGitChecked } from './git.ts';

/** Whether a run's worktree is still the checkout Sluice made, and if not, what is wrong with it. */
export type RunCheckoutCheck = { status: 'intact' } | { status: 'tampered'; problems: string[] };

/**
 * Check that git, asked in `worktreePath`, still acts on the run's own branch of the repository at
 * `repoRoot`. An agent can point its worktree's `.git` file at the user's git dir or another run's, or
 * move HEAD to another branch (`git symbolic-ref HEAD refs/heads/main`): Sluice's next commit of the turn
 * would then land there, unreviewed. Call it before committing a turn; it runs no hook and changes nothing.
 */
export async function checkRunCheckout(
  worktreePath: string,
  expected: {
    repoRoot: string;
    branch: string;
    /** The repository's git common dir as recorded when the run began; asked of `repoRoot` when absent. */
    commonDir?: string;
  },
): Promise<RunCheckoutCheck> {
  // Both questions to the worktree at once: they run on every iteration.
  const [commonDir, located, head] = await Promise.all([
    expected.commonDir ??
      runGitChecked(expected.repoRoot, ['rev-parse', '--path-format=absolute', '--git-common-dir']).then((out) =>
        out.trim(),
      ),
    runGit(worktreePath, ['rev-parse', '--path-format=absolute', '--git-common-dir', '--git-dir', '--show-toplevel']),
    runGit(worktreePath, ['symbolic-ref', '--quiet', 'HEAD']),
  ]);
  const [actualCommon, gitDir, top] = located.stdout.trim().split('\n');
  if (located.exitCode !== 0 || !actualCommon || !gitDir || !top) {
    return { status: 'tampered', problems: [`${worktreePath} is no longer a git worktree`] };
  }
  const problems: string[] = [];
  const worktree = await realpath(worktreePath);
  if ((await canonical(actualCommon)) !== (await canonical(commonDir))) {
    problems.push(`its git dir belongs to another repository (${actualCommon})`);
  }
  // git's own two-way link: the worktree's .git names an admin folder under worktrees/, whose gitdir file
  // names this worktree's .git back. Pointing .git at another run's admin folder breaks the second half.
  const linkedBack = await readFile(join(gitDir, 'gitdir'), 'utf8').then(
    (text) => canonical(text.trim()),
    () => null,
  );
  const adminParent = await canonical(dirname(gitDir));
  if (adminParent !== (await canonical(join(commonDir, 'worktrees'))) || linkedBack !== join(worktree, '.git')) {
    problems.push(`its .git leads to ${gitDir}, which is not this worktree's own folder in the repository`);
  }
  if ((await canonical(top)) !== worktree) problems.push(`git works on ${top} from there, not on the worktree`);
  const wanted = `refs/heads/${expected.branch}`;
  if (head.exitCode !== 0) problems.push(`HEAD is detached, not on ${expected.branch}`);
  else if (head.stdout.trim() !== wanted) problems.push(`HEAD is on ${head.stdout.trim()}, not on ${wanted}`);
  return problems.length === 0 ? { status: 'intact' } : { status: 'tampered', problems };
}

async function canonical(path: string): Promise<string> {
  return realpath(path).catch(() => path);
}
