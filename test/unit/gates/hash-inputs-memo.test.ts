import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashInputs, InputHasher, type InputsHash } from '../../../src/gates/cache/hash-inputs.ts';
import { memoKey } from '../../../src/gates/cache/inputs-memo.ts';
import { git } from '../../support/gitdir.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { writeFiles } from '../../support/write-files.ts';
import { committedRepository, countGitCalls, rewriteKeepingSizeAndMtime, settle } from './git-input-fixtures.ts';

const memoFile = '_inputs-memo.json';
const forged = 'f'.repeat(64);

/** A committed repository whose index is newer than its files (so no entry is racily clean), and a memo folder. */
async function repository(): Promise<{ root: string; memoDir: string }> {
  return { root: await committedRepository(), memoDir: join(tempDir(), 'cache') };
}

/** A check's look, remembering hashes in `memoDir`; checked against a look with no memo at all. */
async function memoHash(root: string, memoDir: string, patterns: string[]): Promise<InputsHash> {
  const remembered = await new InputHasher(root, { memoDir }).hash(patterns);
  expect(remembered).toEqual(await hashInputs(root, patterns));
  return remembered;
}

/** The memo file with every remembered hash replaced: a lookup that answers from it says `forged`. */
function forgeMemo(memoDir: string, text: string): void {
  writeFileSync(join(memoDir, memoFile), text.replace(/"hash":"[0-9a-f]{64}"/g, `"hash":"${forged}"`));
}

/**
 * Whether `edit` changes the memoized hash of `patterns`. Before the edit the memo holds the hash; after the
 * edit, the memo of before is put back with its hashes forged, so a lookup that matches a key of before says
 * so. That is right only when nothing the hash covers changed; otherwise the hash must be the one a look with
 * no memo computes.
 */
async function changes(
  root: string,
  memoDir: string,
  patterns: string[],
  edit: () => void | Promise<void>,
): Promise<boolean> {
  const before = await memoHash(root, memoDir, patterns);
  const memoBefore = readFileSync(join(memoDir, memoFile), 'utf8');
  await edit();
  const fresh = await hashInputs(root, patterns);
  forgeMemo(memoDir, memoBefore);
  const after = await new InputHasher(root, { memoDir }).hash(patterns);
  writeFileSync(join(memoDir, memoFile), memoBefore); // no forged hash left for the next call
  if (after.hash === forged) {
    expect(fresh).toEqual(before);
    return false;
  }
  expect(after).toEqual(fresh);
  expect(after.via).toBe('git');
  return after.hash !== before.hash;
}

describe('InputHasher with a memo', () => {
  it('answers an unchanged tree from the memo, with the hash a look without memo computes', async () => {
    const { root, memoDir } = await repository();
    writeFiles(root, { 'src/a.ts': 'edited, not staged', 'src/new.ts': 'untracked' });
    const fresh = await hashInputs(root, ['src/**']);
    const first = await new InputHasher(root, { memoDir }).hash(['src/**']);
    expect(first).toEqual(fresh);
    expect(await new InputHasher(root, { memoDir }).hash(['src/**'])).toEqual(fresh);
    // Proof that the second look took the memo's word: forged, it is believed (the memo is as trusted as the
    // gate cache beside it, which a writer of that folder could forge as easily).
    forgeMemo(memoDir, readFileSync(join(memoDir, memoFile), 'utf8'));
    expect((await new InputHasher(root, { memoDir }).hash(['src/**'])).hash).toBe(forged);
    // Other globs, another key.
    expect(await new InputHasher(root, { memoDir }).hash(['src/**', 'docs/**'])).toEqual(
      await hashInputs(root, ['src/**', 'docs/**']),
    );
  });

  it('changes with every kind of change to an input, whatever an older memo says', async () => {
    const { root, memoDir } = await repository();
    const src = ['src/**'];
    expect(await changes(root, memoDir, src, () => writeFiles(root, { 'src/a.ts': 'changed' }))).toBe(true);
    expect(await changes(root, memoDir, src, () => unlinkSync(join(root, 'src/b.ts')))).toBe(true);
    expect(await changes(root, memoDir, src, () => writeFiles(root, { 'src/new.ts': 'untracked' }))).toBe(true);
    expect(await changes(root, memoDir, src, () => writeFiles(root, { 'src/deeper/x.ts': 'new folder' }))).toBe(true);
    expect(
      await changes(root, memoDir, src, () => renameSync(join(root, 'src/new.ts'), join(root, 'src/moved.ts'))),
    ).toBe(true);
    expect(await changes(root, memoDir, src, () => chmodSync(join(root, 'src/a.ts'), 0o755))).toBe(true);
    expect(await changes(root, memoDir, src, () => writeFiles(root, { 'src/kept.log': 'tracked, ignored' }))).toBe(
      true,
    );
    expect(await changes(root, memoDir, src, () => writeFiles(root, { '.gitignore': 'dist/\n*.log\nsrc/x/\n' }))).toBe(
      true,
    );
    expect(await changes(root, memoDir, src, () => writeFiles(root, { 'src/.gitattributes': '*.ts text\n' }))).toBe(
      true,
    );
    // Named although ignored: dist/ is in .gitignore, and the globs name it.
    expect(await changes(root, memoDir, ['dist/**'], () => writeFiles(root, { 'dist/out.js': 'built' }))).toBe(true);
    expect(await changes(root, memoDir, ['dist/**'], () => writeFiles(root, { 'dist/out.js': 'rebuilt' }))).toBe(true);
    // Not inputs: no change.
    expect(await changes(root, memoDir, src, () => writeFiles(root, { 'src/debug.log': 'ignored' }))).toBe(false);
    expect(await changes(root, memoDir, src, () => writeFiles(root, { 'docs/readme.md': 'elsewhere' }))).toBe(false);
  });

  it('changes when the index is rewritten under a changed file: staged, marked assume-unchanged or skip-worktree', async () => {
    const { root, memoDir } = await repository();
    const src = ['src/**'];
    // Staged: the index vouches for the new content, nothing on disk differs from it any more.
    expect(
      await changes(root, memoDir, src, async () => {
        writeFiles(root, { 'src/a.ts': 'staged change' });
        await git(root, 'add', 'src/a.ts');
      }),
    ).toBe(true);
    await settle(root);
    expect(
      await changes(root, memoDir, src, async () => {
        await git(root, 'update-index', '--assume-unchanged', 'src/a.ts');
        writeFiles(root, { 'src/a.ts': 'behind the mark' });
      }),
    ).toBe(true);
    // The mark stays: the next edit is seen too (the file is read on every look).
    expect(await changes(root, memoDir, src, () => writeFiles(root, { 'src/a.ts': 'behind it again' }))).toBe(true);
    expect(
      await changes(root, memoDir, src, async () => {
        await git(root, 'update-index', '--skip-worktree', 'src/b.ts');
        writeFiles(root, { 'src/b.ts': 'behind the other mark' });
      }),
    ).toBe(true);
    expect(await changes(root, memoDir, src, () => unlinkSync(join(root, 'src/b.ts')))).toBe(true);
  });

  it('changes when a file is rewritten with its size and mtime kept, in the second the index was written', async () => {
    const { root, memoDir } = await repository();
    await git(root, 'add', 'src/a.ts'); // the index now as new as the file: a racy entry git must re-read
    expect(
      await changes(root, memoDir, ['src/**'], () =>
        rewriteKeepingSizeAndMtime(join(root, 'src/a.ts'), 'export const a = 8;\n'),
      ),
    ).toBe(true);
  });

  it('gives the same hash for the same files, however git holds them: edited and restored, staged or not', async () => {
    const { root, memoDir } = await repository();
    const committed = await memoHash(root, memoDir, ['src/**']);
    const original = readFileSync(join(root, 'src/a.ts'), 'utf8');
    writeFiles(root, { 'src/a.ts': 'different' });
    const edited = await memoHash(root, memoDir, ['src/**']);
    expect(edited.hash).not.toBe(committed.hash);
    await git(root, 'add', 'src/a.ts');
    expect(await memoHash(root, memoDir, ['src/**'])).toEqual(edited);
    writeFiles(root, { 'src/a.ts': original });
    await git(root, 'add', 'src/a.ts');
    expect(await memoHash(root, memoDir, ['src/**'])).toEqual(committed);
  });

  it('is not fooled by an index whose content changed under the old checksum', async () => {
    const { root, memoDir } = await repository();
    const indexPath = join(root, '.git', 'index');
    const before = await memoHash(root, memoDir, ['src/**']);
    const trailer = readFileSync(indexPath).subarray(-20);
    writeFiles(root, { 'src/a.ts': 'staged' });
    await git(root, 'add', 'src/a.ts');
    const index = readFileSync(indexPath);
    trailer.copy(index, index.length - 20);
    writeFileSync(indexPath, index);
    const after = await new InputHasher(root, { memoDir }).hash(['src/**']);
    expect(after.hash).not.toBe(before.hash);
    expect(after).toEqual(await hashInputs(root, ['src/**']));
  });

  it('ignores a memo it cannot read', async () => {
    const { root, memoDir } = await repository();
    const fresh = await hashInputs(root, ['src/**']);
    for (const text of [
      'not json',
      '{"version":999,"results":[]}',
      '{"version":1,"results":[["k",{"hash":"nothex","fileCount":1}],7,null]}',
    ]) {
      writeFiles(memoDir, { [memoFile]: text });
      expect(await new InputHasher(root, { memoDir }).hash(['src/**'])).toEqual(fresh);
    }
    // And replaces it with one it can.
    expect(JSON.parse(readFileSync(join(memoDir, memoFile), 'utf8')).version).toBe(1);
  });

  it('keys apart parts that would read alike joined as lines (a path may hold a newline)', () => {
    const parts = {
      indexKey: 'i',
      prefix: '',
      objectFormat: 'sha1',
      patterns: ['src/**'],
      removed: [] as string[],
      read: [] as Array<[string, string | undefined]>,
      nested: [] as Array<[string, string]>,
    };
    const keys = [
      memoKey({ ...parts, removed: ['src/a\nsrc/b'] }),
      memoKey({ ...parts, removed: ['src/a', 'src/b'] }),
      memoKey({ ...parts, read: [['src/a\nsrc/b', undefined]] }),
      memoKey({ ...parts, read: [['src/a\nsrc/b', '-']] }),
      memoKey({ ...parts, read: [['src/a', undefined]], removed: ['src/b'] }),
      memoKey({ ...parts, nested: [['src/a', 'h']] }),
      memoKey({ ...parts, read: [['src/a', 'h']] }),
      memoKey({ ...parts, prefix: 'app/' }),
      memoKey({ ...parts, patterns: ['src/**', 'x'] }),
      memoKey(parts),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    // Order-free: the same parts listed in another order.
    expect(memoKey({ ...parts, removed: ['src/b', 'src/a'] })).toBe(keys[1]);
  });

  it('never writes through a link planted where the memo or its temporary file goes', async () => {
    const { root, memoDir } = await repository();
    const outside = tempDir();
    writeFiles(outside, { 'memo-target': 'keep me\n', 'temp-target': 'keep me too\n' });
    mkdirSync(memoDir, { recursive: true });
    symlinkSync(join(outside, 'memo-target'), join(memoDir, memoFile));
    symlinkSync(join(outside, 'temp-target'), join(memoDir, `${memoFile}.1.${process.pid}.tmp`));
    const fresh = await hashInputs(root, ['src/**']);
    expect(await new InputHasher(root, { memoDir }).hash(['src/**'])).toEqual(fresh);
    expect(readFileSync(join(outside, 'memo-target'), 'utf8')).toBe('keep me\n');
    expect(readFileSync(join(outside, 'temp-target'), 'utf8')).toBe('keep me too\n');
    expect(lstatSync(join(memoDir, memoFile)).isFile()).toBe(true);
  });

  it('asks git check-ignore once for the gates hashed together', async () => {
    const { root, memoDir } = await repository();
    const calls = countGitCalls();
    const hasher = new InputHasher(root, { memoDir });
    await Promise.all([
      hasher.hash(['src/**']),
      hasher.hash(['docs/**', 'package.json']),
      hasher.hash(['dist/**', 'src/**']),
    ]);
    expect(calls('check-ignore')).toBe(1);
    expect(calls('diff-files')).toBe(1);
  });

  it("asks git about the last check's input folders as it looks, and still takes git's word on them now", async () => {
    const { root, memoDir } = await repository();
    await new InputHasher(root, { memoDir }).hash(['src/**']); // remembers the folders it asked about
    const calls = countGitCalls();
    const early = new InputHasher(root, { memoDir });
    early.lookAhead();
    await early.worktree();
    await new Promise((resolve) => setTimeout(resolve, 300)); // its check-ignore, batched on the next turn
    expect(calls('check-ignore')).toBe(1); // asked with the look, before any glob is known
    await early.hash(['src/**']);
    expect(calls('check-ignore')).toBe(1); // and not again for the same folders
    // The rules change between two checks: the remembered question gets the new answer.
    writeFiles(root, { '.git/info/exclude': 'src/\n', 'src/new.ts': 'untracked, ignored\n' });
    const before = await hashInputs(root, ['src/**']);
    const after = new InputHasher(root, { memoDir });
    after.lookAhead();
    expect(await after.hash(['src/**'])).toEqual(before);
  });
});
