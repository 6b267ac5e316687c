import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advanceBranch, branchTip, squashCommit } from '../../../src/workspace/advance-branch.ts';
import { commitTurn } from '../../../src/workspace/commits.ts';
import { reattachWorktree } from '../../../src/workspace/reattach-worktree.ts';
import { rebaseWorktree, sameTree } from '../../../src/workspace/rebase-branch.ts';
import { createRunWorktree, defaultWorktreesDir } from '../../../src/workspace/worktrees.ts';
import { git, gitdir } from '../../support/gitdir.ts';
import { writeFiles } from '../../support/write-files.ts';

/** A repository with a run worktree that changed `a.txt`, and a main that moved on with `main`'s files. */
async function diverged(main: Record<string, string>) {
  const repo = await gitdir({ files: { 'a.txt': 'one\n', 'b.txt': 'bee\n' } });
  const run = await createRunWorktree({
    repoRoot: repo,
    runId: 'r1',
    baseRef: 'main',
    worktreesDir: defaultWorktreesDir(repo),
  });
  writeFiles(run.path, { 'a.txt': 'one\ntwo\n' });
  const runHead = (await commitTurn(run.path, 'run change')).commit ?? '';
  writeFiles(repo, main);
  await git(repo, 'commit', '--quiet', '-am', 'main moves');
  return { repo, run, runHead, mainTip: await git(repo, 'rev-parse', 'main') };
}

describe('landing helpers', () => {
  it('rebases a run branch onto a moved main', async () => {
    const { run, mainTip } = await diverged({ 'b.txt': 'bee!\n' });
    const outcome = await rebaseWorktree(run.path, mainTip);
    expect(outcome).toEqual({ status: 'rebased', head: await git(run.path, 'rev-parse', 'HEAD') });
    expect(await git(run.path, 'rev-parse', 'HEAD~1')).toBe(mainTip);
    expect(readFileSync(join(run.path, 'b.txt'), 'utf8')).toBe('bee!\n');
  });

  it('undoes a conflicting rebase and names the files', async () => {
    const { run, runHead, mainTip } = await diverged({ 'a.txt': 'uno\n' });
    expect(await rebaseWorktree(run.path, mainTip)).toEqual({ status: 'conflict', files: ['a.txt'] });
    expect(await git(run.path, 'rev-parse', 'HEAD')).toBe(runHead);
    expect(await git(run.path, 'status', '--porcelain')).toBe('');
    expect(await git(run.path, 'branch', '--show-current')).toBe('sluice/r1');
  });

  it('squashes a change into one commit on the base and compares trees', async () => {
    const { repo, run, runHead, mainTip } = await diverged({ 'b.txt': 'bee!\n' });
    const rebased = await rebaseWorktree(run.path, mainTip);
    const head = rebased.status === 'rebased' ? rebased.head : '';
    const squash = await squashCommit(repo, { treeOf: head, parent: mainTip, message: 'Count to two\n' });
    expect(await git(repo, 'rev-parse', `${squash}^`)).toBe(mainTip);
    expect(await git(repo, 'log', '-1', '--format=%s', squash)).toBe('Count to two');
    expect(await sameTree(repo, squash, head)).toBe(true);
    expect(await sameTree(repo, squash, runHead)).toBe(false);
  });

  it('advances a branch checked out nowhere by compare-and-swap, and refuses when it moved', async () => {
    const { repo, run, mainTip } = await diverged({ 'b.txt': 'bee!\n' });
    await git(repo, 'switch', '--quiet', '--detach');
    const rebased = await rebaseWorktree(run.path, mainTip);
    const head = rebased.status === 'rebased' ? rebased.head : '';
    const stale = await advanceBranch(repo, 'main', { from: head, to: head, reason: 'test' });
    expect(stale).toMatchObject({ status: 'refused', reason: expect.stringContaining('could not move main') });
    expect(await branchTip(repo, 'main')).toBe(mainTip);
    expect(await advanceBranch(repo, 'main', { from: mainTip, to: head, reason: 'test' })).toEqual({
      status: 'advanced',
      via: 'ref',
    });
    expect(await branchTip(repo, 'main')).toBe(head);
    expect(await branchTip(repo, 'no-such-branch')).toBeNull();
    expect(await branchTip(repo, '--all')).toBeNull();
  });

  it('refuses to advance a checked-out branch whose checkout moved meanwhile', async () => {
    const { repo, run, runHead } = await diverged({ 'b.txt': 'bee!\n' });
    const outcome = await advanceBranch(repo, 'main', { from: run.baseCommit, to: runHead, reason: 'test' });
    expect(outcome).toMatchObject({ status: 'refused', reason: expect.stringMatching(/^main moved to [0-9a-f]{12}/) });
  });

  it('checks a run branch out again when its worktree folder is gone', async () => {
    const { repo, run, runHead } = await diverged({ 'b.txt': 'bee!\n' });
    rmSync(run.path, { recursive: true, force: true });
    await reattachWorktree(repo, run.path, run.branch);
    expect(existsSync(join(run.path, 'a.txt'))).toBe(true);
    expect(await git(run.path, 'rev-parse', 'HEAD')).toBe(runHead);
    expect(await git(run.path, 'branch', '--show-current')).toBe('sluice/r1');
  });
});
