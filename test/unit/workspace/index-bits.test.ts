import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitTurn } from '../../../src/workspace/commits.ts';
import { clearHidingIndexBits, type WorktreeIndex } from '../../../src/workspace/index-bits.ts';
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

/** What HEAD holds at `path`. */
function committed(worktree: string, path: string): Promise<string> {
  return git(worktree, 'show', `HEAD:${path}`);
}

/** How commitTurn finds the bits: by asking git, or by reading the worktree's index file (what a run does). */
const lookups: Record<string, (worktree: string) => Promise<{ index?: WorktreeIndex }>> = {
  'listed by git': async () => ({}),
  'read from the index file': async (worktree) => ({
    index: { file: join(await git(worktree, 'rev-parse', '--absolute-git-dir'), 'index'), format: 'sha1' as const },
  }),
};

describe.each(Object.entries(lookups))('index bits that hide an edit from the commit (%s)', (_lookup, optionsOf) => {
  it.each([
    ['assume-unchanged', '--assume-unchanged'],
    ['skip-worktree', '--skip-worktree'],
  ])('commitTurn clears %s on a tracked file and commits its modification', async (bit, flag) => {
    const run = await runWorktree({ 'test/the test.ts': 'expect(1).toBe(1)\n', 'src/a.ts': 'a\n' });
    await git(run.path, 'update-index', flag, 'test/the test.ts');
    writeFiles(run.path, { 'test/the test.ts': 'expect(1).toBe(1) // weakened\n' });
    expect(await git(run.path, 'status', '--porcelain')).toBe(''); // git itself no longer sees the edit

    const turn = await commitTurn(run.path, 'turn', await optionsOf(run.path));
    expect(turn.commit).not.toBeNull();
    expect(await committed(run.path, 'test/the test.ts')).toBe('expect(1).toBe(1) // weakened');
    expect(turn.clearedIndexBits).toEqual([{ path: 'test/the test.ts', bits: [bit] }]);
    expect(await git(run.path, 'ls-files', '-v', 'test/the test.ts')).toBe('H test/the test.ts');
  });

  it('clears both bits on one file, commits a deletion hidden by skip-worktree, and reports nothing when none is set', async () => {
    const run = await runWorktree({ 'a.ts': 'a\n', 'b.ts': 'b\n', 'c.ts': 'c\n' });
    expect((await commitTurn(run.path, 'nothing', await optionsOf(run.path))).clearedIndexBits).toBeUndefined();
    await git(run.path, 'update-index', '--assume-unchanged', 'a.ts');
    await git(run.path, 'update-index', '--skip-worktree', 'a.ts');
    await git(run.path, 'update-index', '--skip-worktree', 'b.ts');
    writeFiles(run.path, { 'a.ts': 'A\n' });
    rmSync(join(run.path, 'b.ts'));

    const turn = await commitTurn(run.path, 'turn', await optionsOf(run.path));
    expect(turn.clearedIndexBits).toEqual([
      { path: 'a.ts', bits: ['assume-unchanged', 'skip-worktree'] },
      { path: 'b.ts', bits: ['skip-worktree'] },
    ]);
    expect(await committed(run.path, 'a.ts')).toBe('A');
    expect(await git(run.path, 'ls-tree', '--name-only', 'HEAD')).toBe('a.ts\nc.ts');
  });

  it('keeps skip-worktree where sparse checkout is in use (the files left out are not deletions)', async () => {
    const run = await runWorktree({ 'in/a.ts': 'a\n', 'out/b.ts': 'b\n', 'top.ts': 't\n' });
    await git(run.path, 'sparse-checkout', 'set', 'in');
    expect(existsSync(join(run.path, 'out/b.ts'))).toBe(false);
    await git(run.path, 'update-index', '--assume-unchanged', 'in/a.ts');
    writeFiles(run.path, { 'in/a.ts': 'A\n' });

    const turn = await commitTurn(run.path, 'turn', await optionsOf(run.path));
    expect(turn.clearedIndexBits).toEqual([{ path: 'in/a.ts', bits: ['assume-unchanged'] }]);
    expect(await git(run.path, 'ls-tree', '-r', '--name-only', 'HEAD')).toBe('in/a.ts\nout/b.ts\ntop.ts');
    expect(await committed(run.path, 'in/a.ts')).toBe('A');
  });

  it.each([
    ['a split index', ['--split-index']],
    ['an index of version 4', ['--index-version', '4']],
    ['an index of version 3', ['--index-version', '3']],
  ])('clears a bit hidden in %s', async (_kind, layout) => {
    const run = await runWorktree({ 'deep/dir/test.ts': 'expect(1).toBe(1)\n', 'deep/dir/z.ts': 'z\n' });
    await git(run.path, 'update-index', ...layout);
    await git(run.path, 'update-index', '--skip-worktree', 'deep/dir/z.ts');
    writeFiles(run.path, { 'deep/dir/z.ts': 'weakened\n' });

    const turn = await commitTurn(run.path, 'turn', await optionsOf(run.path));
    expect(turn.clearedIndexBits).toEqual([{ path: 'deep/dir/z.ts', bits: ['skip-worktree'] }]);
    expect(await committed(run.path, 'deep/dir/z.ts')).toBe('weakened');
  });

  it('clears bits on paths with spaces, quotes and newlines exactly', async () => {
    const run = await runWorktree({ 'we"ird\nname.ts': 'x\n', 'plain.ts': 'p\n' });
    await git(run.path, 'update-index', '--assume-unchanged', '--', 'we"ird\nname.ts');
    const { index } = await optionsOf(run.path);
    expect(await clearHidingIndexBits(run.path, index)).toEqual([
      { path: 'we"ird\nname.ts', bits: ['assume-unchanged'] },
    ]);
    expect(await clearHidingIndexBits(run.path, index)).toEqual([]);
  });
});
