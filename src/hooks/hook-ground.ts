import { GitError, GitErrorCodes } from '../workspace/git-error.ts';
import { isGitRepo, resolveCommit } from '../workspace/refs.ts';
import { repoRootOf } from '../workspace/repo-root.ts';

/**
 * Why the agent hooks cannot guard or judge work in `dir`, or undefined when they can. Outside git, or
 * in a repository with no commit yet, there is no base to measure a change from: the hooks let the agent
 * work and say so once per call, instead of failing (which Claude Code reads as "deny every tool call").
 */
export async function hookGroundMissing(dir: string): Promise<string | undefined> {
  if (!(await isGitRepo(dir))) {
    return `${dir} is not inside a git repository, so there is no commit to measure the agent's change from; Sluice guards nothing here (git init and commit to turn it on)`;
  }
  const repoRoot = await repoRootOf(dir);
  try {
    await resolveCommit(repoRoot, 'HEAD');
    return undefined;
  } catch (error) {
    if (!(error instanceof GitError) || error.code !== GitErrorCodes.refNotFound) throw error;
    return `the repository ${repoRoot} has no commit yet, so there is no base to measure the agent's change from; Sluice guards and judges from the first commit (commit your code and sluice.yaml to turn it on)`;
  }
}
