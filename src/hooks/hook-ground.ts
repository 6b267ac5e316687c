import { runGit } from '../workspace/git.ts';
import { GitError, GitErrorCodes } from '../workspace/git-error.ts';
import { isGitRepo, resolveCommit } from '../workspace/refs.ts';
import { repoRootOf } from '../workspace/repo-root.ts';
import { worktreeRedirect } from '../workspace/worktree-probe.ts';

/** Where the hooks stand in a folder: its repository's top folder and HEAD commit, or why they cannot judge there. */
export type HookGround = { repoRoot: string; head: string } | { missing: string };

/**
 * Whether the agent hooks can guard or judge work in `dir`. Outside git, or in a repository with no commit
 * yet, there is no base to measure a change from: the hooks let the agent work and say so once per call,
 * instead of failing (which Claude Code reads as "deny every tool call"). One git call when the ground is
 * there (every hook call pays for each git process it starts); the reason is worked out only when it is not.
 */
export async function hookGround(dir: string): Promise<HookGround> {
  const both = await runGit(dir, [
    'rev-parse',
    '--absolute-git-dir',
    '--show-toplevel',
    '--verify',
    '--quiet',
    'HEAD^{commit}',
  ]);
  const [gitDir, repoRoot, head, rest] = both.stdout.split('\n');
  const plain = both.exitCode === 0 && gitDir && repoRoot && head && /^[0-9a-f]{40,64}$/.test(head) && !rest;
  if (plain) {
    // git works on another folder (core.worktree): repoRootOf refuses it, with why.
    if (worktreeRedirect(dir, repoRoot, gitDir)) await repoRootOf(dir);
    return { repoRoot, head };
  }
  const missing = await groundMissing(dir);
  if (missing) return { missing };
  // Not expected (git answered the long way but not the short one): the long way's answer stands.
  const root = await repoRootOf(dir);
  return { repoRoot: root, head: await resolveCommit(root, 'HEAD') };
}

async function groundMissing(dir: string): Promise<string | undefined> {
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
