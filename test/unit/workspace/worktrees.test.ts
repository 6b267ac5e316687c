import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitTurn } from '../../../src/workspace/commits.ts';
import { GitError } from '../../../src/workspace/git-error.ts';
import { listWorktrees, worktreeState } from '../../../src/workspace/worktree-list.ts';
import {
  createRunWorktree,
  defaultWorktreesDir,
  pruneWorktrees,
  removeWorktree,
} from '../../../src/workspace/worktrees.ts';
import { git, gitdir } from '../../support/gitdir.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('createRunWorktree', () => {
  it('checks out HEAD on a new sluice/<runId> branch beside the repository, not inside it', async () => {
    const root = await gitdir({ files: { 'a.txt': 'a\n' } });
    const worktreesDir = defaultWorktreesDir(root);
    expect(worktreesDir).toBe(join(root, '..', '.sluice-worktrees', 'repo'));
    const run = await createRunWorktree({ repoRoot: root, runId: 'r1', baseRef: 'HEAD', worktreesDir });
    expect(run).toEqual({
      path: join(worktreesDir, 'r1'),
      branch: 'sluice/r1',
      baseCommit: await git(root, 'rev-parse', 'HEAD'),
    });
    expect(relative(root, run.path).startsWith('..')).toBe(true);
    expect(await git(run.path, 'symbolic-ref', '--short', 'HEAD')).toBe('sluice/r1');
    expect(await git(run.path, 'cat-file', '-p', 'HEAD:a.txt')).toBe('a');
    expect(await git(root, 'status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('starts from another branch or a tag, pinned to the commit it named then', async () => {
    const root = await gitdir({ files: { 'a.txt': 'main\n' } });
    const tagged = await git(root, 'rev-parse', 'HEAD');
    await git(root, 'tag', 'v1');
    await git(root, 'checkout', '--quiet', '-b', 'feature');
    writeFileSync(join(root, 'a.txt'), 'feature\n');
    await git(root, 'commit', '--quiet', '-am', 'feature work');
    const feature = await git(root, 'rev-parse', 'HEAD');
    await git(root, 'checkout', '--quiet', 'main');
    const worktreesDir = defaultWorktreesDir(root);

    const fromBranch = await createRunWorktree({ repoRoot: root, runId: 'b', baseRef: 'feature', worktreesDir });
    const fromTag = await createRunWorktree({ repoRoot: root, runId: 't', baseRef: 'v1', worktreesDir });
    expect(fromBranch.baseCommit).toBe(feature);
    expect(fromTag.baseCommit).toBe(tagged);
    expect(await git(fromBranch.path, 'cat-file', '-p', 'HEAD:a.txt')).toBe('feature');
    expect(await git(fromTag.path, 'cat-file', '-p', 'HEAD:a.txt')).toBe('main');
    // No upstream is set up: the run's branch tracks nothing and touches no config of the base branch.
    expect(await git(root, 'config', '--get-regexp', '^branch\\.').catch(() => '')).toBe('');
  });

  it('creates 6 worktrees at once', async () => {
    const root = await gitdir();
    const worktreesDir = defaultWorktreesDir(root);
    const runIds = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
    const runs = await Promise.all(
      runIds.map((runId) => createRunWorktree({ repoRoot: root, runId, baseRef: 'main', worktreesDir })),
    );
    expect(runs.map((run) => run.branch)).toEqual(runIds.map((runId) => `sluice/${runId}`));
    const listed = await listWorktrees(root);
    expect(listed.map((entry) => entry.branch)).toEqual(['main', ...runs.map((run) => run.branch)].sort());
    for (const run of runs) expect(await worktreeState(run.path)).toMatchObject({ status: 'present', clean: true });
  });

  it('waits out a lock held by another git process, then succeeds', async () => {
    const root = await gitdir();
    const lock = join(root, '.git', 'refs', 'heads', 'sluice', 'late.lock');
    mkdirSync(join(lock, '..'), { recursive: true });
    writeFileSync(lock, '');
    setTimeout(() => rmSync(lock), 150);
    const run = await createRunWorktree({
      repoRoot: root,
      runId: 'late',
      baseRef: 'HEAD',
      worktreesDir: defaultWorktreesDir(root),
    });
    expect(await worktreeState(run.path)).toMatchObject({ status: 'present', branch: 'sluice/late' });
  });

  it('retries while another worktree is half-way registered, reusing the branch the failed try made', async () => {
    const root = await gitdir();
    // What a concurrent `git worktree add` looks like mid-way: an admin folder whose commondir is not written yet.
    const half = join(root, '.git', 'worktrees', 'half');
    mkdirSync(half, { recursive: true });
    writeFileSync(join(half, 'commondir'), '');
    writeFileSync(join(half, 'HEAD'), 'ref: refs/heads/elsewhere\n');
    writeFileSync(join(half, 'gitdir'), `${join(root, '..', 'half', '.git')}\n`);
    setTimeout(() => rmSync(half, { recursive: true }), 150);
    const run = await createRunWorktree({
      repoRoot: root,
      runId: 'busy',
      baseRef: 'HEAD',
      worktreesDir: defaultWorktreesDir(root),
    });
    expect(await worktreeState(run.path)).toMatchObject({ status: 'present', branch: 'sluice/busy', clean: true });
  });

  it('refuses a run id that exists already or cannot name a branch, and a missing base', async () => {
    const root = await gitdir();
    const worktreesDir = defaultWorktreesDir(root);
    await createRunWorktree({ repoRoot: root, runId: 'dup', baseRef: 'HEAD', worktreesDir });
    await expect(
      createRunWorktree({ repoRoot: root, runId: 'dup', baseRef: 'HEAD', worktreesDir }),
    ).rejects.toMatchObject({ code: 'GIT_BRANCH_EXISTS' });
    for (const runId of ['../escape', 'a b', '-x', 'x.lock', '']) {
      await expect(createRunWorktree({ repoRoot: root, runId, baseRef: 'HEAD', worktreesDir })).rejects.toMatchObject({
        code: 'GIT_INVALID_NAME',
      });
    }
    await expect(
      createRunWorktree({ repoRoot: root, runId: 'r2', baseRef: 'release/9', worktreesDir }),
    ).rejects.toThrow("Ref 'release/9' does not name a commit");
  });

  it('fails with the stderr and leaves no branch behind when the folder is taken', async () => {
    const root = await gitdir();
    const worktreesDir = defaultWorktreesDir(root);
    mkdirSync(join(worktreesDir, 'taken'), { recursive: true });
    writeFileSync(join(worktreesDir, 'taken', 'file'), 'x');
    const error = await createRunWorktree({ repoRoot: root, runId: 'taken', baseRef: 'HEAD', worktreesDir }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GitError);
    expect(error).toMatchObject({ code: 'GIT_FAILED', exitCode: 128 });
    expect((error as GitError).stderr).toContain('already exists');
    expect(await git(root, 'branch', '--list', 'sluice/*')).toBe('');
  });
});

describe('worktreeState', () => {
  it('tells missing, foreign, clean and dirty folders apart', async () => {
    const root = await gitdir();
    const run = await createRunWorktree({
      repoRoot: root,
      runId: 's',
      baseRef: 'HEAD',
      worktreesDir: defaultWorktreesDir(root),
    });
    expect(await worktreeState(join(run.path, 'missing'))).toEqual({ status: 'missing' });
    expect(await worktreeState(tempDir())).toEqual({ status: 'not-a-worktree' });
    mkdirSync(join(run.path, 'sub'));
    expect(await worktreeState(join(run.path, 'sub'))).toEqual({ status: 'not-a-worktree' });
    expect(await worktreeState(run.path)).toEqual({
      status: 'present',
      clean: true,
      head: run.baseCommit,
      branch: 'sluice/s',
      changedFiles: 0,
    });
    writeFileSync(join(run.path, 'sub', 'new.txt'), 'x');
    writeFileSync(join(run.path, 'README.md'), 'changed');
    expect(await worktreeState(run.path)).toMatchObject({ status: 'present', clean: false, changedFiles: 2 });
  });
});

describe('removeWorktree', () => {
  it('removes the folder and keeps the branch with its commits', async () => {
    const root = await gitdir();
    const run = await createRunWorktree({
      repoRoot: root,
      runId: 'keep',
      baseRef: 'HEAD',
      worktreesDir: defaultWorktreesDir(root),
    });
    writeFileSync(join(run.path, 'work.txt'), 'work\n');
    const { commit } = await commitTurn(run.path, 'the work');
    expect(await removeWorktree(root, run.path, { keepBranch: true })).toEqual({
      removed: true,
      branch: 'sluice/keep',
    });
    expect(existsSync(run.path)).toBe(false);
    expect(await git(root, 'rev-parse', 'sluice/keep')).toBe(commit);
    expect(await git(root, 'cat-file', '-p', 'sluice/keep:work.txt')).toBe('work');
    expect((await listWorktrees(root)).map((entry) => entry.branch)).toEqual(['main']);
  });

  it('refuses to drop uncommitted work unless forced, and deletes the branch only when told', async () => {
    const root = await gitdir();
    const run = await createRunWorktree({
      repoRoot: root,
      runId: 'dirty',
      baseRef: 'HEAD',
      worktreesDir: defaultWorktreesDir(root),
    });
    writeFileSync(join(run.path, 'uncommitted.txt'), 'x');
    const error = await removeWorktree(root, run.path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).stderr).toContain('contains modified or untracked files');
    expect(existsSync(join(run.path, 'uncommitted.txt'))).toBe(true);
    await removeWorktree(root, run.path, { force: true, keepBranch: false });
    expect(existsSync(run.path)).toBe(false);
    expect(await git(root, 'branch', '--list', 'sluice/*')).toBe('');
  });

  it('cleans up after a worktree folder deleted by hand, and is a no-op the second time', async () => {
    const root = await gitdir();
    const run = await createRunWorktree({
      repoRoot: root,
      runId: 'gone',
      baseRef: 'HEAD',
      worktreesDir: defaultWorktreesDir(root),
    });
    rmSync(run.path, { recursive: true });
    expect((await listWorktrees(root)).find((entry) => entry.branch === 'sluice/gone')?.prunable).toBe(true);
    expect(await removeWorktree(root, run.path)).toEqual({ removed: true, branch: 'sluice/gone' });
    expect(await removeWorktree(root, run.path)).toEqual({ removed: false, branch: null });
    expect(await git(root, 'worktree', 'list', '--porcelain')).not.toContain('gone');
    expect(await git(root, 'rev-parse', '--verify', 'sluice/gone')).toBe(run.baseCommit);
  });
});

describe('pruneWorktrees', () => {
  it('forgets worktrees whose folders are gone and keeps the others', async () => {
    const root = await gitdir();
    const worktreesDir = defaultWorktreesDir(root);
    const kept = await createRunWorktree({ repoRoot: root, runId: 'kept', baseRef: 'HEAD', worktreesDir });
    const lost = await createRunWorktree({ repoRoot: root, runId: 'lost', baseRef: 'HEAD', worktreesDir });
    rmSync(lost.path, { recursive: true });
    await pruneWorktrees(root);
    expect((await listWorktrees(root)).map((entry) => entry.branch)).toEqual(['main', kept.branch]);
  });
});
