import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../src/gates/gate-results.ts';
import { checkOfChangedTree, filesChangedFrom } from '../../../src/judge/files-changed-from.ts';
import { git, gitdir } from '../../support/gitdir.ts';

describe('filesChangedFrom', () => {
  it('names the files of the commit rewritten, removed or replaced since, by their bytes, whatever the index says', async () => {
    const repo = await gitdir({
      files: {
        'src/add.js': 'export const add = (a, b) => a - b;\n',
        'src/keep.js': 'export const keep = 1;\n',
        'src/gone.js': 'export const gone = 1;\n',
        'src/dir.js': 'export const dir = 1;\n',
        'package-lock.json': '{}\n',
        '.gitignore': 'build/\n',
      },
    });
    symlinkSync('keep.js', join(repo, 'src/link.js'));
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'link');
    const commit = await git(repo, 'rev-parse', 'HEAD');
    expect(await filesChangedFrom(repo, commit)).toEqual([]);

    writeFileSync(join(repo, 'src/add.js'), 'export const add = (a, b) => a + b;\n');
    // Hidden from git status: the index is told the file did not change.
    await git(repo, 'update-index', '--assume-unchanged', 'src/add.js');
    rmSync(join(repo, 'src/gone.js'));
    rmSync(join(repo, 'src/dir.js'));
    mkdirSync(join(repo, 'src/dir.js'));
    rmSync(join(repo, 'src/link.js'));
    symlinkSync('add.js', join(repo, 'src/link.js'));
    // Not code: a lockfile an installer rewrote, a file git ignores, a mode.
    writeFileSync(join(repo, 'package-lock.json'), '{ "lockfileVersion": 3 }\n');
    mkdirSync(join(repo, 'build'));
    writeFileSync(join(repo, 'build/out.js'), 'built\n');
    chmodSync(join(repo, 'src/keep.js'), 0o755);
    expect((await filesChangedFrom(repo, commit)).sort()).toEqual([
      'src/add.js',
      'src/dir.js',
      'src/gone.js',
      'src/link.js',
    ]);
  });
});

describe('checkOfChangedTree', () => {
  it('fails a passing check with a blocking gate that names what changed', () => {
    const passed: CheckResult = { verdict: 'passed', gates: [], durationMs: 5, cancelled: false };
    const changed = checkOfChangedTree(passed, ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(changed.verdict).toBe('failed');
    expect(changed.gates).toEqual([
      expect.objectContaining({
        name: 'judged-tree',
        status: 'failed',
        blocking: true,
        reason:
          'the checks changed files of the commit they judged (a, b, c, d, e and 2 more): what passed is not ' +
          'what was committed. Tests and setup must not write the code under test',
      }),
    ]);
  });
});
