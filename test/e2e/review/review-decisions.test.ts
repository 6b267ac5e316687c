import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../../support/gitdir.ts';
import { brokenAdderRepo, rightAdd, wrongAdd } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { dispatchedRunDone, reviewItems, sluiceRunDone, storedState } from './review-fixtures.ts';

describe('sluice review reject, changes and show', () => {
  it('rejects with a reason: timestamped decision, task rejected, branch and worktree kept', async () => {
    const repo = await brokenAdderRepo();
    const { runId, taskId } = await dispatchedRunDone(repo, [{ write: rightAdd }]);

    const missing = await runSluice(['review', 'reject', runId], { cwd: repo });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe('sluice: sluice review reject needs --reason "why"\n');

    const reject = await runSluice(['review', 'reject', runId, '--reason', 'Not the fix we want'], { cwd: repo });
    expect(reject.stderr).toBe('');
    expect(reject.exitCode).toBe(0);
    const worktree = join(repo, '..', '.sluice-worktrees', 'repo', runId);
    expect(reject.stdout).toBe(`rejected ${runId}; branch sluice/${runId} and worktree ${worktree} kept\n`);
    expect(existsSync(worktree)).toBe(true);
    expect(await git(repo, 'show', `sluice/${runId}:src/add.js`)).toBe(rightAdd.trim());

    const [item] = await reviewItems(repo, true);
    expect(item).toMatchObject({ runId, status: 'rejected', decisionNote: 'Not the fix we want' });
    expect(new Date(item?.decidedAt ?? '').toISOString()).toBe(item?.decidedAt);
    const state = await storedState(repo, runId, taskId);
    expect(state.task?.status).toBe('rejected');
    expect(state.run?.status).toBe('done');
  });

  it('requests changes: decision with the words, run reopened, task to rework', async () => {
    const repo = await brokenAdderRepo();
    const { runId, taskId } = await dispatchedRunDone(repo, [{ write: rightAdd }]);

    const changes = await runSluice(['review', 'changes', runId, 'Name the parameters x and y'], { cwd: repo });
    expect(changes.stderr).toBe('');
    expect(changes.exitCode).toBe(0);
    expect(changes.stdout).toContain(`changes requested on ${runId}: the run is reopened on sluice/${runId}`);
    const [item] = await reviewItems(repo, true);
    expect(item).toMatchObject({
      status: 'changes-requested',
      decisionNote: 'Name the parameters x and y',
      decidedAt: expect.any(String),
    });
    const state = await storedState(repo, runId, taskId);
    expect(state.run?.status).toBe('running');
    expect(state.task?.status).toBe('rework');
    expect(state.events.slice(-2)).toEqual(['review:decision', 'run:reopened']);
  });

  it('changes --now resumes the run with the reviewer words as its next input, then queues it again', async () => {
    const repo = await brokenAdderRepo();
    const { runId, agent } = await sluiceRunDone(repo, [{ write: rightAdd }, { write: `${rightAdd}// x and y\n` }]);

    const changes = await runSluice(['review', 'changes', runId, 'Say', 'which', 'names', '--now'], { cwd: repo });
    expect(changes.stderr).toBe('');
    expect(changes.exitCode).toBe(0);
    expect(changes.stdout).toContain('done: every blocking gate and acceptance check passed on the final tree');
    const prompts = agent.prompts();
    expect(prompts).toHaveLength(2);
    expect(prompts[1]).toContain("# Reviewer's request\n\nSay which names");
    expect(prompts[1]).not.toContain('What the checks said');

    const items = await reviewItems(repo, true);
    expect(items.map((entry) => [entry.round, entry.status])).toEqual([
      [1, 'changes-requested'],
      [2, 'waiting'],
    ]);
    expect(items[1]?.headCommit).toBe(await git(repo, 'rev-parse', `sluice/${runId}`));
    const show = await runSluice(['review', 'show', runId], { cwd: repo });
    expect(show.stdout).toContain(`review of run ${runId} (round 2): waiting`);
  });

  it('shows the evidence and the diff stat of a change', async () => {
    const repo = await brokenAdderRepo();
    const { runId } = await sluiceRunDone(repo, [{ write: wrongAdd }, { write: rightAdd }]);
    const show = await runSluice(['review', 'show', runId], { cwd: repo });
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toContain(`review of run ${runId} (round 1): waiting · 2 lines, 1 file: 6.2 min`);
    expect(show.stdout).toContain(`# Sluice run ${runId}: done`);
    expect(show.stdout).toContain('| unit | passed |');
    expect(show.stdout).toMatch(
      /## Diff\n\n src\/add\.js \| 2 \+-\n 1 file changed, 1 insertion\(\+\), 1 deletion\(-\)/,
    );
  });

  it('refuses unknown, ambiguous and undecidable ids with exit 2', async () => {
    const repo = await brokenAdderRepo();
    const first = await sluiceRunDone(repo, [{ write: rightAdd }]);
    const second = await sluiceRunDone(repo, [{ write: rightAdd }]);

    const unknown = await runSluice(['review', 'approve', 'nope'], { cwd: repo });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toBe('sluice: no review item for "nope"; "sluice review list --all" lists them\n');
    const ambiguous = await runSluice(['review', 'show', '2'], { cwd: repo });
    expect(ambiguous.exitCode).toBe(2);
    expect(ambiguous.stderr).toBe(
      `sluice: "2" matches 2 runs (${first.runId}, ${second.runId}); give more of the id\n`,
    );
    const noWords = await runSluice(['review', 'changes', first.runId], { cwd: repo });
    expect(noWords.exitCode).toBe(2);
    expect(noWords.stderr).toContain('say what should change');
    const noId = await runSluice(['review', 'approve'], { cwd: repo });
    expect(noId.exitCode).toBe(2);
    const badCommand = await runSluice(['review', 'merge', first.runId], { cwd: repo });
    expect(badCommand.exitCode).toBe(2);
    expect(badCommand.stderr).toContain('unknown review command "merge"');

    await runSluice(['review', 'reject', second.runId, '--reason', 'duplicate'], { cwd: repo });
    const decided = await runSluice(['review', 'reject', second.runId, '--reason', 'again'], { cwd: repo });
    expect(decided.exitCode).toBe(2);
    expect(decided.stderr).toMatch(/has nothing waiting for review: its last round was decided rejected at /);
    const list = await runSluice(['review', 'list'], { cwd: repo });
    expect(list.stdout).toContain(first.runId);
    expect(list.stdout).not.toContain(second.runId);
  });
});
