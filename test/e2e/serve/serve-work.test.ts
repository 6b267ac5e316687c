import { describe, expect, it } from 'vitest';
import type { CancelResult, RunList, SessionInfo, TaskList, TaskView } from '../../../src/server/api-types.ts';
import { waitFor } from '../../support/process-state.ts';
import { brokenAdderRepo, scriptedAgent, wrongAdd } from '../../support/run-fixtures.ts';
import { getJson, postJson, startServe } from './serve-fixtures.ts';

describe('sluice serve --work', () => {
  it('runs a task added in the page, and cancels that one run without requeuing its task', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([{ write: wrongAdd }, { write: 'hang' }]);
    const serve = await startServe(repo, [
      '--work',
      '--agent',
      'command',
      '--agent-command',
      agent.command,
      '--prompt-via',
      'stdin',
    ]);
    expect((await getJson<SessionInfo>(serve, '/api/session')).dispatcherInProcess).toBe(true);
    const task = (await postJson(serve, '/api/tasks', { goal: 'Make add() add' })).json() as TaskView;
    expect(await waitFor(() => agent.prompts().length === 2, 30_000)).toBe(true);
    const [run] = (await getJson<RunList>(serve, '/api/runs')).runs;
    expect(run).toMatchObject({ status: 'running', taskId: task.id, iterations: 2 });

    const cancel = await postJson(serve, `/api/runs/${run?.id}/cancel`, {});
    expect(cancel.json() as CancelResult).toEqual({ status: 'cancelling', runId: run?.id, how: 'in-process' });
    const taskNow = async () =>
      (await getJson<TaskList>(serve, '/api/tasks')).tasks.find((entry) => entry.id === task.id);
    let settled: TaskView | undefined;
    expect(
      await waitFor(() => {
        void taskNow().then((found) => {
          settled = found;
        });
        return settled?.status === 'blocked';
      }, 20_000),
    ).toBe(true);
    expect(settled?.waitReason).toBe(`run ${run?.id} was cancelled in sluice serve`);
    expect((await getJson<RunList>(serve, '/api/runs')).runs.map((entry) => entry.status)).toEqual(['cancelled']);
    // The dispatcher keeps serving: nothing was requeued, so no second run starts.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await getJson<RunList>(serve, '/api/runs')).runs).toHaveLength(1);
    expect(serve.child.exitCode).toBeNull();
  });
});
