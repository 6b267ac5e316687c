// Run by the store tests as a separate process: `node store-child.ts <mode> <db file> ...`.
//   record-then-hang <db>                    records a run with one iteration, prints "recorded", hangs
//   write-many <db> <label> <count> <shared> creates run-<label> (and the shared run unless it exists),
//                                            writes <count> iterations with usage to its own run and
//                                            <count> events to the shared run; prints "done"
import { setInterval } from 'node:timers';
import { RunStore } from '../../../src/store/run-store.ts';
import type { StoreError } from '../../../src/store/store-error.ts';
import { gate, newRun, usage } from './store-builders.ts';

const [mode, file, label = '', count = '0', sharedRunId = ''] = process.argv.slice(2);
if (!file) throw new Error('usage: store-child.ts <mode> <db file> ...');
const store = await RunStore.open(file);

if (mode === 'record-then-hang') {
  await store.createRun(newRun({ id: 'crash-run', pid: process.pid }));
  await store.startIteration('crash-run', 1, { promptChars: 321, sessionId: 'session-1' });
  await store.recordGateResults('crash-run', 1, [gate({ name: 'unit', status: 'failed', exitCode: 1 })]);
  await store.recordUsage('crash-run', 1, [usage('sonnet', { costUsd: 0.5 }), usage('local', { costUsd: null })]);
  await store.finishIteration('crash-run', 1, { agentStatus: 'finished', checkVerdict: 'failed', commitSha: 'c0ffee' });
  await store.appendEvent('crash-run', 'test:before-kill', { pid: process.pid });
  process.stdout.write('recorded\n');
  setInterval(() => undefined, 60_000);
} else if (mode === 'write-many') {
  const runId = `run-${label}`;
  await store.createRun(newRun({ id: sharedRunId })).catch((error: StoreError) => {
    if (error.code !== 'STORE_RUN_EXISTS') throw error;
  });
  await store.createRun(newRun({ id: runId, pid: process.pid }));
  for (let number = 1; number <= Number(count); number++) {
    await store.startIteration(runId, number, { promptChars: number });
    await store.recordUsage(runId, number, [usage('sonnet', { inputTokens: number, costUsd: 0.25 })]);
    await store.finishIteration(runId, number, { agentStatus: 'finished' });
    await store.appendEvent(sharedRunId, 'test:tick', { label, number });
  }
  await store.close();
  process.stdout.write('done\n');
} else {
  throw new Error(`unknown mode ${mode}`);
}
