import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gitFailure, isContention, runGit, runGitChecked } from './git.ts';
import { GitError, GitErrorCodes } from './git-error.ts';
import { resolveCommit } from './refs.ts';
import { findWorktree } from './worktree-list.ts';

export interface CreateRunWorktreeOptions {
  repoRoot: string;
  runId: string;
  /** Branch, tag or sha the run starts from; resolved once, so later moves of the ref do not matter. */
  baseRef: string;
  /** Folder that holds one worktree per run; see `defaultWorktreesDir`. */
  worktreesDir: string;
  timeoutMs?: number;
}

export interface RunWorktree {
  path: string;
  branch: string;
  baseCommit: string;
}

const CONTENTION_RETRIES = 8;
const CONTENTION_BACKOFF_MS = 40;
// Checking out a large repository can take minutes; most git calls get the shorter default.
const CHECKOUT_TIMEOUT_MS = 300_000;

/**
 * `<parent of repo>/.sluice-worktrees/<repo name>`: beside the repository, never inside it, so tools that
 * scan the repository (test runners, linters, file watchers, the gate cache) do not see the runs' copies.
 */
export function defaultWorktreesDir(repoRoot: string): string {
  const root = resolve(repoRoot);
  return join(dirname(root), '.sluice-worktrees', basename(root));
}

/** The branch a run works on. */
export function runBranch(runId: string): string {
  return `sluice/${runId}`;
}

/** Check out `baseRef` into a new worktree on a new branch `sluice/<runId>`; safe to call for many runs at once. */
export async function createRunWorktree(options: CreateRunWorktreeOptions): Promise<RunWorktree> {
  const { repoRoot, runId } = options;
  assertRunId(repoRoot, runId);
  const baseCommit = await resolveCommit(repoRoot, options.baseRef);
  const branch = runBranch(runId);
  const path = resolve(options.worktreesDir, runId);
  const existing = await branchCommit(repoRoot, branch);
  if (existing !== null) {
    throw new GitError(GitErrorCodes.branchExists, `Branch ${branch} already exists (at ${existing})`, {
      command: `git worktree add -b ${branch} ${path} ${baseCommit}`,
      cwd: repoRoot,
    });
  }
  await mkdir(resolve(options.worktreesDir), { recursive: true });
  for (let attempt = 1; ; attempt++) {
    // git creates the branch before it checks out the worktree, so a failed attempt can leave the branch.
    const reuseBranch = attempt > 1 && (await branchCommit(repoRoot, branch)) === baseCommit;
    const args = reuseBranch ? ['worktree', 'add', path, branch] : ['worktree', 'add', '-b', branch, path, baseCommit];
    const result = await runGit(repoRoot, args, { timeoutMs: options.timeoutMs ?? CHECKOUT_TIMEOUT_MS });
    if (result.exitCode === 0) return { path, branch, baseCommit };
    // Runs starting together race for lock files, and git reads the other worktrees' half-written admin
    // folders (`failed to read .git/worktrees/<x>/commondir`): wait a little and try again.
    if (attempt < CONTENTION_RETRIES && isContention(result.stderr)) {
      await sleep(CONTENTION_BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + Math.random()));
      continue;
    }
    if ((await branchCommit(repoRoot, branch)) === baseCommit) {
      await runGit(repoRoot, ['branch', '--delete', '--force', branch]); // ours, and it holds no work yet
    }
    throw gitFailure(repoRoot, result, `Could not create the worktree of run ${runId} at ${path}`);
  }
}

// A run id becomes a path segment and a ref name: keep it to characters that are safe in both.
function assertRunId(repoRoot: string, runId: string): void {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(runId) && !runId.includes('..') && !runId.endsWith('.lock')) return;
  throw new GitError(GitErrorCodes.invalidName, `Run id '${runId}' cannot name a branch and a folder`, {
    command: 'git worktree add',
    cwd: repoRoot,
  });
}

async function branchCommit(repoRoot: string, branch: string): Promise<string | null> {
  const result = await runGit(repoRoot, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

export interface RemoveWorktreeOptions {
  /** Keep the run's branch and its commits (the default): work is never lost by cleaning up. */
  keepBranch?: boolean;
  /** Remove even with uncommitted changes or untracked files in the worktree, which are then lost. */
  force?: boolean;
}

export interface RemovedWorktree {
  /** False when no worktree was registered at that path. */
  removed: boolean;
  /** The branch the worktree had checked out, kept unless `keepBranch: false`. */
  branch: string | null;
}

/** Remove a run's worktree folder and its registration; its branch stays unless told otherwise. */
export async function removeWorktree(
  repoRoot: string,
  path: string,
  options: RemoveWorktreeOptions = {},
): Promise<RemovedWorktree> {
  const entry = await findWorktree(repoRoot, path);
  if (!entry) {
    await pruneWorktrees(repoRoot);
    return { removed: false, branch: null };
  }
  if (entry.prunable) {
    await pruneWorktrees(repoRoot); // the folder is already gone; drop the stale registration
  } else {
    await runGitChecked(repoRoot, ['worktree', 'remove', ...(options.force ? ['--force'] : []), entry.path]);
  }
  if (options.keepBranch === false && entry.branch) {
    await runGitChecked(repoRoot, ['branch', '--delete', '--force', entry.branch]);
  }
  return { removed: true, branch: entry.branch };
}

/** Forget worktrees whose folders were deleted by hand (or by a crash before cleanup). */
export async function pruneWorktrees(repoRoot: string): Promise<void> {
  await runGitChecked(repoRoot, ['worktree', 'prune']);
}
