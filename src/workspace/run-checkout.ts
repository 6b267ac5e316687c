import { readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type GitResult, runGit, runGitChecked } from './git.ts';

/**
 * Whether a run's worktree is still the checkout Sluice made, and if not, what is wrong with it. `gitDir`:
 * the worktree's own folder in the repository (where its HEAD and index are), as checked.
 */
export type RunCheckoutCheck = { status: 'intact'; gitDir: string } | { status: 'tampered'; problems: string[] };

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
  // It runs on every iteration: one git call asks where the worktree's git dirs are and which branch HEAD
  // leads to (`--symbolic-full-name` follows HEAD as a commit would; it prints HEAD when detached; `--`,
  // echoed last, keeps a file named HEAD from being taken for it).
  const [commonDir, asked] = await Promise.all([
    expected.commonDir ??
      runGitChecked(expected.repoRoot, ['rev-parse', '--path-format=absolute', '--git-common-dir']).then((out) =>
        out.trim(),
      ),
    runGit(worktreePath, [
      'rev-parse',
      '--path-format=absolute',
      '--git-common-dir',
      '--git-dir',
      '--show-toplevel',
      '--symbolic-full-name',
      'HEAD',
      '--',
    ]),
  ]);
  // HEAD on a branch with no commit fails the call: asked apart, to say what is wrong.
  const [located, head] = asked.exitCode === 0 ? [asked, headLine(asked)] : await askApart(worktreePath);
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
  if (head === undefined) problems.push(`HEAD is detached, not on ${expected.branch}`);
  else if (head !== wanted) problems.push(`HEAD is on ${head}, not on ${wanted}`);
  return problems.length === 0 ? { status: 'intact', gitDir } : { status: 'tampered', problems };
}

/** The ref HEAD leads to, from the combined call's last line; undefined when HEAD is detached. */
function headLine(asked: GitResult): string | undefined {
  const ref = asked.stdout.trim().split('\n')[3];
  return ref === undefined || ref === 'HEAD' ? undefined : ref;
}

/** The two questions of the combined call one by one, when it failed. */
async function askApart(worktreePath: string): Promise<[GitResult, string | undefined]> {
  const [located, head] = await Promise.all([
    runGit(worktreePath, ['rev-parse', '--path-format=absolute', '--git-common-dir', '--git-dir', '--show-toplevel']),
    runGit(worktreePath, ['symbolic-ref', '--quiet', 'HEAD']),
  ]);
  return [located, head.exitCode === 0 ? head.stdout.trim() : undefined];
}

async function canonical(path: string): Promise<string> {
  return realpath(path).catch(() => path);
}
