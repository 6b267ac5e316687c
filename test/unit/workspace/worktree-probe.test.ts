import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { currentBranch, resolveCommit } from '../../../src/workspace/refs.ts';
import { repoRootOf } from '../../../src/workspace/repo-root.ts';
import { nearestGitFolder, probeWorktree, worktreeRedirect } from '../../../src/workspace/worktree-probe.ts';
import { git, gitdir } from '../../support/gitdir.ts';

/** What the three separate calls answer, for comparison with the probe. */
async function askedInTurn(dir: string, ref: string) {
  const top = await repoRootOf(dir);
  return { top, branch: await currentBranch(top), commit: await resolveCommit(top, ref) };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-probe-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('probeWorktree', () => {
  it('answers what repoRootOf, currentBranch and resolveCommit answer: on a branch, from a subfolder, detached', async () => {
    const repo = await gitdir({ files: { 'src/deep/a.txt': 'a\n' } });
    writeFileSync(join(repo, 'b.txt'), 'b\n');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '--quiet', '-m', 'second');
    await git(repo, 'tag', 'v1', 'HEAD~1');
    await git(repo, 'tag', '-a', '-m', 'annotated', 'v2', 'HEAD');
    const sub = join(repo, 'src', 'deep');
    for (const ref of ['HEAD', 'HEAD~1', 'main', 'v1', 'v2', await git(repo, 'rev-parse', 'HEAD~1')]) {
      expect(await probeWorktree(repo, ref)).toEqual(await askedInTurn(repo, ref));
      expect(await probeWorktree(sub, ref)).toEqual(await askedInTurn(sub, ref));
    }
    expect(await probeWorktree(sub, 'HEAD')).toMatchObject({ top: repo, branch: 'main' });

    await git(repo, 'checkout', '--quiet', '--detach', 'HEAD~1');
    expect(await probeWorktree(sub, 'HEAD')).toEqual({
      top: repo,
      branch: null,
      commit: await git(repo, 'rev-parse', 'HEAD'),
    });
    expect(await probeWorktree(sub, 'HEAD')).toEqual(await askedInTurn(sub, 'HEAD'));
  });

  it('gives the full branch name where a tag of the same name makes `symbolic-ref --short` say heads/...', async () => {
    const repo = await gitdir();
    await git(repo, 'checkout', '--quiet', '-b', 'sluice/run-1');
    await git(repo, 'tag', 'sluice/run-1');
    expect(await probeWorktree(repo, 'HEAD')).toMatchObject({ branch: 'sluice/run-1' });
  });

  it('has no answer where the calls in turn would fail: no commit yet, a bad ref, a range, an option, no repository', async () => {
    const repo = await gitdir();
    for (const ref of ['no-such-ref', 'HEAD~5', 'HEAD~1..HEAD', '^HEAD', 'HEAD:README.md', '', '--all', '-h']) {
      expect(await probeWorktree(repo, ref), ref).toBeUndefined();
    }
    // A file named like the ref must not pass as one: rev-parse without --verify prints such names back.
    writeFileSync(join(repo, 'nope^{commit}'), '');
    expect(await probeWorktree(repo, 'nope')).toBeUndefined();

    const unborn = tempDir();
    await git(unborn, 'init', '--quiet');
    expect(await probeWorktree(unborn, 'HEAD')).toBeUndefined();
    await expect(resolveCommit(unborn, 'HEAD')).rejects.toThrow();

    expect(await probeWorktree(tempDir(), 'HEAD')).toBeUndefined();
    expect(await probeWorktree(join(repo, '.git'), 'HEAD')).toBeUndefined();
  });
});

describe('nearestGitFolder', () => {
  it('finds the folder holding .git at or above a folder, through symbolic links, as rev-parse names it', async () => {
    const repo = await gitdir({ files: { 'src/deep/a.txt': 'a\n' } });
    expect(nearestGitFolder(repo)).toBe(repo);
    expect(nearestGitFolder(join(repo, 'src', 'deep'))).toBe(repo);
    const link = join(tempDir(), 'link');
    symlinkSync(join(repo, 'src'), link);
    expect(nearestGitFolder(link)).toBe(realpathSync(repo));
    expect(nearestGitFolder(link)).toBe((await probeWorktree(link, 'HEAD'))?.top);
    expect(nearestGitFolder(join(repo, 'no-such-folder'))).toBeUndefined();
  });

  it('is only a guess: a .git folder that is no repository fools it, not the probe', async () => {
    const repo = await gitdir({ files: { 'src/a.txt': 'a\n' } });
    mkdirSync(join(repo, 'src', '.git'));
    expect(nearestGitFolder(join(repo, 'src'))).toBe(join(repo, 'src'));
    expect((await probeWorktree(join(repo, 'src'), 'HEAD'))?.top).toBe(repo);
  });
});

describe('worktreeRedirect', () => {
  it('refuses a repository whose core.worktree sends git to another folder: the probe has no answer, repoRootOf throws', async () => {
    const repo = await gitdir({ files: { 'src/a.txt': 'a\n' } });
    const gitDir = join(repo, '.git');
    expect(worktreeRedirect(repo, await repoRootOf(repo), gitDir)).toBeUndefined();
    expect(worktreeRedirect(join(repo, 'src'), repo, gitDir)).toBeUndefined();
    const pristine = realpathSync(tempDir());
    await git(repo, 'config', 'core.worktree', pristine);
    // git itself follows it, from the top and from a subfolder alike.
    expect(await git(repo, 'rev-parse', '--show-toplevel')).toBe(pristine);
    expect(worktreeRedirect(repo, pristine, gitDir)).toMatch(/core\.worktree/);
    expect(await probeWorktree(repo, 'HEAD')).toBeUndefined();
    await expect(repoRootOf(repo)).rejects.toMatchObject({ code: 'GIT_WORKTREE_REDIRECTED' });
    await expect(repoRootOf(join(repo, 'src'))).rejects.toThrow(/git works on .* not on /);
  });

  it('refuses a worktree named above the repository, even with a .git there that leads to the real one', async () => {
    const parent = realpathSync(tempDir());
    const repo = join(parent, 'project');
    mkdirSync(repo);
    await git(repo, 'init', '--quiet');
    // The agent's trick: git works on the folder above, whose own .git is a link to the project's.
    symlinkSync(join(repo, '.git'), join(parent, '.git'));
    await git(repo, 'config', 'core.worktree', parent);
    expect(await git(repo, 'rev-parse', '--show-toplevel')).toBe(parent);
    await expect(repoRootOf(repo)).rejects.toMatchObject({ code: 'GIT_WORKTREE_REDIRECTED' });
  });

  it('accepts a linked worktree and a submodule-like .git file, and a stray .git folder git skips', async () => {
    const repo = await gitdir({ files: { 'src/a.txt': 'a\n' } });
    const linked = join(realpathSync(tempDir()), 'linked');
    await git(repo, 'worktree', 'add', '--quiet', '--detach', linked);
    expect(await repoRootOf(join(linked, 'src'))).toBe(linked);
    expect(await probeWorktree(linked, 'HEAD')).toMatchObject({ top: linked });
    mkdirSync(join(repo, 'src', '.git'));
    expect(await repoRootOf(join(repo, 'src'))).toBe(repo);
  });
});
