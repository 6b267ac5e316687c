import { describe, expect, it } from 'vitest';
import type { GateResult } from '../../../src/gates/gate-results.ts';
import { isRunId, newRunId } from '../../../src/store/run-id.ts';
import { StoreError } from '../../../src/store/store-error.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { gate, manualClock, newRun, usage } from './store-builders.ts';
import { openStore } from './store-fixtures.ts';

describe('newRunId', () => {
  it('is the UTC date and time and 4 base36 characters, and sorts by time', () => {
    const id = newRunId(new Date('2026-11-24T10:30:12.345Z'));
    expect(id).toMatch(/^20261124-103012-[0-9a-z]{4}$/);
    expect(isRunId(id)).toBe(true);
    expect(newRunId(new Date('2026-11-24T10:30:13Z')) > id).toBe(true);
    expect(isRunId('../20261124-103012-k3f9')).toBe(false);
  });
});

describe('RunStore runs', () => {
  it('creates a run as running, with a fresh id, and reads it back as written', async () => {
    const clock = manualClock('2026-11-24T10:30:12.000Z');
    const store = await openStore(tempDir(), { now: clock.now });
    const created = await store.createRun(newRun({ pid: 4242 }));
    expect(created.id).toMatch(/^20261124-103012-[0-9a-z]{4}$/);
    expect(created).toMatchObject({
      status: 'running',
      goal: 'make the cart total right',
      model: 'claude-sonnet-4-5',
      pid: 4242,
      options: { budgets: { maxIterations: 5, maxUsd: 2.5 }, acceptance: ['npm test'] },
      createdAt: '2026-11-24T10:30:12.000Z',
      updatedAt: '2026-11-24T10:30:12.000Z',
    });
    expect(await store.getRun(created.id)).toEqual(created);
    expect(await store.getRun('no-such-run')).toBeUndefined();
  });

  it('refuses a second run with the same id', async () => {
    const store = await openStore(tempDir());
    await store.createRun(newRun({ id: 'run-a' }));
    await expect(store.createRun(newRun({ id: 'run-a' }))).rejects.toMatchObject({ code: 'STORE_RUN_EXISTS' });
  });

  it('lists runs newest first, by status and up to a limit', async () => {
    const clock = manualClock('2026-11-24T10:00:00.000Z');
    const store = await openStore(tempDir(), { now: clock.now });
    for (const [id, minute] of [
      ['run-a', '01'],
      ['run-b', '02'],
      ['run-c', '03'],
    ]) {
      clock.set(`2026-11-24T10:${minute}:00.000Z`);
      await store.createRun(newRun({ id }));
    }
    await store.finishRun('run-b', { status: 'done' });
    expect((await store.listRuns()).map((run) => run.id)).toEqual(['run-c', 'run-b', 'run-a']);
    expect((await store.listRuns({ status: 'running' })).map((run) => run.id)).toEqual(['run-c', 'run-a']);
    expect((await store.listRuns({ limit: 1 })).map((run) => run.id)).toEqual(['run-c']);
  });

  it('records the driving pid and finishes a run once, with a typed error the second time', async () => {
    const clock = manualClock('2026-11-24T10:00:00.000Z');
    const store = await openStore(tempDir(), { now: clock.now });
    await store.createRun(newRun({ id: 'run-a', pid: 1 }));
    await store.setRunPid('run-a', 777);
    clock.set('2026-11-24T11:00:00.000Z');
    const finished = await store.finishRun('run-a', { status: 'blocked', reason: 'unit test cart.test.js:7 fails' });
    expect(finished).toMatchObject({
      status: 'blocked',
      reason: 'unit test cart.test.js:7 fails',
      pid: 777,
      finishedAt: '2026-11-24T11:00:00.000Z',
      updatedAt: '2026-11-24T11:00:00.000Z',
    });
    const again = store.finishRun('run-a', { status: 'done' });
    await expect(again).rejects.toBeInstanceOf(StoreError);
    await expect(again).rejects.toMatchObject({ code: 'STORE_RUN_FINISHED' });
    expect(await store.getRun('run-a')).toMatchObject({ status: 'blocked' });
    await expect(store.setRunPid('run-a', 5)).rejects.toMatchObject({ code: 'STORE_RUN_FINISHED' });
    await expect(store.finishRun('no-such-run', { status: 'done' })).rejects.toMatchObject({
      code: 'STORE_RUN_NOT_FOUND',
    });
  });
});

describe('RunStore iterations', () => {
  it('starts and finishes iterations and lists them in order', async () => {
    const clock = manualClock('2026-11-24T10:00:00.000Z');
    const store = await openStore(tempDir(), { now: clock.now });
    await store.createRun(newRun({ id: 'run-a' }));
    const started = await store.startIteration('run-a', 1, { promptChars: 1234, sessionId: 'session-1' });
    expect(started).toMatchObject({ runId: 'run-a', number: 1, status: 'running', promptChars: 1234 });
    expect(await store.lastFinishedIteration('run-a')).toBeUndefined();

    clock.set('2026-11-24T10:05:00.000Z');
    const finished = await store.finishIteration('run-a', 1, {
      agentStatus: 'finished',
      agentExitCode: 0,
      commitSha: 'abc123',
      filesChanged: 2,
      insertions: 10,
      deletions: 3,
      checkVerdict: 'failed',
      failureSignature: 'f00d',
      feedback: '1 gate failed: unit',
    });
    expect(finished).toEqual({
      runId: 'run-a',
      number: 1,
      status: 'finished',
      promptChars: 1234,
      sessionId: 'session-1',
      agentStatus: 'finished',
      agentExitCode: 0,
      commitSha: 'abc123',
      filesChanged: 2,
      insertions: 10,
      deletions: 3,
      checkVerdict: 'failed',
      failureSignature: 'f00d',
      feedback: '1 gate failed: unit',
      startedAt: '2026-11-24T10:00:00.000Z',
      finishedAt: '2026-11-24T10:05:00.000Z',
    });
    await store.startIteration('run-a', 2, { promptChars: 99 });
    await store.finishIteration('run-a', 2, {
      agentStatus: 'timed-out',
      agentReason: 'no answer in 600s',
      sessionId: 's2',
    });
    await store.startIteration('run-a', 3, { promptChars: 50 });

    const iterations = await store.listIterations('run-a');
    expect(iterations.map((iteration) => [iteration.number, iteration.status])).toEqual([
      [1, 'finished'],
      [2, 'finished'],
      [3, 'running'],
    ]);
    expect(iterations[0]).toEqual(finished);
    expect(iterations[1]).toMatchObject({
      agentStatus: 'timed-out',
      agentReason: 'no answer in 600s',
      sessionId: 's2',
    });
    expect(await store.lastFinishedIteration('run-a')).toEqual(iterations[1]);
  });

  it('restarts an iteration left running, dropping its gate results but keeping its usage', async () => {
    const clock = manualClock('2026-11-24T10:00:00.000Z');
    const store = await openStore(tempDir(), { now: clock.now });
    await store.createRun(newRun({ id: 'run-a' }));
    await store.startIteration('run-a', 1, { promptChars: 10, sessionId: 'lost' });
    await store.recordGateResults('run-a', 1, [gate({ name: 'unit', status: 'failed' })]);
    await store.recordUsage('run-a', 1, [usage('m')]);

    clock.set('2026-11-24T10:10:00.000Z');
    const restarted = await store.startIteration('run-a', 1, { promptChars: 20 });
    expect(restarted).toMatchObject({ status: 'running', promptChars: 20, startedAt: '2026-11-24T10:10:00.000Z' });
    expect(restarted.sessionId).toBeUndefined();
    expect(await store.listIterations('run-a')).toHaveLength(1);
    expect(await store.gateResults('run-a', 1)).toEqual([]);
    expect(await store.runUsage('run-a')).toEqual([usage('m')]);
    const types = (await store.events('run-a')).map((event) => event.type);
    expect(types.slice(-1)).toEqual(['run:iteration:restart']);
  });

  it('finishes an iteration with its events and gate results in one transaction, or records none of them', async () => {
    const store = await openStore(tempDir());
    await store.createRun(newRun({ id: 'run-a' }));
    await store.startIteration('run-a', 1, { promptChars: 10 });
    const writes = {
      events: [
        { type: 'run:guard', payload: { iteration: 1, findings: [] } },
        { type: 'run:judge', payload: { notes: ['setup ran'] } },
      ],
      gates: [gate({ name: 'unit', status: 'failed' })],
    };
    const finished = await store.finishIteration(
      'run-a',
      1,
      { agentStatus: 'finished', checkVerdict: 'failed' },
      writes,
    );
    expect(finished.status).toBe('finished');
    expect((await store.gateResults('run-a', 1)).map((result) => [result.name, result.status])).toEqual([
      ['unit', 'failed'],
    ]);
    const types = (await store.events('run-a')).map((event) => event.type);
    expect(types.slice(-4)).toEqual(['run:guard', 'run:judge', 'run:gates:record', 'run:iteration:finish']);

    // Finishing it again fails, and takes what came with it down too.
    const again = { events: [{ type: 'run:guard', payload: null }], gates: [gate({ name: 'lint', status: 'passed' })] };
    await expect(store.finishIteration('run-a', 1, { agentStatus: 'finished' }, again)).rejects.toMatchObject({
      code: 'STORE_ITERATION_FINISHED',
    });
    expect((await store.gateResults('run-a', 1)).map((result) => result.name)).toEqual(['unit']);
    expect((await store.events('run-a')).map((event) => event.type)).toEqual(types);
  });

  it('refuses to finish an iteration twice, or one never started, or to start one on a finished run', async () => {
    const store = await openStore(tempDir());
    await store.createRun(newRun({ id: 'run-a' }));
    await store.startIteration('run-a', 1, { promptChars: 10 });
    await store.finishIteration('run-a', 1, { agentStatus: 'failed', agentExitCode: 1 });
    await expect(store.finishIteration('run-a', 1, { agentStatus: 'finished' })).rejects.toMatchObject({
      code: 'STORE_ITERATION_FINISHED',
    });
    await expect(store.startIteration('run-a', 1, { promptChars: 10 })).rejects.toMatchObject({
      code: 'STORE_ITERATION_FINISHED',
    });
    await expect(store.finishIteration('run-a', 2, { agentStatus: 'finished' })).rejects.toMatchObject({
      code: 'STORE_ITERATION_NOT_FOUND',
    });
    await store.finishRun('run-a', { status: 'cancelled', reason: 'interrupted' });
    await expect(store.startIteration('run-a', 2, { promptChars: 10 })).rejects.toMatchObject({
      code: 'STORE_RUN_FINISHED',
    });
    await expect(store.startIteration('no-such-run', 1, { promptChars: 10 })).rejects.toMatchObject({
      code: 'STORE_RUN_NOT_FOUND',
    });
  });
});

describe('RunStore gate results and events', () => {
  it('round-trips every field of a gate result, in recording order, per iteration', async () => {
    const store = await openStore(tempDir());
    await store.createRun(newRun({ id: 'run-a' }));
    const unit: GateResult = gate({
      name: 'unit',
      status: 'failed',
      exitCode: 1,
      logPath: '.sluice/logs/unit.log',
      counts: { total: 9, passed: 8, failed: 1, skipped: 0 },
      failures: [{ test: 'cart > sums', message: 'expected 281 to equal 280', file: 'test/cart.test.js', line: 7 }],
      problems: ['report had 1 unreadable line'],
    });
    const lint = gate({
      name: 'lint',
      kind: 'lint',
      tier: 0,
      blocking: false,
      status: 'timed-out',
      reason: 'over 30s',
    });
    const build = gate({ name: 'build', kind: 'build', status: 'failed', outputTail: ['error: x', 'exit 2'] });
    await store.recordGateResults('run-a', 1, [unit, lint]);
    await store.recordGateResults('run-a', 2, [build]);

    const first = await store.gateResults('run-a', 1);
    expect(first).toEqual([
      { runId: 'run-a', iteration: 1, ...unit },
      { runId: 'run-a', iteration: 1, ...lint },
    ]);
    expect((await store.gateResults('run-a')).map((result) => [result.iteration, result.name])).toEqual([
      [1, 'unit'],
      [1, 'lint'],
      [2, 'build'],
    ]);

    // A gate checked again in the same iteration replaces its result and moves to the end.
    await store.recordGateResults('run-a', 1, [gate({ name: 'unit', status: 'passed' })]);
    expect((await store.gateResults('run-a', 1)).map((result) => [result.name, result.status])).toEqual([
      ['lint', 'timed-out'],
      ['unit', 'passed'],
    ]);
  });

  it('logs every transition in order, with the events the loop appends', async () => {
    const clock = manualClock('2026-11-24T10:00:00.000Z');
    const store = await openStore(tempDir(), { now: clock.now });
    await store.createRun(newRun({ id: 'run-a' }));
    await store.setRunPid('run-a', 99);
    await store.startIteration('run-a', 1, { promptChars: 10 });
    await store.recordGateResults('run-a', 1, [gate({ name: 'unit', status: 'failed' }), gate({ name: 'lint' })]);
    await store.recordUsage('run-a', 1, [usage('m')]);
    await store.finishIteration('run-a', 1, { agentStatus: 'finished', checkVerdict: 'failed' });
    const appended = await store.appendEvent('run-a', 'loop:stall:detect', { repeated: 2, at: new Date(0) });
    expect(appended).toMatchObject({ seq: 7, payload: { repeated: 2, at: '1970-01-01T00:00:00.000Z' } });
    await store.finishRun('run-a', { status: 'failed', reason: 'stalled' });
    await store.appendEvent('run-a', 'review:decide');

    const events = await store.events('run-a');
    expect(events.map((event) => [event.seq, event.type])).toEqual([
      [1, 'run:create'],
      [2, 'run:pid:set'],
      [3, 'run:iteration:start'],
      [4, 'run:gates:record'],
      [5, 'run:usage:record'],
      [6, 'run:iteration:finish'],
      [7, 'loop:stall:detect'],
      [8, 'run:finish'],
      [9, 'review:decide'],
    ]);
    expect(events[3]?.payload).toEqual({ iteration: 1, gates: 2, notPassed: ['unit'] });
    expect(events[7]?.payload).toEqual({ status: 'failed', reason: 'stalled' });
    expect(events[8]).toEqual({
      runId: 'run-a',
      seq: 9,
      type: 'review:decide',
      at: '2026-11-24T10:00:00.000Z',
      payload: null,
    });
    expect((await store.events('run-a', { afterSeq: 7 })).map((event) => event.seq)).toEqual([8, 9]);
    await expect(store.appendEvent('no-such-run', 'x')).rejects.toMatchObject({ code: 'STORE_RUN_NOT_FOUND' });
  });
});
