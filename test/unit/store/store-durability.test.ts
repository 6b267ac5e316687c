import { existsSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RunStore, runStorePath } from '../../../src/store/run-store.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { spawnStoreChild, waitForExit, waitForLine } from './child-processes.ts';
import { newRun, usage } from './store-builders.ts';
import { openStore } from './store-fixtures.ts';

describe('RunStore files', () => {
  it('creates .sluice/sluice.db under the config folder, and reopening it migrates nothing twice', async () => {
    const dir = tempDir();
    const first = await openStore(dir);
    expect(existsSync(runStorePath(dir))).toBe(true);
    await first.createRun(newRun({ id: 'run-a' }));
    await first.close();

    const second = await openStore(dir);
    const third = await openStore(dir);
    expect((await second.getRun('run-a'))?.id).toBe('run-a');
    expect((await third.listRuns()).map((run) => run.id)).toEqual(['run-a']);
  });

  it('refuses calls after close with a typed error, and closes twice without harm', async () => {
    const store = await RunStore.open(runStorePath(tempDir()));
    await store.close();
    await store.close();
    await expect(store.getRun('run-a')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    await expect(store.createRun(newRun())).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });

  it('fails with a typed error when the file is not a database', async () => {
    const dir = tempDir();
    writeFileSync(`${dir}/garbage.db`, 'this is not SQLite '.repeat(100));
    await expect(RunStore.open(`${dir}/garbage.db`)).rejects.toMatchObject({
      code: 'STORE_OPEN_FAILED',
      message: expect.stringContaining('garbage.db'),
    });
  });

  it('keeps every write of two stores on one file in one process', async () => {
    const dir = tempDir();
    const left = await openStore(dir);
    const right = await openStore(dir);
    await left.createRun(newRun({ id: 'shared' }));
    const writes = Array.from({ length: 40 }, (_, index) => {
      const store = index % 2 === 0 ? left : right;
      return Promise.all([
        store.appendEvent('shared', 'test:tick', { index }),
        store.recordUsage('shared', index, [usage('sonnet', { inputTokens: 1, costUsd: 0.25 })]),
      ]);
    });
    await Promise.all(writes);

    const events = await left.events('shared');
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 81 }, (_, index) => index + 1));
    expect(events.filter((event) => event.type === 'test:tick')).toHaveLength(40);
    const [total] = await right.usageTotals({ by: 'run' });
    expect(total).toMatchObject({ records: 40, inputTokens: 40, costUsd: 10 });
  });
});

describe('RunStore across processes', () => {
  it('keeps every row when two processes open a fresh file and write at the same time', async () => {
    const dir = tempDir();
    const file = runStorePath(dir);
    const count = 30;
    const children = ['left', 'right'].map((label) =>
      spawnStoreChild(['write-many', file, label, String(count), 'shared']),
    );
    await Promise.all(children.map((child) => waitForLine(child, 'done')));
    expect(await Promise.all(children.map(waitForExit))).toEqual([0, 0]);

    const store = await openStore(dir);
    for (const label of ['left', 'right']) {
      const iterations = await store.listIterations(`run-${label}`);
      expect(iterations.map((iteration) => iteration.number)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
      expect(iterations.every((iteration) => iteration.status === 'finished')).toBe(true);
    }
    const byRun = await store.usageTotals({ by: 'run' });
    expect(byRun.map((total) => [total.key, total.records, total.inputTokens, total.costUsd])).toEqual([
      ['run-left', count, (count * (count + 1)) / 2, count * 0.25],
      ['run-right', count, (count * (count + 1)) / 2, count * 0.25],
    ]);
    const shared = await store.events('shared');
    expect(shared.map((event) => event.seq)).toEqual(Array.from({ length: 2 * count + 1 }, (_, i) => i + 1));
    const ticks = shared.filter((event) => event.type === 'test:tick').map((event) => event.payload);
    expect(ticks).toHaveLength(2 * count);
    expect(ticks).toContainEqual({ label: 'left', number: count });
    expect(ticks).toContainEqual({ label: 'right', number: count });
  });

  it('loses nothing already recorded when the recording process is killed with SIGKILL', async () => {
    const dir = tempDir();
    const child = spawnStoreChild(['record-then-hang', runStorePath(dir)]);
    await waitForLine(child, 'recorded');
    child.kill('SIGKILL');
    expect(await waitForExit(child)).toBe('SIGKILL');

    const store = await openStore(dir);
    expect(await store.getRun('crash-run')).toMatchObject({ status: 'running', pid: child.pid });
    expect(await store.lastFinishedIteration('crash-run')).toMatchObject({
      number: 1,
      promptChars: 321,
      sessionId: 'session-1',
      agentStatus: 'finished',
      checkVerdict: 'failed',
      commitSha: 'c0ffee',
    });
    expect(await store.gateResults('crash-run')).toMatchObject([{ name: 'unit', status: 'failed', exitCode: 1 }]);
    expect(await store.runUsage('crash-run')).toEqual([
      usage('local', { costUsd: null }),
      usage('sonnet', { costUsd: 0.5 }),
    ]);
    expect((await store.events('crash-run')).map((event) => event.type)).toEqual([
      'run:create',
      'run:iteration:start',
      'run:gates:record',
      'run:usage:record',
      'run:iteration:finish',
      'test:before-kill',
    ]);

    // The run the dead process left behind can be taken over and finished.
    await store.setRunPid('crash-run', process.pid);
    await store.startIteration('crash-run', 2, { promptChars: 1 });
    expect(await store.finishRun('crash-run', { status: 'cancelled' })).toMatchObject({ status: 'cancelled' });
  });
});
