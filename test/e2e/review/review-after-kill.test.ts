import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore, runStorePath } from '../../../src/store/run-store.ts';
import { waitFor } from '../../support/process-state.ts';
import { brokenAdderRepo, rightAdd, type ScriptedTurn, scriptedAgent, wrongAdd } from '../../support/run-fixtures.ts';
import { runSluice, startSluice } from '../../support/sluice-cli.ts';
import { reviewItems, storedState } from './review-fixtures.ts';

const agentFlags = (command: string) => ['--agent', 'command', '--agent-command', command, '--prompt-via', 'stdin'];

/**
 * Start `sluice <args>` and kill -9 it at the worst moment: right after the `done` verdict is committed,
 * before the evidence and the review item are written. A named pipe where the evidence goes holds it
 * there (opening a pipe to write blocks until someone reads), with no hook in Sluice for the test.
 */
async function killRightAfterDone(
  repo: string,
  args: string[],
  runIdOf: (stdout: string) => string | undefined,
): Promise<string> {
  const sluice = startSluice(args, repo);
  let runId = '';
  try {
    expect(await waitFor(() => runIdOf(sluice.stdout()) !== undefined, 30_000)).toBe(true);
    runId = runIdOf(sluice.stdout()) ?? '';
    const runDir = join(repo, '.sluice', 'runs', runId);
    mkdirSync(runDir, { recursive: true });
    execFileSync('mkfifo', [join(runDir, 'evidence.md')]);
    const deadline = Date.now() + 60_000;
    let status = '';
    while (Date.now() < deadline && status !== 'done') {
      status = (await storedState(repo, runId)).run?.status ?? '';
      if (status !== 'done') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe('done');
    // The verdict is committed and Sluice waits at its evidence: nothing is queued yet.
    const store = await RunStore.open(runStorePath(repo));
    try {
      expect((await store.queue.listReviewItems()).filter((item) => item.runId === runId)).toEqual([]);
    } finally {
      await store.close();
    }
  } finally {
    sluice.child.kill('SIGKILL');
    await sluice.exited;
  }
  return runId;
}

function expectEvidenceOf(runId: string, evidencePath: string) {
  expect(lstatSync(evidencePath).isFile()).toBe(true);
  const evidence = readFileSync(evidencePath, 'utf8');
  expect(evidence).toContain(`# Sluice run ${runId}: done`);
  expect(evidence).toMatch(/\| unit \| passed \|/);
  expect(lstatSync(join(evidencePath, '..', 'evidence.json')).isFile()).toBe(true);
}

describe('a run killed right after its done verdict is still put up for review', () => {
  it('sluice run: the next command queues it, with evidence rebuilt from the store, once', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([{ write: rightAdd }]);
    const runId = await killRightAfterDone(
      repo,
      ['run', 'Make add() add', ...agentFlags(agent.command)],
      (stdout) => /run (\S+) on branch/.exec(stdout)?.[1],
    );

    const list = await reviewItems(repo);
    expect(list.map((item) => item.runId)).toEqual([runId]);
    const [item] = list;
    expectEvidenceOf(runId, item?.evidencePath ?? '');
    expect(item?.costExplanation).toMatch(/1 file/);
    const show = await runSluice(['review', 'show', runId], { cwd: repo });
    expect(show.stdout).toContain(`# Sluice run ${runId}: done`);
    expect(show.stdout).not.toContain('is missing');
    // Queued once: opening the queue again adds no second round.
    expect((await reviewItems(repo, true)).map((entry) => `${entry.runId}:${entry.round}`)).toEqual([`${runId}:1`]);
    // And it can be decided like any other item.
    const approve = await runSluice(['review', 'approve', runId], { cwd: repo });
    expect(approve.exitCode).toBe(0);
    expect((await reviewItems(repo, true)).map((entry) => `${entry.round}:${entry.status}`)).toEqual(['1:landed']);
  });

  it('sluice work: the next sluice work queues it and moves its task to review', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([{ write: rightAdd }]);
    expect((await runSluice(['add', 'Make add() add'], { cwd: repo })).exitCode).toBe(0);
    const runId = await killRightAfterDone(
      repo,
      ['work', '--once', ...agentFlags(agent.command)],
      (stdout) => /started run (\S+) for task/.exec(stdout)?.[1],
    );
    const killedTask = (await runSluice(['status', '--json'], { cwd: repo })).stdout;
    expect(JSON.parse(killedTask).tasks.map((task: { status: string }) => task.status)).toEqual(['running']);

    const again = await runSluice(['work', '--once', ...agentFlags(agent.command)], { cwd: repo });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`${runId}.* done: .* -> task t-\\S+ review`));
    const list = await reviewItems(repo);
    expect(list.map((item) => item.runId)).toEqual([runId]);
    expect(list[0]?.taskId).toMatch(/^t-/);
    expectEvidenceOf(runId, list[0]?.evidencePath ?? '');
    const status = JSON.parse((await runSluice(['status', '--json'], { cwd: repo })).stdout);
    expect(status.tasks.map((task: { status: string }) => task.status)).toEqual(['review']);
    expect(agent.prompts()).toHaveLength(1);
  });

  it('sluice resume: a resumed run killed right after done is queued by the next command', async () => {
    const repo = await brokenAdderRepo();
    const turns: ScriptedTurn[] = [{ write: wrongAdd }, { write: 'hang' }, { write: rightAdd }];
    const agent = scriptedAgent(turns);
    const first = startSluice(['run', 'Make add() add', ...agentFlags(agent.command)], repo);
    expect(await waitFor(() => agent.prompts().length === 2, 30_000)).toBe(true);
    first.child.kill('SIGKILL');
    await first.exited;
    try {
      process.kill(agent.lastPid(), 'SIGKILL');
    } catch {
      // already gone
    }
    const runId = /run (\S+) on branch/.exec(first.stdout())?.[1] ?? '';
    expect(runId).not.toBe('');

    await killRightAfterDone(repo, ['resume', runId], () => runId);
    expect(agent.prompts()).toHaveLength(3);
    const list = await reviewItems(repo);
    expect(list.map((item) => item.runId)).toEqual([runId]);
    expectEvidenceOf(runId, list[0]?.evidencePath ?? '');
  });
});
