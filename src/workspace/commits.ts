import { constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DiffStats, stagedDiffStats } from './diff-stats.ts';
import { runGit, runGitChecked } from './git.ts';
import { type ClearedIndexBits, clearHidingIndexBits, type WorktreeIndex } from './index-bits.ts';

/** The identity Sluice commits under when the repository has none configured. */
export const SLUICE_IDENTITY = { name: 'Sluice', email: 'sluice@localhost' } as const;

export interface TurnCommit {
  /** The new commit's sha, or null when the turn changed nothing (no empty commits are made). */
  commit: string | null;
  /** The turn's change against the previous commit. */
  diff: DiffStats;
  /**
   * Tracked paths whose assume-unchanged or skip-worktree bit was set (by the agent: Sluice never sets
   * one) and was cleared so the commit holds what is on disk; absent when there were none.
   */
  clearedIndexBits?: ClearedIndexBits[];
}

export interface CommitTurnOptions {
  /**
   * The `-c user.*` arguments of `identityArgs`, when the caller already asked (a run asks once, not on
   * every turn); asked of the repository when absent.
   */
  identity?: readonly string[];
  /**
   * The branch HEAD leads to, as the caller checked just before with nothing run in the worktree since
   * (`checkRunCheckout`): the new commit is read from its loose ref file instead of asking git.
   */
  branch?: { commonDir: string; name: string };
  /** The worktree's index file, read for hiding bits instead of listing it with git. */
  index?: WorktreeIndex;
}

/** Stage everything the agent changed in the worktree (new, modified, deleted; not ignored) and commit it. */
export async function commitTurn(
  worktreePath: string,
  message: string,
  options: CommitTurnOptions = {},
): Promise<TurnCommit> {
  // Index bits that hide an edit from `add -A` would make the commit differ from the tree the agent left.
  const cleared = await clearHidingIndexBits(worktreePath, options.index);
  const reported = cleared.length > 0 ? { clearedIndexBits: cleared } : {};
  const [, identity] = await Promise.all([
    runGitChecked(worktreePath, ['add', '-A']),
    options.identity ?? identityArgs(worktreePath),
  ]);
  // The index against HEAD is exactly the diff of the commit about to be made; empty means nothing to commit.
  const diff = await stagedDiffStats(worktreePath);
  if (diff.filesChanged === 0) return { commit: null, diff, ...reported };
  // --no-verify: these are Sluice's checkpoint commits of the agent's turns, and Sluice runs the gates
  // itself; the user's pre-commit/commit-msg hooks could block, rewrite or stall an unattended loop.
  // --no-gpg-sign for the same reason: a signing prompt would wait for a human who is not there.
  // (runGit's HARDENING_CONFIG keeps every other hook, prepare-commit-msg and post-commit included, from running.)
  await runGitChecked(worktreePath, [...identity, 'commit', '--quiet', '--no-verify', '--no-gpg-sign', '--file=-'], {
    input: message.trim() === '' ? 'Sluice: agent turn' : message,
  });
  const commit =
    (options.branch && (await looseBranchCommit(options.branch))) ??
    (await runGitChecked(worktreePath, ['rev-parse', 'HEAD'])).trim();
  return { commit, diff, ...reported };
}

/**
 * The commit a branch's loose ref file names, or undefined when there is none to read. git's files
 * backend writes the loose file on every update of a ref, so right after a commit it holds the new one;
 * a packed ref (gc packed it since), the reftable backend (`refs/heads` is a file there) or a planted
 * symbolic link leave none, and git is asked instead.
 */
async function looseBranchCommit(branch: { commonDir: string; name: string }): Promise<string | undefined> {
  const text = await readFile(join(branch.commonDir, 'refs', 'heads', branch.name), {
    encoding: 'utf8',
    flag: constants.O_RDONLY | constants.O_NOFOLLOW,
  }).catch(() => undefined);
  const match = text === undefined ? null : /^([0-9a-f]{40}|[0-9a-f]{64})\n$/.exec(text);
  return match?.[1];
}

/**
 * The user's identity when the repository (or their global config) has both user.name and user.email,
 * so the work is theirs; otherwise Sluice's, so a commit never fails on a machine with no identity.
 */
export async function identityArgs(worktreePath: string): Promise<string[]> {
  const result = await runGit(worktreePath, ['config', '--get-regexp', '^user\\.(name|email)$']);
  const keys = new Set(result.stdout.split('\n').map((line) => line.split(' ')[0]));
  if (keys.has('user.name') && keys.has('user.email')) return [];
  return ['-c', `user.name=${SLUICE_IDENTITY.name}`, '-c', `user.email=${SLUICE_IDENTITY.email}`];
}
