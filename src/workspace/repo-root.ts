import { runGit } from './git.ts';
import { GitError, GitErrorCodes } from './git-error.ts';
import { worktreeRedirect } from './worktree-probe.ts';

/** The top folder of the git working tree that holds `dir`. */
export async function repoRootOf(dir: string): Promise<string> {
  const result = await runGit(dir, ['rev-parse', '--absolute-git-dir', '--show-toplevel']);
  if (result.exitCode === 0) {
    const [gitDir = '', top = ''] = result.stdout.trim().split('\n');
    const redirect = worktreeRedirect(dir, top, gitDir);
    if (redirect === undefined) return top;
    throw new GitError(GitErrorCodes.worktreeRedirected, redirect, { command: result.command, cwd: dir });
  }
  throw new GitError(
    GitErrorCodes.notARepository,
    `${dir} is not inside a git repository: a run needs one for its worktree`,
    {
      command: result.command,
      cwd: dir,
      exitCode: result.exitCode,
      stderr: result.stderr,
    },
  );
}

/** The top folder of the main checkout that `repoRoot` is a linked worktree of (itself when it is the main one). */
export async function mainCheckoutOf(repoRoot: string): Promise<string> {
  const result = await runGit(repoRoot, ['rev-parse', '--path-format=absolute', '--git-common-dir']);
  const commonDir = result.stdout.trim();
  if (result.exitCode !== 0 || !commonDir.endsWith('/.git')) return repoRoot;
  return commonDir.slice(0, -'/.git'.length);
}
