import { join } from 'node:path';
import { expect } from 'vitest';
import { CommandAgent } from '../../../src/agents/command/command-agent.ts';
import { loadBaseConfig } from '../../../src/loop/run-config.ts';
import { startRun } from '../../../src/loop/start-run.ts';
import { enqueueForReview } from '../../../src/review/review-queue.ts';
import { RunStore, runStorePath } from '../../../src/store/run-store.ts';
import type { ReviewItemRecord, TaskRecord } from '../../../src/store/task-records.ts';
import { type ScriptedTurn, scriptedAgent } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';

export const goal = 'Make add() add';

/** `sluice run` with a scripted command agent, through the real bin; the run must end done. */
export async function sluiceRunDone(repo: string, turns: ScriptedTurn[]) {
  const agent = scriptedAgent(turns);
  const run = await runSluice(
    ['run', goal, '--agent', 'command', '--agent-command', agent.command, '--prompt-via', 'stdin'],
    { cwd: repo },
  );
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  const runId = /run (\S+) on branch/.exec(run.stdout)?.[1] ?? '';
  expect(runId).not.toBe('');
  return { runId, agent, stdout: run.stdout };
}

/**
 * A run that a task drove to done, put in the review queue the way the dispatcher does it: the task is
 * added and started, the run driven by the library, the task moved to review and the item enqueued.
 */
export async function dispatchedRunDone(repo: string, turns: ScriptedTurn[]) {
  const agent = scriptedAgent(turns);
  const store = await RunStore.open(runStorePath(repo));
  try {
    const [task] = await store.queue.addTasks([{ goal, accept: [], priority: 0, source: 'test' }]);
    if (!task) throw new Error('no task added');
    await store.queue.moveTask(task.id, ['queued'], 'running');
    const base = await loadBaseConfig(join(repo, 'sluice.yaml'), 'HEAD');
    const summary = await startRun({
      store,
      goal,
      base,
      baseRef: 'main',
      agent: new CommandAgent({ command: agent.command, promptVia: 'stdin' }),
      agentCost: 'unknown',
      settings: {
        acceptance: [],
        budgets: { maxIterations: 5 },
        stall: { sameFailure: 3, noDiff: 3 },
        turnTimeoutMs: 60_000,
      },
      signal: new AbortController().signal,
    });
    expect(summary.outcome.verdict).toBe('done');
    await store.queue.moveTask(task.id, ['running'], 'review', { runId: summary.run.id });
    await enqueueForReview(store, summary.run, {
      taskId: task.id,
      cost: base.config.review.cost,
      evidencePath: summary.reportPath,
    });
    return { runId: summary.run.id, taskId: task.id, agent };
  } finally {
    await store.close();
  }
}

/** `sluice review list --json` (with `--all` when asked). */
export async function reviewItems(repo: string, all = false): Promise<Array<ReviewItemRecord & { goal: string }>> {
  const list = await runSluice(['review', 'list', '--json', ...(all ? ['--all'] : [])], { cwd: repo });
  expect(list.stderr).toBe('');
  return JSON.parse(list.stdout) as Array<ReviewItemRecord & { goal: string }>;
}

/** A task and a run as the store has them now. */
export async function storedState(repo: string, runId: string, taskId?: string) {
  const store = await RunStore.open(runStorePath(repo));
  try {
    const run = await store.getRun(runId);
    const task: TaskRecord | undefined = taskId ? await store.queue.getTask(taskId) : undefined;
    const events = (await store.events(runId)).map((event) => event.type);
    return { run, task, events };
  } finally {
    await store.close();
  }
}
