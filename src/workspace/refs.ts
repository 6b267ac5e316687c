import { stat } from 'node:fs/promises';
import { formatGitCommand, runGit, runGitChecked } from './git.ts';
import { GitError, GitErrorCodes } from './git-error.ts';

/** The full commit sha `ref` names (a branch, tag, sha or expression such as `HEAD~1`); a `GitError` naming it if none. */
export async function resolveCommit(repoRoot: string, ref: string): Promise<string> {
  const args = ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`];
  // A ref that starts with '-' would be read as an option; no branch or tag can start with one.
  if (ref === '' || ref.startsWith('-')) throw refNotFound(repoRoot, ref, formatGitCommand(args), '');
  const result = await runGit(repoRoot, args);
  if (result.exitCode === 0) return result.stdout.trim();
  if (await isGitRepo(repoRoot)) throw refNotFound(repoRoot, ref, result.command, result.stderr);
  throw new GitError(GitErrorCodes.notARepository, `${repoRoot} is not a git repository`, {
    command: result.command,
    cwd: repoRoot,
    exitCode: result.exitCode,
    stderr: result.stderr,
  });
}

function refNotFound(repoRoot: string, ref: string, command: string, stderr: string): GitError {
  return new GitError(GitErrorCodes.refNotFound, `Ref '${ref}' does not name a commit in ${repoRoot}`, {
    command,
    cwd: repoRoot,
    stderr,
  });
}

/** The short name of the branch checked out in `repoRoot`, or null on a detached HEAD. */
export async function currentBranch(repoRoot: string): Promise<string | null> {
  const result = await runGit(repoRoot, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  if (result.exitCode === 0) return result.stdout.trim();
  if (result.exitCode === 1) return null;
  throw new GitError(GitErrorCodes.notARepository, `Cannot read the current branch of ${repoRoot}`, {
    command: result.command,
    cwd: repoRoot,
    exitCode: result.exitCode,
    stderr: result.stderr,
  });
}

/** Whether `dir` exists and lies inside a git working tree. */
export async function isGitRepo(dir: string): Promise<boolean> {
  const isDirectory = await stat(dir).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!isDirectory) return false;
  const result = await runGit(dir, ['rev-parse', '--is-inside-work-tree']);
  return result.exitCode === 0 && result.stdout.trim() === 'true';
}

/**
 * The content of `path` (relative to the repository root) as committed at `ref`, decoded as UTF-8, or
 * undefined when no file is there. The loop reads sluice.yaml this way, from the trusted base and never from the agent's worktree.
 */
export async function readFileAtRef(repoRoot: string, ref: string, path: string): Promise<string | undefined> {
  const commit = await resolveCommit(repoRoot, ref);
  const relative = path.replace(/^(\.\/)+/, '');
  // `<commit>:<path>` is resolved from the repository root whatever the cwd; batch-check answers
  // "missing" instead of failing, and tells a file (blob) from a folder (tree).
  if (relative.includes('\n')) return undefined;
  const check = await runGitChecked(repoRoot, ['cat-file', '--batch-check'], { input: `${commit}:${relative}\n` });
  const [sha, type] = check.trim().split(' ');
  if (type !== 'blob' || sha === undefined) return undefined;
  return runGitChecked(repoRoot, ['cat-file', 'blob', sha]);
}
