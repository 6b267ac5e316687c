import { describe, expect, it } from 'vitest';
import type { CancelResult, RunDetail, SseEventMap, TaskList, TaskView } from '../../../src/server/api-types.ts';
import { RunStore, runStorePath } from '../../../src/store/run-store.ts';
import { waitFor } from '../../support/process-state.ts';
import { brokenAdderRepo, rightAdd, scriptedAgent, wrongAdd } from '../../support/run-fixtures.ts';
import { startSluice } from '../../support/sluice-cli.ts';
import { getJson, openEvents, postJson, startServe } from './serve-fixtures.ts';

const runArgs = (command: string) => [
  'run',
  'Make add() add',
  '--agent',
  'command',
  '--agent-command',
  command,
  '--prompt-via',
  'stdin',
];

describe('sluice serve: live updates', () => {
  it('pushes a new iteration of a run another process drives, within a second of its row', async () => {
    const repo = await brokenAdderRepo();
    const serve = await startServe(repo);
    const stream = openEvents(serve);
    expect(await waitFor(() => stream.events.some((event) => event.event === 'hello'))).toBe(true);

    const agent = scriptedAgent([
      { write: wrongAdd, usage: { input: 10, output: 5, cost: 0.001 } },
      { write: rightAdd },
    ]);
    const sluice = startSluice(runArgs(agent.command), repo);
    expect(await sluice.exited).toBe(0);
    const runId = /run (\S+) on branch/.exec(sluice.stdout())?.[1] ?? '';
    const finishes = () =>
      stream.events.filter(
        (event) =>
          event.event === 'run-event' &&
          (event.data as SseEventMap['run-event']).runId === runId &&
          (event.data as SseEventMap['run-event']).type === 'run:iteration:finish',
      );
    expect(await waitFor(() => finishes().length === 2, 5_000)).toBe(true);
    const changes = () =>
      stream.events.filter((event) => event.event === 'change').map((event) => event.data as SseEventMap['change']);
    // The review item is queued after the last iteration, just before `sluice run` exits.
    expect(await waitFor(() => changes().some((change) => change.tables.includes('review')), 2_000)).toBe(true);
    expect(changes().some((change) => change.runIds.includes(runId) && change.tables.includes('runs'))).toBe(true);
    expect(changes().some((change) => change.tables.includes('usage'))).toBe(true);

    // From the row's commit to the event reaching the page: the store's timestamp against arrival.
    const store = await RunStore.open(runStorePath(repo));
    const finishedAt = (await store.listIterations(runId)).map((iteration) => Date.parse(iteration.finishedAt ?? ''));
    await store.close();
    const lags = finishes().map((event, index) => event.at - (finishedAt[index] ?? 0));
    for (const lag of lags) expect(lag).toBeLessThan(1_000);
  });

  it('streams the agent log of a live run and cancels it (a sluice run process gets Ctrl-C)', async () => {
    const repo = await brokenAdderRepo();
    const serve = await startServe(repo);
    // An agent that says something, works a while, says more, then hangs: its log grows while we watch.
    const sluice = startSluice(runArgs('echo working on it; sleep 1; echo still working; sleep 120'), repo);
    expect(await waitFor(() => /run (\S+) on branch/.test(sluice.stdout()), 20_000)).toBe(true);
    const runId = /run (\S+) on branch/.exec(sluice.stdout())?.[1] ?? '';

    const stream = openEvents(serve, `?run=${runId}`);
    const logs = () =>
      stream.events.filter((event) => event.event === 'log').map((event) => event.data as SseEventMap['log']);
    const text = () =>
      logs()
        .map((entry) => entry.text)
        .join('');
    expect(await waitFor(() => text().includes('still working'), 10_000)).toBe(true);
    expect(text()).toBe('working on it\nstill working\n');
    expect(logs().every((entry) => entry.runId === runId && entry.iteration === 1)).toBe(true);

    const detail = await getJson<RunDetail>(serve, `/api/runs/${runId}`);
    expect(detail.run.status).toBe('running');
    expect(detail.cancellable).toBe(true);
    expect(detail.iterations.at(-1)?.status).toBe('running');
    const noToken = await postJson(serve, `/api/runs/${runId}/cancel`, {}, { 'x-sluice-token': 'nope' });
    expect(noToken.status).toBe(401);
    expect(sluice.child.exitCode).toBeNull();

    const cancel = await postJson(serve, `/api/runs/${runId}/cancel`, {});
    expect(cancel.status).toBe(200);
    expect(cancel.json() as CancelResult).toEqual({ status: 'cancelling', runId, how: 'signal' });
    expect(await sluice.exited).toBe(130);
    expect((await getJson<RunDetail>(serve, `/api/runs/${runId}`)).run.status).toBe('cancelled');
    const again = await postJson(serve, `/api/runs/${runId}/cancel`, {});
    expect(again.status).toBe(409);
  });

  it('adds, reorders and cancels tasks', async () => {
    const repo = await brokenAdderRepo();
    const serve = await startServe(repo);
    const add = async (goal: string, priority = 0) =>
      (await postJson(serve, '/api/tasks', { goal, accept: ['node --test'], priority })).json() as TaskView;
    const a = await add('First');
    const b = await add('Second');
    const c = await add('Urgent', 5);
    const order = async () => (await getJson<TaskList>(serve, '/api/tasks')).tasks.map((task) => task.goal);
    expect(await order()).toEqual(['Urgent', 'First', 'Second']);
    expect(a).toMatchObject({ status: 'queued', accept: ['node --test'], source: 'serve' });

    const reordered = await postJson(serve, '/api/tasks/reorder', { ids: [b.id, a.id, c.id] });
    expect(reordered.status).toBe(200);
    expect((reordered.json() as TaskList).tasks.map((task) => task.goal)).toEqual(['Second', 'First', 'Urgent']);
    expect(await order()).toEqual(['Second', 'First', 'Urgent']);

    const cancel = await postJson(serve, `/api/tasks/${a.id}/cancel`, {});
    expect(cancel.json()).toMatchObject({ id: a.id, status: 'rejected', waitReason: 'cancelled in sluice serve' });
    expect((await postJson(serve, `/api/tasks/${a.id}/cancel`, {})).status).toBe(409);
    expect((await postJson(serve, '/api/tasks/t-nope/cancel', {})).status).toBe(404);
    expect((await postJson(serve, '/api/tasks/reorder', { ids: 'all' })).status).toBe(400);
  });
});
