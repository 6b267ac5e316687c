import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sweepDeadScratch } from '../../../src/process/scratch-dir.ts';

const parents: string[] = [];
afterEach(() => {
  for (const parent of parents.splice(0)) rmSync(parent, { recursive: true, force: true });
});

/** A pid no process has: above the kernel's pid_max default, so nothing can be running under it. */
const deadPid = 4_194_305;

describe('sweepDeadScratch', () => {
  it('removes what dead owners and day-old ownerless folders left, and nothing of the living or the recent', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'sweep-test-'));
    parents.push(parent);
    const dayAndMore = new Date(Date.now() - 25 * 60 * 60 * 1000);
    const folders = {
      deadOwner: `sluice-run-${deadPid}-abcdef`,
      ownProcess: `sluice-run-${process.pid}-ghijkl`,
      oldOwnerless: ['sluice-git-aaaaaa', 'sluice-git-bbbbbb', 'sluice-gh-cccccc'],
      freshOwnerless: 'sluice-git-dddddd',
      notOurs: 'something-else-123456',
    };
    for (const name of [
      folders.deadOwner,
      folders.ownProcess,
      ...folders.oldOwnerless,
      folders.freshOwnerless,
      folders.notOurs,
    ]) {
      mkdirSync(join(parent, name, 'inner'), { recursive: true });
    }
    for (const name of folders.oldOwnerless) utimesSync(join(parent, name), dayAndMore, dayAndMore);

    const removed = await sweepDeadScratch(parent);

    expect(removed.map((path) => path.slice(parent.length + 1)).sort()).toEqual(
      [folders.deadOwner, ...folders.oldOwnerless].sort(),
    );
    expect(readdirSync(parent).sort()).toEqual([folders.ownProcess, folders.freshOwnerless, folders.notOurs].sort());
  });
});
