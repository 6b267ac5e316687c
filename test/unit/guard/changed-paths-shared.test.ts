import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputHasher } from '../../../src/gates/cache/hash-inputs.ts';
import { changedPaths } from '../../../src/guard/changed-files.ts';
import { git, gitdir } from '../../support/gitdir.ts';
import { tempDir } from '../../support/temp-dir.ts';

/** A tree with every kind of change the guard lists: edited, deleted, new, new in a new folder, ignored, a clone. */
async function changedTree(): Promise<string> {
  const repo = await gitdir({
    files: {
      '.gitignore': 'build/\n*.log\n',
      'src/a.js': 'a\n',
      'test/a.test.js': 'test a\n',
      'test/old.test.js': 'old\n',
    },
  });
  writeFileSync(join(repo, 'src/a.js'), 'a changed\n');
  rmSync(join(repo, 'test/old.test.js'));
  writeFileSync(join(repo, 'test/new.test.js'), 'new\n');
  mkdirSync(join(repo, 'test/deep/er'), { recursive: true });
  writeFileSync(join(repo, 'test/deep/er/x.test.js'), 'x\n');
  mkdirSync(join(repo, 'build'));
  writeFileSync(join(repo, 'build/out.js'), 'ignored\n');
  writeFileSync(join(repo, 'debug.log'), 'ignored\n');
  mkdirSync(join(repo, 'vendor/lib'), { recursive: true });
  await git(join(repo, 'vendor/lib'), 'init', '-q');
  writeFileSync(join(repo, 'vendor/lib/index.js'), 'clone\n');
  return repo;
}

describe('the Stop hook hands the guard the untracked files the gates listed', () => {
  it('gives the very list the guard would ask git for, at the top of the work tree', async () => {
    const repo = await changedTree();
    const where = await new InputHasher(repo).worktree();
    expect(where?.head).toBe(await git(repo, 'rev-parse', 'HEAD'));
    const listing = await where?.untrackedAtTop;
    expect(listing).toBeDefined();
    const shared = await changedPaths(repo, 'HEAD', listing);
    expect(shared).toEqual(await changedPaths(repo, 'HEAD'));
    expect(shared.map(({ path, status }) => `${status} ${path}`)).toEqual([
      'modified src/a.js',
      'added test/deep/er/x.test.js',
      'added test/new.test.js',
      'deleted test/old.test.js',
      'added vendor/lib/',
    ]);
  });

  it('gives no list from a subfolder (its paths are not the top folder ones), and no head before a commit', async () => {
    const repo = await changedTree();
    const sub = await new InputHasher(join(repo, 'test')).worktree();
    expect(sub?.top).toBe(repo);
    expect(sub?.untrackedAtTop).toBeUndefined();
    const empty = tempDir();
    await git(empty, 'init', '-q');
    const unborn = await new InputHasher(empty).worktree();
    expect(unborn?.head).toBeUndefined();
  });
});
