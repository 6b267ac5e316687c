import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { verifyObjectsWrittenSince } from '../../../src/workspace/object-integrity.ts';
import { git, gitdir } from '../../support/gitdir.ts';
import { writeFiles } from '../../support/write-files.ts';

describe('verifyObjectsWrittenSince', () => {
  it('finds a loose object rewritten with other content under its old id, and passes honest new objects', async () => {
    const repo = await gitdir({ files: { 'test/add.test.js': 'assert.equal(add(2, 3), 5);\n' } });
    const blob = await git(repo, 'rev-parse', 'HEAD:test/add.test.js');
    const objectPath = join(repo, '.git', 'objects', blob.slice(0, 2), blob.slice(2));
    const since = Date.now() - 1000;

    // An honest turn: new commits write new objects, all of which hash to their names.
    writeFiles(repo, { 'src/add.js': 'export const add = (a, b) => a + b;\n' });
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'honest');
    expect(await verifyObjectsWrittenSince(join(repo, '.git'), since)).toEqual([]);

    // The forgery: the base test's blob now holds a test that checks nothing; git reads it without a word.
    const original = readFileSync(objectPath);
    const forged = 'assert.ok(true);\n';
    writeFileSync(objectPath, deflateSync(Buffer.from(`blob ${forged.length}\0${forged}`)), { mode: 0o644 });
    expect(await git(repo, 'show', `${blob}`)).toBe(forged.trim());
    const problems = await verifyObjectsWrittenSince(join(repo, '.git'), since);
    expect(problems).toEqual([expect.stringContaining(`git object ${blob} was rewritten`)]);

    writeFileSync(objectPath, original);
    expect(await verifyObjectsWrittenSince(join(repo, '.git'), since)).toEqual([]);
  });

  it('finds an object forged right after the turn began, and leaves alone what was written well before it', async () => {
    const repo = await gitdir({ files: { 'test/add.test.js': 'assert.equal(add(2, 3), 5);\n' } });
    const blob = await git(repo, 'rev-parse', 'HEAD:test/add.test.js');
    const objectPath = join(repo, '.git', 'objects', blob.slice(0, 2), blob.slice(2));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const since = Date.now();
    // Written over a second before the turn: not looked at (the forgery below shows the look is real).
    expect(await verifyObjectsWrittenSince(join(repo, '.git'), since)).toEqual([]);
    const forged = 'assert.ok(true);\n';
    writeFileSync(objectPath, deflateSync(Buffer.from(`blob ${forged.length}\0${forged}`)), { mode: 0o644 });
    expect(await verifyObjectsWrittenSince(join(repo, '.git'), since)).toEqual([
      expect.stringContaining(`git object ${blob} was rewritten`),
    ]);
  });

  it('reports alternates written during the turn', async () => {
    const repo = await gitdir();
    const since = Date.now() - 1000;
    writeFileSync(join(repo, '.git/objects/info/alternates'), '/tmp/elsewhere/objects\n');
    expect(await verifyObjectsWrittenSince(join(repo, '.git'), since)).toEqual([
      'objects/info/alternates was written: git would read objects from another store',
    ]);
  });
});
