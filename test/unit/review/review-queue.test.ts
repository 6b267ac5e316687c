import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reviewCostSchema } from '../../../src/config/review-schema.ts';
import { enqueueForReview, findReviewTarget, rejectChange, requestChanges } from '../../../src/review/review-queue.ts';
import { pendingReviewerFeedback } from '../../../src/review/reviewer-feedback.ts';
import type { RunStore } from '../../../src/store/run-store.ts';
import { commitTurn } from '../../../src/workspace/commits.ts';
import { createRunWorktree, defaultWorktreesDir } from '../../../src/workspace/worktrees.ts';
import { gitdir } from '../../support/gitdir.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { writeFiles } from '../../support/write-files.ts';
import { openStore } from '../store/store-fixtures.ts';

const cost = reviewCostSchema.parse({ risky_paths: ['db/migrations/**'] });

/** A run recorded as done, whose worktree committed `files` on its branch. */
async function doneRun(store: RunStore, repo: string, id: string, files: Record<string, string>) {
  const worktree = await createRunWorktree({
    repoRoot: repo,
    runId: id,
    baseRef: 'main',
    worktreesDir: defaultWorktreesDir(repo),
  });
  writeFiles(worktree.path, files);
  await commitTurn(worktree.path, `sluice: iteration 1 of run ${id}`);
  await store.createRun({
    id,
    goal: `goal of ${id}`,
    agent: 'command',
    repoRoot: repo,
    baseRef: 'main',
    baseCommit: worktree.baseCommit,
    branch: worktree.branch,
    worktreePath: worktree.path,
    options: {},
  });
  await store.startIteration(id, 1, { promptChars: 10 });
  await store.finishIteration(id, 1, { agentStatus: 'finished' });
  return store.finishRun(id, { status: 'done', reason: 'gates passed' });
}

describe('the review queue', () => {
  it('measures the change from base to branch head and estimates its review cost', async () => {
    const repo = await gitdir({ files: { 'src/a.js': 'one\ntwo\n' } });
    const store = await openStore(tempDir('sluice-review-'));
    const run = await doneRun(store, repo, '20261124-100000-aaaa', {
      'src/a.js': 'one\nTWO\nthree\n',
      'db/migrations/001.sql': 'create table t (id int);\n',
    });
    const item = await enqueueForReview(store, run, { cost, evidencePath: join(repo, 'evidence.md') });
    // 4 lines + 2 files: (5 + 0.4 + 2) x 2 for the migration.
    expect(item).toMatchObject({
      runId: run.id,
      round: 1,
      status: 'waiting',
      reviewMinutes: 14.8,
      costExplanation: '4 lines, 2 files, x2 for 1 risky file: 14.8 min',
    });
    expect(item.headCommit).toMatch(/^[0-9a-f]{40}$/);
    // Enqueued again while it waits: the same item, not a second round.
    expect(await enqueueForReview(store, run, { cost, evidencePath: 'other.md' })).toEqual(item);
    expect(await store.queue.listReviewItems()).toHaveLength(1);
  });

  it('finds an item by run id or unique prefix, and refuses what it cannot decide', async () => {
    const repo = await gitdir();
    const store = await openStore(tempDir('sluice-review-'));
    const first = await doneRun(store, repo, '20261124-100000-aaaa', { 'a.txt': 'a\n' });
    const second = await doneRun(store, repo, '20261124-100500-bbbb', { 'b.txt': 'b\n' });
    for (const run of [first, second]) await enqueueForReview(store, run, { cost, evidencePath: 'e.md' });

    expect((await findReviewTarget(store, '20261124-1005', { waiting: true })).run.id).toBe(second.id);
    expect((await findReviewTarget(store, first.id, { waiting: true })).item.runId).toBe(first.id);
    await expect(findReviewTarget(store, '20261124-10', { waiting: true })).rejects.toThrow(
      `"20261124-10" matches 2 runs (${first.id}, ${second.id}); give more of the id`,
    );
    await expect(findReviewTarget(store, 'zzz', { waiting: true })).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    await expect(findReviewTarget(store, '', { waiting: true })).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });

    await rejectChange(store, await findReviewTarget(store, first.id, { waiting: true }), 'no');
    await expect(findReviewTarget(store, first.id, { waiting: true })).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('its last round was decided rejected at'),
    });
    expect((await findReviewTarget(store, first.id, { waiting: false })).item.status).toBe('rejected');
    await expect(
      rejectChange(store, await findReviewTarget(store, second.id, { waiting: true }), ' '),
    ).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('gives the reviewer words to the next iteration only until one that started after them has finished', async () => {
    const repo = await gitdir();
    let clock = Date.parse('2026-11-24T10:00:00Z');
    const store = await openStore(tempDir('sluice-review-'), {
      now: () => {
        clock += 1000;
        return new Date(clock);
      },
    });
    const run = await doneRun(store, repo, '20261124-100000-aaaa', { 'a.txt': 'a\n' });
    await enqueueForReview(store, run, { cost, evidencePath: 'e.md' });
    expect(await pendingReviewerFeedback(store, run.id)).toBeUndefined();

    await requestChanges(store, await findReviewTarget(store, run.id, { waiting: true }), 'Rename x to total');
    expect((await store.getRun(run.id))?.status).toBe('running');
    expect(await pendingReviewerFeedback(store, run.id)).toBe('Rename x to total');
    // An iteration that started but never finished (a crash) did not act on them.
    await store.startIteration(run.id, 2, { promptChars: 10 });
    expect(await pendingReviewerFeedback(store, run.id)).toBe('Rename x to total');
    await store.finishIteration(run.id, 2, { agentStatus: 'finished' });
    expect(await pendingReviewerFeedback(store, run.id)).toBeUndefined();
  });

  it('moves the task of the run along with the decision and logs it with the run', async () => {
    const repo = await gitdir();
    const store = await openStore(tempDir('sluice-review-'));
    const run = await doneRun(store, repo, '20261124-100000-aaaa', { 'a.txt': 'a\n' });
    const [task] = await store.queue.addTasks([{ goal: 'g', accept: [], priority: 0, source: 'test' }]);
    const taskId = task?.id ?? '';
    await store.queue.moveTask(taskId, ['queued'], 'review', { runId: run.id });
    await enqueueForReview(store, run, { taskId, cost, evidencePath: 'e.md' });

    await requestChanges(store, await findReviewTarget(store, run.id, { waiting: true }), 'Split it');
    expect(await store.queue.getTask(taskId)).toMatchObject({ status: 'rework', runId: run.id });
    const decision = (await store.events(run.id)).find((event) => event.type === 'review:decision');
    expect(decision?.payload).toEqual({
      round: 1,
      status: 'changes-requested',
      note: 'Split it',
      landedCommit: null,
      taskId,
      taskMoved: true,
    });
  });
});
