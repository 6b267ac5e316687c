import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LockHolder, lockChecks } from '../../../src/gates/check-lock.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('lockChecks', () => {
  it('makes a second check wait until the first releases, and says whom it waits for', async () => {
    const root = tempDir();
    const first = await lockChecks(root);
    delete process.env.SLUICE_CHECK_LOCK; // what follows plays another process
    const waitedFor: LockHolder[] = [];
    let secondHasIt = false;
    const second = lockChecks(root, { pollMs: 20, onWait: (holder) => waitedFor.push(holder) }).then((lock) => {
      secondHasIt = true;
      return lock;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(secondHasIt).toBe(false);
    expect(waitedFor).toEqual([expect.objectContaining({ pid: process.pid })]);
    await first.release();
    const lock = await second;
    expect(secondHasIt).toBe(true);
    await lock.release();
    expect(existsSync(join(root, '.sluice', 'check.lock'))).toBe(false);
  });

  it('takes over the lock of a check that died, and a lock file that is garbage', async () => {
    const root = tempDir();
    mkdirSync(join(root, '.sluice'));
    const dead = spawnSync('true');
    expect(dead.status).toBe(0);
    for (const text of [JSON.stringify({ pid: dead.pid, startedAt: 'x' }), 'not json', '']) {
      writeFileSync(join(root, '.sluice', 'check.lock'), text);
      const lock = await lockChecks(root, { pollMs: 20, onWait: () => expect.fail('waited for a dead check') });
      await lock.release();
    }
  });

  it('lets a check started by a gate of the check holding the lock run, instead of waiting for its parent', async () => {
    const root = tempDir();
    const outer = await lockChecks(root);
    expect(process.env.SLUICE_CHECK_LOCK).toBe(join(root, '.sluice', 'check.lock'));
    const inner = await lockChecks(root, { onWait: () => expect.fail('a nested check waited for its parent') });
    await inner.release();
    await outer.release();
    expect(process.env.SLUICE_CHECK_LOCK).toBeUndefined();
  });

  it('stops waiting when cancelled', async () => {
    const root = tempDir();
    const first = await lockChecks(root);
    delete process.env.SLUICE_CHECK_LOCK;
    const controller = new AbortController();
    const second = lockChecks(root, { pollMs: 20, signal: controller.signal });
    controller.abort(new Error('cancelled'));
    await expect(second).rejects.toThrow('cancelled');
    await first.release();
  });
});
