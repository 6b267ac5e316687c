import { describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp-dir.ts';
import { newRun } from './store-builders.ts';
import { openStore } from './store-fixtures.ts';

const task = (goal: string, priority = 0) => ({ goal, accept: ['npm test'], priority, source: 'cli' });

describe('the queue store (tasks and review items)', () => {
  it('keeps tasks in queue order: highest priority, then oldest', async () => {
    let clock = Date.parse('2026-11-24T10:00:00Z');
    const tick = () => {
      clock += 1000;
      return new Date(clock);
    };
    const store = await openStore(tempDir('sluice-queue-'), { now: tick });
    const [a] = await store.queue.addTasks([task('a')]);
    const [b] = await store.queue.addTasks([task('b', 5)]);
    const [c] = await store.queue.addTasks([task('c')]);
    expect((await store.queue.listTasks()).map((entry) => entry.goal)).toEqual(['b', 'a', 'c']);
    expect(a).toMatchObject({ status: 'queued', accept: ['npm test'], source: 'cli' });
    expect(b?.id).not.toBe(c?.id);
  });

  it('moves a task only from the status it is in: two dispatchers cannot both start it', async () => {
    const store = await openStore(tempDir('sluice-queue-'));
    const [queued] = await store.queue.addTasks([task('a')]);
    const id = queued?.id ?? '';
    expect(await store.queue.moveTask(id, ['queued'], 'running', { runId: 'r1' })).toBe(true);
    expect(await store.queue.moveTask(id, ['queued'], 'running', { runId: 'r2' })).toBe(false);
    expect(await store.queue.getTask(id)).toMatchObject({ status: 'running', runId: 'r1' });
  });

  it('records why queued tasks wait, and forgets it when they move', async () => {
    const store = await openStore(tempDir('sluice-queue-'));
    const [queued] = await store.queue.addTasks([task('a')]);
    const id = queued?.id ?? '';
    await store.queue.noteWaiting([{ taskId: id, reason: 'held: review queue 3.5 h' }]);
    expect(await store.queue.getTask(id)).toMatchObject({ waitReason: 'held: review queue 3.5 h' });
    await store.queue.moveTask(id, ['queued'], 'running', { runId: 'r1' });
    expect(await store.queue.getTask(id)).not.toHaveProperty('waitReason');
  });

  it('numbers review rounds per run and timestamps each decision', async () => {
    const store = await openStore(tempDir('sluice-queue-'));
    const run = await store.createRun(newRun());
    await store.finishRun(run.id, { status: 'done' });
    const item = {
      runId: run.id,
      reviewMinutes: 12.5,
      costExplanation: '50 lines',
      headCommit: 'abc',
      evidencePath: 'e.md',
    };
    expect(await store.queue.addReviewItem(item)).toMatchObject({ round: 1, status: 'waiting', reviewMinutes: 12.5 });
    const changes = await store.queue.decideReview(run.id, { status: 'changes-requested', note: 'split it' });
    expect(changes).toMatchObject({ round: 1, status: 'changes-requested', decisionNote: 'split it' });
    expect(changes.decidedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    await expect(store.queue.decideReview(run.id, { status: 'rejected' })).rejects.toThrow('no change waiting');

    expect((await store.reopenRun(run.id)).status).toBe('running');
    await store.finishRun(run.id, { status: 'done' });
    expect(await store.queue.addReviewItem(item)).toMatchObject({ round: 2 });
    await store.queue.decideReview(run.id, { status: 'landed', landedCommit: 'def' });
    expect((await store.queue.listReviewItems()).map((entry) => `${entry.round}:${entry.status}`)).toEqual([
      '1:changes-requested',
      '2:landed',
    ]);
    expect(await store.queue.listReviewItems(['waiting'])).toEqual([]);
  });

  it('owes a review item from the done verdict on, in its own transaction, until the item is added', async () => {
    const store = await openStore(tempDir('sluice-queue-'));
    const done = await store.createRun(newRun());
    const failed = await store.createRun(newRun());
    await store.finishRun(failed.id, { status: 'failed', reason: 'x' });
    expect(await store.queue.reviewsDue()).toEqual([]);
    const ended = await store.finishRun(done.id, { status: 'done' });
    expect(await store.queue.reviewsDue()).toEqual([{ runId: done.id, dueAt: ended.finishedAt }]);
    const item = {
      runId: done.id,
      reviewMinutes: 1,
      costExplanation: '1 line',
      headCommit: 'abc',
      evidencePath: 'e.md',
    };
    const first = await store.queue.addReviewItem(item);
    expect(await store.queue.reviewsDue()).toEqual([]);
    // Added again (two processes recovering at once): the waiting round is kept, no second one made.
    expect(await store.queue.addReviewItem({ ...item, headCommit: 'def' })).toEqual(first);
    expect(await store.queue.listReviewItems()).toHaveLength(1);
    // A new done after changes owes a new round.
    await store.queue.decideReview(done.id, { status: 'changes-requested', note: 'more' });
    await store.reopenRun(done.id);
    await store.finishRun(done.id, { status: 'done' });
    expect((await store.queue.reviewsDue()).map((entry) => entry.runId)).toEqual([done.id]);
  });

  it('reopens only a done run', async () => {
    const store = await openStore(tempDir('sluice-queue-'));
    const run = await store.createRun(newRun());
    await expect(store.reopenRun(run.id)).rejects.toThrow('only a done run can take changes');
  });
});
