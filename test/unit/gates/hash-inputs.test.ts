import { describe, expect, it } from 'vitest';
import { hashInputs } from '../../../src/gates/cache/hash-inputs.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { writeFiles } from '../../support/write-files.ts';

async function changes(root: string, patterns: string[], edit: Record<string, string>): Promise<boolean> {
  const before = await hashInputs(root, patterns);
  writeFiles(root, edit);
  return (await hashInputs(root, patterns)).hash !== before.hash;
}

describe('hashInputs', () => {
  it('covers files in folders created after the first hash', async () => {
    const root = tempDir();
    writeFiles(root, { 'src/a.c': 'int a;' });
    expect(await changes(root, ['**/*'], { 'tests/new.c': 'x' })).toBe(true);
  });

  it('leaves out gitignored build output, unless a glob names its folder', async () => {
    const root = tempDir();
    writeFiles(root, { '.gitignore': 'dist/\n*.log\n', 'src/a.ts': 'a', 'dist/a.js': 'a' });
    expect(await changes(root, ['**/*'], { 'dist/a.js': 'b', 'debug.log': 'x' })).toBe(false);
    expect(await changes(root, ['**/*'], { 'src/a.ts': 'b' })).toBe(true);
    expect(await changes(root, ['dist/**'], { 'dist/a.js': 'c' })).toBe(true);
  });

  it('reads .git/info/exclude too', async () => {
    const root = tempDir();
    writeFiles(root, { '.git/info/exclude': 'scratch/\n', 'src/a.ts': 'a' });
    expect(await changes(root, ['**/*'], { 'scratch/notes.txt': 'x' })).toBe(false);
  });

  it('honours negated globs and skips node_modules, .git and .sluice unless named', async () => {
    const root = tempDir();
    writeFiles(root, { 'src/a.ts': 'a', 'docs/readme.md': 'd' });
    expect(await changes(root, ['**/*', '!docs/**'], { 'docs/readme.md': 'changed' })).toBe(false);
    expect(
      await changes(root, ['**/*'], { 'node_modules/x/index.js': '1', '.sluice/logs/a.log': 'x', '.git/HEAD': 'y' }),
    ).toBe(false);
    expect(await changes(root, ['node_modules/x/**'], { 'node_modules/x/index.js': '2' })).toBe(true);
  });

  it('changes when a matched file is deleted or renamed', async () => {
    const root = tempDir();
    writeFiles(root, { 'src/a.ts': 'same', 'src/b.ts': 'same' });
    const before = await hashInputs(root, ['src/**']);
    const { renameSync } = await import('node:fs');
    renameSync(`${root}/src/b.ts`, `${root}/src/c.ts`);
    expect((await hashInputs(root, ['src/**'])).hash).not.toBe(before.hash);
  });
});
