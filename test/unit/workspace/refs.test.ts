import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitTurn } from '../../../src/workspace/commits.ts';
import { GitError } from '../../../src/workspace/git-error.ts';
import { currentBranch, isGitRepo, readFileAtRef, resolveCommit } from '../../../src/workspace/refs.ts';
import { createRunWorktree, defaultWorktreesDir } from '../../../src/workspace/worktrees.ts';
import { git, gitdir } from '../../support/gitdir.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('resolveCommit', () => {
  it('resolves branches, tags (annotated too) and expressions to the commit sha', async () => {
    const root = await gitdir();
    const first = await git(root, 'rev-parse', 'HEAD');
    await git(root, 'tag', '-a', 'v1', '-m', 'release');
    await git(root, 'commit', '--allow-empty', '-m', 'second');
    const second = await git(root, 'rev-parse', 'HEAD');
    expect(await resolveCommit(root, 'HEAD')).toBe(second);
    expect(await resolveCommit(root, 'main')).toBe(second);
    expect(await resolveCommit(root, 'v1')).toBe(first);
    expect(await resolveCommit(root, 'HEAD~1')).toBe(first);
    expect(second).toMatch(/^[0-9a-f]{40}$/);
  });

  it('names the ref that does not exist', async () => {
    const root = await gitdir();
    const error = await resolveCommit(root, 'feature/missing').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitError);
    expect(error).toMatchObject({ code: 'GIT_REF_NOT_FOUND' });
    expect((error as GitError).message).toContain("Ref 'feature/missing' does not name a commit");
    await expect(resolveCommit(root, '--all')).rejects.toMatchObject({ code: 'GIT_REF_NOT_FOUND' });
  });

  it.each(['^HEAD', 'HEAD^!', 'HEAD...HEAD'])(
    'refuses %s, which names a range or a negation, not one commit',
    async (ref) => {
      const root = await gitdir();
      await expect(resolveCommit(root, ref)).rejects.toMatchObject({ code: 'GIT_REF_NOT_FOUND' });
    },
  );

  it('tells a folder that is not a repository from a missing ref', async () => {
    await expect(resolveCommit(tempDir(), 'HEAD')).rejects.toMatchObject({ code: 'GIT_NOT_A_REPOSITORY' });
  });
});

describe('readFileAtRef', () => {
  it('reads the base version after the worktree changed the file', async () => {
    const root = await gitdir({ files: { 'sluice.yaml': 'gates: base\n', 'src/a.ts': 'a\n' } });
    const run = await createRunWorktree({
      repoRoot: root,
      runId: 'r1',
      baseRef: 'main',
      worktreesDir: defaultWorktreesDir(root),
    });
    writeFileSync(join(run.path, 'sluice.yaml'), 'gates: weakened by the agent\n');
    expect(await readFileAtRef(root, run.baseCommit, 'sluice.yaml')).toBe('gates: base\n');
    await commitTurn(run.path, 'agent edits its judge');
    expect(await readFileAtRef(root, run.branch, 'sluice.yaml')).toBe('gates: weakened by the agent\n');
    expect(await readFileAtRef(root, 'main', 'sluice.yaml')).toBe('gates: base\n');
    expect(await readFileAtRef(root, 'main', './src/a.ts')).toBe('a\n');
  });

  it('reads paths from the repository root whatever folder it is called from', async () => {
    const root = await gitdir({ files: { 'sluice.yaml': 'x: 1', 'pkg/sluice.yaml': 'x: 2' } });
    expect(await readFileAtRef(join(root, 'pkg'), 'HEAD', 'sluice.yaml')).toBe('x: 1');
    expect(await readFileAtRef(join(root, 'pkg'), 'HEAD', 'pkg/sluice.yaml')).toBe('x: 2');
  });

  it('returns undefined for a path that is missing or a folder, and throws for a missing ref', async () => {
    const root = await gitdir({ files: { 'src/a.ts': 'a\n' } });
    expect(await readFileAtRef(root, 'HEAD', 'sluice.yaml')).toBeUndefined();
    expect(await readFileAtRef(root, 'HEAD', 'src')).toBeUndefined();
    await expect(readFileAtRef(root, 'nope', 'src/a.ts')).rejects.toMatchObject({ code: 'GIT_REF_NOT_FOUND' });
  });
});

describe('currentBranch and isGitRepo', () => {
  it('names the checked-out branch, or null when HEAD is detached', async () => {
    const root = await gitdir();
    expect(await currentBranch(root)).toBe('main');
    await git(root, 'checkout', '--quiet', '-b', 'feature/x');
    expect(await currentBranch(root)).toBe('feature/x');
    await git(root, 'checkout', '--quiet', '--detach');
    expect(await currentBranch(root)).toBeNull();
    await expect(currentBranch(tempDir())).rejects.toMatchObject({ code: 'GIT_NOT_A_REPOSITORY' });
  });

  it('knows a repository from a plain or missing folder', async () => {
    const root = await gitdir();
    mkdirSync(join(root, 'sub'));
    const plain = tempDir();
    expect(await isGitRepo(root)).toBe(true);
    expect(await isGitRepo(join(root, 'sub'))).toBe(true);
    expect(await isGitRepo(plain)).toBe(false);
    expect(await isGitRepo(join(plain, 'missing'))).toBe(false);
    expect(await isGitRepo(join(root, '.git'))).toBe(false);
  });
});
