import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { commitTurn } from '../../../src/workspace/commits.ts';
import { diffStats } from '../../../src/workspace/diff-stats.ts';
import { runGit } from '../../../src/workspace/git.ts';
import { createRunWorktree, defaultWorktreesDir } from '../../../src/workspace/worktrees.ts';
import { git, gitdir } from '../../support/gitdir.ts';
import { writeFiles } from '../../support/write-files.ts';

async function runWorktree(files: Record<string, string>) {
  const root = await gitdir({ files });
  return createRunWorktree({
    repoRoot: root,
    runId: 'run-1',
    baseRef: 'HEAD',
    worktreesDir: defaultWorktreesDir(root),
  });
}

describe('commitTurn', () => {
  it('commits new, modified, deleted and binary files with exact stats', async () => {
    const run = await runWorktree({
      'src/keep.ts': 'one\ntwo\nthree\n',
      'src/old.ts': 'gone 1\ngone 2\n',
      'logo.png': 'placeholder',
    });
    writeFiles(run.path, { 'src/keep.ts': 'one\nTWO\nthree\nfour\n', 'src/new.ts': 'a\nb\nc\n' });
    rmSync(join(run.path, 'src/old.ts'));
    writeFileSync(join(run.path, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0]));
    writeFileSync(join(run.path, 'data.bin'), Buffer.from([0, 0, 0, 7]));

    const turn = await commitTurn(run.path, 'Turn 1: keep, new, old, binaries');
    expect(turn.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(turn.commit).toBe(await git(run.path, 'rev-parse', 'HEAD'));
    expect(await git(run.path, 'log', '-1', '--format=%s')).toBe('Turn 1: keep, new, old, binaries');
    expect(await git(run.path, 'rev-parse', 'HEAD~1')).toBe(run.baseCommit);
    expect(turn.diff).toEqual({
      filesChanged: 5,
      insertions: 5,
      deletions: 3,
      files: [
        { path: 'data.bin', status: 'added', insertions: 0, deletions: 0, binary: true },
        { path: 'logo.png', status: 'modified', insertions: 0, deletions: 0, binary: true },
        { path: 'src/keep.ts', status: 'modified', insertions: 2, deletions: 1, binary: false },
        { path: 'src/new.ts', status: 'added', insertions: 3, deletions: 0, binary: false },
        { path: 'src/old.ts', status: 'deleted', insertions: 0, deletions: 2, binary: false },
      ],
    });
    expect(await git(run.path, 'status', '--porcelain')).toBe('');
  });

  it('reads the new commit from the branch named, packed or not, as git would answer', async () => {
    const run = await runWorktree({ 'a.txt': 'a\n' });
    const branch = {
      commonDir: await git(run.path, 'rev-parse', '--path-format=absolute', '--git-common-dir'),
      name: run.branch,
    };
    writeFiles(run.path, { 'a.txt': 'b\n' });
    const first = await commitTurn(run.path, 'one', { branch });
    expect(first.commit).toBe(await git(run.path, 'rev-parse', 'HEAD'));
    expect(first.commit).not.toBe(run.baseCommit);

    await git(run.path, 'pack-refs', '--all');
    writeFiles(run.path, { 'a.txt': 'c\n' });
    const second = await commitTurn(run.path, 'two', { branch });
    expect(second.commit).toBe(await git(run.path, 'rev-parse', 'HEAD'));
    expect(await git(run.path, 'rev-parse', 'HEAD~1')).toBe(first.commit);
  });

  it('returns commit null and empty stats when nothing changed, and never makes an empty commit', async () => {
    const run = await runWorktree({ 'a.txt': 'a\n' });
    writeFiles(run.path, { 'a.txt': 'a\n', '.sluice/.gitignore': '*\n', '.sluice/logs/turn.log': 'noise\n' });
    const turn = await commitTurn(run.path, 'nothing');
    expect(turn).toEqual({ commit: null, diff: { filesChanged: 0, insertions: 0, deletions: 0, files: [] } });
    expect(await git(run.path, 'rev-parse', 'HEAD')).toBe(run.baseCommit);
  });

  it('reports a move as a rename, and a path with spaces and quotes as it is', async () => {
    const body = Array.from({ length: 20 }, (_, line) => `line ${line}\n`).join('');
    const run = await runWorktree({ 'test/old name.test.ts': body });
    mkdirSync(join(run.path, 'spec'));
    rmSync(join(run.path, 'test'), { recursive: true });
    writeFiles(run.path, { 'spec/new "name".test.ts': `${body}line 20\n` });
    const turn = await commitTurn(run.path, 'move the test');
    expect(turn.diff.files).toEqual([
      {
        path: 'spec/new "name".test.ts',
        oldPath: 'test/old name.test.ts',
        status: 'renamed',
        insertions: 1,
        deletions: 0,
        binary: false,
      },
    ]);
  });

  it("skips the user's commit hooks (Sluice runs the gates itself) and keeps their identity", async () => {
    const run = await runWorktree({ 'a.txt': 'a\n' });
    const hooks = join(run.path, '..', 'hooks');
    mkdirSync(hooks);
    writeFileSync(join(hooks, 'pre-commit'), '#!/bin/sh\necho blocked by pre-commit >&2\nexit 1\n');
    chmodSync(join(hooks, 'pre-commit'), 0o755);
    await git(run.path, 'config', 'core.hooksPath', hooks);
    writeFiles(run.path, { 'a.txt': 'b\n' });
    const byHand = await runGit(run.path, ['commit', '-am', 'by hand'], { asConfigured: true });
    expect(byHand.stderr).toContain('blocked by pre-commit');
    const turn = await commitTurn(run.path, 'turn');
    expect(turn.commit).not.toBeNull();
    expect(await git(run.path, 'log', '-1', '--format=%an <%ae>')).toBe('Sluice Test <test@sluice.invalid>');
  });

  it('commits as Sluice when no identity is configured anywhere', async () => {
    const run = await runWorktree({ 'a.txt': 'a\n' });
    await git(run.path, 'config', '--unset', 'user.name');
    await git(run.path, 'config', '--unset', 'user.email');
    vi.stubEnv('GIT_CONFIG_GLOBAL', '/dev/null');
    vi.stubEnv('GIT_CONFIG_NOSYSTEM', '1');
    try {
      writeFiles(run.path, { 'a.txt': 'b\n' });
      await commitTurn(run.path, 'turn');
      expect(await git(run.path, 'log', '-1', '--format=%an <%ae> / %cn <%ce>')).toBe(
        'Sluice <sluice@localhost> / Sluice <sluice@localhost>',
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('diffStats', () => {
  it('sums the whole run from its base over several turns', async () => {
    const run = await runWorktree({ 'a.txt': '1\n2\n3\n' });
    writeFiles(run.path, { 'a.txt': '1\n2\n3\n4\n', 'b.txt': 'b\n' });
    const first = await commitTurn(run.path, 'turn 1');
    writeFiles(run.path, { 'a.txt': '1\n3\n4\n' });
    rmSync(join(run.path, 'b.txt'));
    const second = await commitTurn(run.path, 'turn 2');
    expect(first.diff).toMatchObject({ filesChanged: 2, insertions: 2, deletions: 0 });
    expect(second.diff).toMatchObject({ filesChanged: 2, insertions: 0, deletions: 2 });
    expect(await diffStats(run.path, run.baseCommit, 'HEAD')).toEqual({
      filesChanged: 1,
      insertions: 1,
      deletions: 1,
      files: [{ path: 'a.txt', status: 'modified', insertions: 1, deletions: 1, binary: false }],
    });
    expect(await diffStats(run.path, 'HEAD', 'HEAD')).toEqual({
      filesChanged: 0,
      insertions: 0,
      deletions: 0,
      files: [],
    });
    await expect(diffStats(run.path, 'no-such-base', 'HEAD')).rejects.toMatchObject({ code: 'GIT_REF_NOT_FOUND' });
  });
});
