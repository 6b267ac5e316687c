import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, renameSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashInputs, InputHasher } from '../../../src/gates/cache/hash-inputs.ts';
import { git } from '../../support/gitdir.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { writeFiles } from '../../support/write-files.ts';
import { committedRepository, countGitCalls, rewriteKeepingSizeAndMtime, settle } from './git-input-fixtures.ts';

const repository = committedRepository;

/** Whether `edit` changes the hash of `patterns`, which must be computed from git in both looks. */
async function changes(root: string, patterns: string[], edit: () => void | Promise<void>): Promise<boolean> {
  const before = await hashInputs(root, patterns);
  await edit();
  const after = await hashInputs(root, patterns);
  expect([before.via, after.via]).toEqual(['git', 'git']);
  return after.hash !== before.hash;
}

/** True when plain `git status` (with the repository's own settings) sees no change: git itself is fooled. */
async function gitSeesNoChange(root: string): Promise<boolean> {
  // Plain git, not Sluice's runGit: that one overrides the lax stat settings these tests set.
  const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root });
  return status.length === 0;
}

describe('hashInputs inside a git work tree', () => {
  it('changes when content changes with size and mtime kept (git compares ctime, and re-reads racy entries)', async () => {
    const root = await repository();
    // Not racy: the index is newer than the file; only the ctime, which no one can set back, differs.
    expect(
      await changes(root, ['src/**'], () =>
        rewriteKeepingSizeAndMtime(join(root, 'src/a.ts'), 'export const a = 7;\n'),
      ),
    ).toBe(true);
    // Racy: the change lands in the same second the index was written; git must read the file to know.
    await git(root, 'add', 'src/a.ts');
    expect(
      await changes(root, ['src/**'], () =>
        rewriteKeepingSizeAndMtime(join(root, 'src/a.ts'), 'export const a = 8;\n'),
      ),
    ).toBe(true);
  });

  it('changes when the file was rewritten in the second git recorded it, its mtime set back (git misses that)', async () => {
    const root = await repository();
    const file = join(root, 'src/a.ts');
    // git compares ctime to the second: try until the rewrite lands in the same second as `git add`, which
    // fools git itself (checked), then the hash must still change.
    for (let attempt = 1; ; attempt++) {
      execFileSync('touch', ['-m', '-d', '@1577836800.123456789', file]); // an old mtime, so the entry is not racy
      await git(root, 'add', 'src/a.ts');
      const before = await hashInputs(root, ['src/**']);
      // Stage the same content again just before the rewrite: git records a fresh ctime, and the rewrite
      // follows within milliseconds (hashing took long enough to cross a second more often than not).
      execFileSync('touch', ['-m', '-d', '@1577836800.123456789', file]);
      await git(root, 'add', 'src/a.ts');
      rewriteKeepingSizeAndMtime(file, `export const a = ${(attempt + 1) % 10};\n`);
      if (!(await gitSeesNoChange(root))) {
        expect(attempt).toBeLessThan(10); // crossed into the next second: git saw it by ctime; try again
        continue;
      }
      const after = await hashInputs(root, ['src/**']);
      expect(after.via).toBe('git');
      expect(after.hash).not.toBe(before.hash);
      break;
    }
  });

  it('is not fooled by repository settings that make git trust stale stat data', async () => {
    const root = await repository();
    await git(root, 'config', 'core.trustctime', 'false');
    expect(
      await changes(root, ['src/**'], async () => {
        rewriteKeepingSizeAndMtime(join(root, 'src/a.ts'), 'export const a = 5;\n');
        expect(await gitSeesNoChange(root)).toBe(true); // the setting alone fools git
      }),
    ).toBe(true);

    await git(root, 'config', '--unset', 'core.trustctime');
    await git(root, 'config', 'core.checkStat', 'minimal');
    await settle(root);
    expect(
      await changes(root, ['src/**'], () =>
        rewriteKeepingSizeAndMtime(join(root, 'src/b.ts'), 'export const b = 9;\n'),
      ),
    ).toBe(true);

    await git(root, 'config', 'core.ignoreStat', 'true');
    expect(await changes(root, ['src/**'], () => writeFiles(root, { 'src/a.ts': 'ignoreStat' }))).toBe(true);
  });

  it('is not fooled by a file-system monitor hook that says nothing changed', async () => {
    const root = await repository();
    const before = await hashInputs(root, ['src/**']);
    writeFiles(root, { '.git/lying-monitor': "#!/bin/sh\nprintf 'token\\0'\n" });
    chmodSync(join(root, '.git/lying-monitor'), 0o755);
    await git(root, 'config', 'core.fsmonitor', '.git/lying-monitor');
    await git(root, 'config', 'core.fsmonitorHookVersion', '2');
    await settle(root);
    execFileSync('git', ['status', '--porcelain'], { cwd: root }); // a plain status records the monitor's token
    writeFiles(root, { 'src/b.ts': 'the monitor will not say so' });
    expect(
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }),
    ).toBe(''); // git itself is fooled
    const after = await hashInputs(root, ['src/**']);
    expect(after.via).toBe('git');
    expect(after.hash).not.toBe(before.hash);
  });

  it('reads the files marked assume-unchanged or skip-worktree instead of trusting the marks', async () => {
    const root = await repository();
    await git(root, 'update-index', '--assume-unchanged', 'src/a.ts');
    expect(
      await changes(root, ['src/**'], async () => {
        writeFiles(root, { 'src/a.ts': 'changed behind the mark' });
        expect(await gitSeesNoChange(root)).toBe(true);
      }),
    ).toBe(true);
    await git(root, 'update-index', '--skip-worktree', 'src/b.ts');
    expect(
      await changes(root, ['src/**'], async () => {
        writeFiles(root, { 'src/b.ts': 'changed behind the other mark' });
        expect(await gitSeesNoChange(root)).toBe(true);
      }),
    ).toBe(true);
    // A marked file that is deleted is gone from the inputs too.
    expect(await changes(root, ['src/**'], () => unlinkSync(join(root, 'src/a.ts')))).toBe(true);
  });

  it('counts new untracked files, tracked files that .gitignore matches, and ignored folders a glob names', async () => {
    const root = await repository();
    expect(await changes(root, ['src/**'], () => writeFiles(root, { 'src/new.ts': 'new' }))).toBe(true);
    expect(await changes(root, ['src/**'], () => writeFiles(root, { 'src/more/deep.ts': 'new folder' }))).toBe(true);
    expect(await changes(root, ['src/**'], () => writeFiles(root, { 'src/kept.log': 'tracked, ignored' }))).toBe(true);
    expect(await changes(root, ['src/**'], () => writeFiles(root, { 'src/debug.log': 'ignored' }))).toBe(false);
    expect(await changes(root, ['**/*'], () => writeFiles(root, { 'dist/out.js': 'build output' }))).toBe(false);
    expect(await changes(root, ['dist/**'], () => writeFiles(root, { 'dist/out.js': 'named' }))).toBe(true);
    expect(await changes(root, ['dist/**'], () => writeFiles(root, { 'dist/sub/x.js': 'named, deeper' }))).toBe(true);
  });

  it('changes when an input is deleted or renamed, not when a file outside the globs changes', async () => {
    const root = await repository();
    expect(await changes(root, ['src/**'], () => unlinkSync(join(root, 'src/b.ts')))).toBe(true);
    expect(
      await changes(root, ['src/**'], () => renameSync(join(root, 'src/a.ts'), join(root, 'src/renamed.ts'))),
    ).toBe(true);
    expect(await changes(root, ['src/**'], () => writeFiles(root, { 'docs/readme.md': 'tracked, elsewhere' }))).toBe(
      false,
    );
    expect(await changes(root, ['src/**'], () => writeFiles(root, { 'other/new.ts': 'untracked, elsewhere' }))).toBe(
      false,
    );
    expect(await changes(root, ['src/**', '!src/b.ts'], () => writeFiles(root, { 'src/b.ts': 'excluded' }))).toBe(
      false,
    );
  });

  it('changes when a file becomes executable, or a symlink points elsewhere', async () => {
    const root = await repository();
    expect(await changes(root, ['src/**'], () => chmodSync(join(root, 'src/a.ts'), 0o755))).toBe(true);
    symlinkSync('a.ts', join(root, 'src/link.ts'));
    await git(root, 'add', 'src/link.ts');
    await git(root, 'commit', '--quiet', '-m', 'link');
    await settle(root);
    expect(
      await changes(root, ['src/**'], () => {
        unlinkSync(join(root, 'src/link.ts'));
        symlinkSync('b.ts', join(root, 'src/link.ts'));
      }),
    ).toBe(true);
  });

  it('gives the same hash for the same content, whether git vouches for it or it is read', async () => {
    const root = await repository();
    const committed = await hashInputs(root, ['src/**']);
    const original = readFileSync(join(root, 'src/a.ts'), 'utf8');
    writeFiles(root, { 'src/a.ts': 'different' });
    expect((await hashInputs(root, ['src/**'])).hash).not.toBe(committed.hash);
    writeFiles(root, { 'src/a.ts': original });
    expect(await hashInputs(root, ['src/**'])).toEqual(committed);
    // Deleted from the index but still on disk (untracked now): read, same id.
    await git(root, 'rm', '--cached', '--quiet', 'src/b.ts');
    expect(await hashInputs(root, ['src/**'])).toEqual(committed);
  });

  it('takes a change to .gitignore as a change, so ignoring a file cannot hide it', async () => {
    const root = await repository();
    expect(
      await changes(root, ['src/**'], () => writeFiles(root, { '.gitignore': 'dist/\n*.log\nsrc/hidden.ts\n' })),
    ).toBe(true);
    expect(await changes(root, ['src/**'], () => writeFiles(root, { 'src/hidden.ts': 'ignored now' }))).toBe(false);
  });

  it('hashes a config folder below the repository root from its own files', async () => {
    const root = await repository({ 'app/src/a.ts': 'a', 'lib/x.ts': 'x', '.gitignore': 'dist/\n' });
    const app = join(root, 'app');
    expect((await hashInputs(app, ['**/*'])).fileCount).toBe(1);
    expect(await changes(app, ['**/*'], () => writeFiles(root, { 'lib/x.ts': 'outside the folder' }))).toBe(false);
    expect(await changes(app, ['src/**'], () => writeFiles(app, { 'src/a.ts': 'changed' }))).toBe(true);
    expect(await changes(app, ['**/*'], () => writeFiles(app, { 'src/new.ts': 'new' }))).toBe(true);
  });

  it('reads the files of a folder the repository around it ignores, and of a repository nested inside', async () => {
    const root = await repository({ '.gitignore': 'scratch/\n', 'README.md': 'r' });
    const scratch = join(root, 'scratch', 'project');
    mkdirSync(scratch, { recursive: true });
    writeFiles(scratch, { 'src/a.ts': 'a' });
    expect((await hashInputs(scratch, ['src/**'])).via).toBe('reading');
    const before = await hashInputs(scratch, ['src/**']);
    writeFiles(scratch, { 'src/b.ts': 'new' });
    expect((await hashInputs(scratch, ['src/**'])).hash).not.toBe(before.hash);

    const nested = join(root, 'vendor', 'lib');
    mkdirSync(nested, { recursive: true });
    await git(nested, 'init', '--quiet');
    writeFiles(nested, { 'index.ts': 'v1' });
    expect(await changes(root, ['vendor/**'], () => writeFiles(nested, { 'index.ts': 'v2' }))).toBe(true);
  });

  it('falls back to reading files outside git', async () => {
    const root = tempDir();
    writeFiles(root, { 'src/a.ts': 'a' });
    expect((await hashInputs(root, ['src/**'])).via).toBe('reading');
  });
});

describe('InputHasher', () => {
  it('asks git once for all the gates of a check, until a gate runs', async () => {
    const root = await repository();
    const calls = countGitCalls();
    const listings = () => calls('ls-files');

    const hasher = new InputHasher(root);
    const [first, second, third] = await Promise.all([
      hasher.hash(['src/**']),
      hasher.hash(['src/**']),
      hasher.hash(['src/**', 'docs/**']),
    ]);
    expect(first).toBe(second); // the very same result: hashed once
    expect(third.fileCount).toBe(4);
    expect(listings()).toBe(1);
    await hasher.hash(['docs/**']);
    expect(listings()).toBe(1);

    writeFiles(root, { 'src/a.ts': 'written by a gate' });
    expect((await hasher.hash(['src/**'])).hash).toBe(first.hash); // the same look, until told
    hasher.invalidate();
    expect((await hasher.hash(['src/**'])).hash).not.toBe(first.hash);
    expect(listings()).toBe(2);
  });
});
