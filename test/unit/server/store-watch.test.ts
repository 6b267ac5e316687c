import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreWatch, type WatchEvent } from '../../../src/server/store-watch.ts';
import { RunStore } from '../../../src/store/run-store.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { newRun } from '../store/store-builders.ts';

const stores: RunStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

async function open(path: string, at: () => Date): Promise<RunStore> {
  const store = await RunStore.open(path, { now: at });
  stores.push(store);
  return store;
}

/** Wait for the watch to tell of `runId`, up to a few ticks. */
async function told(events: WatchEvent[], runId: string): Promise<boolean> {
  for (let tick = 0; tick < 40; tick++) {
    if (events.some((event) => event.name === 'change' && event.data.runIds.includes(runId))) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe('the store watch behind sluice serve', () => {
  it("sees another process's writes though that writer's clock is behind the store's latest stamp", async () => {
    const path = join(tempDir('sluice-watch-'), 'sluice.db');
    // A store filled by a machine whose clock ran an hour ahead (or before the clock was set back).
    const ahead = await open(path, () => new Date(Date.now() + 3_600_000));
    await ahead.createRun(newRun({ id: 'from-the-future' }));
    const server = await open(path, () => new Date());
    const writer = await open(path, () => new Date());
    const events: WatchEvent[] = [];
    const watch = new StoreWatch(server, (error) => {
      throw error;
    });
    const stop = watch.subscribe((event) => events.push(event));
    try {
      await new Promise((resolve) => setTimeout(resolve, 400)); // the first look takes the marks
      await writer.createRun(newRun({ id: 'now' }));
      expect(await told(events, 'now')).toBe(true);
      await writer.startIteration('now', 1, { promptChars: 10 });
      events.length = 0;
      await writer.finishIteration('now', 1, { agentStatus: 'finished', checkVerdict: 'failed' });
      expect(await told(events, 'now')).toBe(true);
      expect(events.some((event) => event.name === 'change' && event.data.runIds.includes('from-the-future'))).toBe(
        false,
      );
    } finally {
      stop();
    }
  });
});
