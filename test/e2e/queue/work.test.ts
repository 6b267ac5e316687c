import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { git } from '../../support/gitdir.ts';
import { isProcessAlive, waitFor } from '../../support/process-state.ts';
import { brokenAdderRepo, rightAdd, scriptedAgent, wrongAdd } from '../../support/run-fixtures.ts';
import { runSluice, startSluice } from '../../support/sluice-cli.ts';

const agentFlags = (command: string) => ['--agent', 'command', '--agent-command', command, '--prompt-via', 'stdin'];

async function statusJson(repo: string) {
  const status = await runSluice(['status', '--json'], { cwd: repo });
  expect(status.exitCode).toBe(0);
  return JSON.parse(status.stdout) as {
    review: { waiting: number; waiting_minutes: number; limit_minutes: number };
    tasks: Array<{ id: string; goal: string; status: string; runId?: string; waitReason?: string }>;
  };
}

describe('sluice add, work and status', () => {
  it('queues tasks from a goal and a checklist, runs them in worktrees, and puts done changes up for review', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([{ write: rightAdd }]);
    expect((await runSluice(['add', 'Make add() add', '--priority', '5'], { cwd: repo })).exitCode).toBe(0);
    const plan = `${repo}/PLAN.md`;
    await import('node:fs').then(({ writeFileSync }) =>
      writeFileSync(plan, '# Plan\n- [x] done already\n- [ ] Keep add() adding\n'),
    );
    const added = await runSluice(['add', '--from', plan], { cwd: repo });
    expect(added.stdout).toMatch(/^queued t-\S+: Keep add\(\) adding$/m);
    expect((await statusJson(repo)).tasks.map((task) => `${task.status}:${task.goal}`)).toEqual([
      'queued:Make add() add',
      'queued:Keep add() adding',
    ]);

    const work = await runSluice(['work', '--once', ...agentFlags(agent.command)], { cwd: repo });
    expect(work.exitCode).toBe(0);
    expect(work.stdout.match(/^started run \S+ for task t-\S+$/gm)).toHaveLength(2);
    expect(work.stdout.match(/ done: .* -> task t-\S+ review$/gm)).toHaveLength(2);
    const status = await statusJson(repo);
    expect(status.tasks.map((task) => task.status)).toEqual(['review', 'review']);
    expect(status.review.waiting).toBe(2);
    const branches = await git(repo, 'branch', '--list', 'sluice/*');
    expect(branches.split('\n')).toHaveLength(2);
  });

  it('holds new work while the review queue is full, and says why', async () => {
    const repo = await brokenAdderRepo('review:\n  capacity_minutes_per_day: 10\n');
    const agent = scriptedAgent([{ write: rightAdd }]);
    await runSluice(['add', 'First'], { cwd: repo });
    await runSluice(['add', 'Second'], { cwd: repo });
    // An empty pipeline always takes one run; then its change (about 7 review minutes) plus the next
    // run's expected 7 exceed 10 minutes a day x 1 day.
    const work = await runSluice(['work', '--once', '-j', '4', ...agentFlags(agent.command)], { cwd: repo });
    expect(work.stdout.match(/^started run/gm)).toHaveLength(1);
    const again = await runSluice(['work', '--once', '-j', '4', ...agentFlags(agent.command)], { cwd: repo });
    expect(again.stdout).toMatch(/1 task waiting: held: review queue \d+ min, capacity 10 min\/day, target 1 day/);
    const waiting = (await statusJson(repo)).tasks.find((task) => task.status === 'queued');
    expect(waiting?.waitReason).toMatch(/^held: review queue/);
    const human = await runSluice(['status'], { cwd: repo });
    expect(human.stdout).toMatch(/queued {3}Second — held: review queue/);
  });

  it('after kill -9 of sluice work, a restart resumes the run it left, reaps its agent, and loses nothing', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([{ write: wrongAdd }, { write: 'hang' }, { write: rightAdd }]);
    await runSluice(['add', 'Make add() add'], { cwd: repo });
    const work = startSluice(['work', ...agentFlags(agent.command)], repo);
    expect(await waitFor(() => agent.prompts().length === 2, 20_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    work.child.kill('SIGKILL');
    await work.exited;
    const orphan = agent.lastPid();
    onTestFinished(() => {
      if (isProcessAlive(orphan)) process.kill(orphan, 'SIGKILL');
    });
    const [task] = (await statusJson(repo)).tasks;
    expect(task).toMatchObject({ status: 'running', runId: expect.any(String) });

    const restart = await runSluice(['work', '--once', ...agentFlags(agent.command)], { cwd: repo });
    expect(restart.exitCode).toBe(0);
    expect(restart.stdout).toContain(`resumed run ${task?.runId} for task ${task?.id}`);
    expect(await waitFor(() => !isProcessAlive(orphan))).toBe(true);
    expect((await statusJson(repo)).tasks).toEqual([expect.objectContaining({ id: task?.id, status: 'review' })]);
    const show = JSON.parse((await runSluice(['show', task?.runId ?? '', '--json'], { cwd: repo })).stdout);
    expect(show.run.status).toBe('done');
    expect(show.iterations.map((iteration: { number: number }) => iteration.number)).toEqual([1, 2]);
    // One run, one worktree: the restart did not start the task over beside the resumed run.
    expect((await git(repo, 'worktree', 'list')).split('\n')).toHaveLength(2);
  });
});

describe('sluice work: worktree setup and follow-up tasks', () => {
  it('runs setup: in each new worktree before the agent, with the main checkout at hand', async () => {
    const repo = await brokenAdderRepo('setup:\n  - cp "$SLUICE_MAIN_CHECKOUT/.env" .env\n');
    writeFileSync(join(repo, '.env'), 'SECRET=kept-out-of-git\n');
    const agent = scriptedAgent([{ write: rightAdd }]);
    await runSluice(['add', 'Make add() add'], { cwd: repo });
    const work = await runSluice(['work', '--once', ...agentFlags(agent.command)], { cwd: repo });
    const runId = /started run (\S+)/.exec(work.stdout)?.[1] ?? '';
    const show = JSON.parse((await runSluice(['show', runId, '--json'], { cwd: repo })).stdout);
    expect(readFileSync(join(show.run.worktreePath, '.env'), 'utf8')).toBe('SECRET=kept-out-of-git\n');
  });

  it('a failing setup fails the run and blocks the task, saying which command', async () => {
    const repo = await brokenAdderRepo('setup:\n  - "false"\n');
    const agent = scriptedAgent([{ write: rightAdd }]);
    await runSluice(['add', 'Make add() add'], { cwd: repo });
    const work = await runSluice(['work', '--once', ...agentFlags(agent.command)], { cwd: repo });
    expect(work.stdout).toMatch(/failed: setup command 1 \(false\) failed: exit 1; see .* -> task t-\S+ blocked/);
    expect(agent.prompts()).toEqual([]);
  });

  it('queues the follow-up tasks an agent wrote when it split its change', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([
      {
        write: rightAdd,
        files: { 'SLUICE_TASKS.md': '- [ ] Add subtract()\n- [x] Fix add()\n- [ ] Add multiply()\n' },
      },
    ]);
    await runSluice(['add', 'Make add() add'], { cwd: repo });
    await runSluice(['work', '--once', ...agentFlags(agent.command)], { cwd: repo });
    const tasks = (await statusJson(repo)).tasks.map((task) => `${task.status}:${task.goal}`);
    expect(tasks).toEqual(['review:Make add() add', 'queued:Add subtract()', 'queued:Add multiply()']);
  });
});
