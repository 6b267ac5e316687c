import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRunCheckout } from '../../../src/workspace/run-checkout.ts';
import { createRunWorktree, defaultWorktreesDir } from '../../../src/workspace/worktrees.ts';
import { git, gitdir } from '../../support/gitdir.ts';

async function twoRuns() {
  const root = await gitdir();
  const worktreesDir = defaultWorktreesDir(root);
  const run = await createRunWorktree({ repoRoot: root, runId: 'r1', baseRef: 'main', worktreesDir });
  const other = await createRunWorktree({ repoRoot: root, runId: 'r2', baseRef: 'main', worktreesDir });
  return { root, run, other, expected: { repoRoot: root, branch: run.branch } };
}

describe('checkRunCheckout', () => {
  it('finds a fresh run worktree intact, and one where HEAD was moved to another branch or detached tampered', async () => {
    const { root, run, expected } = await twoRuns();
    expect(await checkRunCheckout(run.path, expected)).toMatchObject({ status: 'intact' });

    await git(run.path, 'symbolic-ref', 'HEAD', 'refs/heads/main');
    expect(await checkRunCheckout(run.path, expected)).toEqual({
      status: 'tampered',
      problems: ['HEAD is on refs/heads/main, not on refs/heads/sluice/r1'],
    });
    await git(run.path, 'checkout', '--quiet', '--detach', run.baseCommit);
    expect(await checkRunCheckout(run.path, expected)).toMatchObject({
      problems: ['HEAD is detached, not on sluice/r1'],
    });
    expect(await git(root, 'rev-parse', 'main')).toBe(run.baseCommit);
  });

  it('finds a run branch made a symbolic ref to another branch tampered: a commit would land on that one', async () => {
    const { root, run, expected } = await twoRuns();
    await git(root, 'symbolic-ref', `refs/heads/${run.branch}`, 'refs/heads/main');
    expect(await checkRunCheckout(run.path, expected)).toEqual({
      status: 'tampered',
      problems: ['HEAD is on refs/heads/main, not on refs/heads/sluice/r1'],
    });
  });

  it.each([
    ['the main checkout’s git dir', (root: string) => `gitdir: ${join(root, '.git')}\n`],
    ['another run’s admin folder', (root: string) => `gitdir: ${join(root, '.git/worktrees/r2')}\n`],
  ])('finds a worktree whose .git file was pointed at %s tampered', async (_target, pointer) => {
    const { root, run, expected } = await twoRuns();
    writeFileSync(join(run.path, '.git'), pointer(root));
    const check = await checkRunCheckout(run.path, expected);
    expect(check.status).toBe('tampered');
    expect(check.status === 'tampered' && check.problems.join('\n')).toContain("not this worktree's own folder");
  });

  it('finds a worktree whose .git was replaced by a repository of its own tampered', async () => {
    const { run, expected } = await twoRuns();
    rmSync(join(run.path, '.git'));
    await git(run.path, 'init', '--quiet');
    await git(run.path, 'symbolic-ref', 'HEAD', 'refs/heads/sluice/r1');
    const check = await checkRunCheckout(run.path, expected);
    expect(check).toMatchObject({ status: 'tampered' });
    expect(check.status === 'tampered' && check.problems[0]).toMatch(/belongs to another repository/);
  });
});
