import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../../support/gitdir.ts';
import { adderTest, brokenAdderRepo, rightAdd, scriptedAgent, wrongAdd } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { writeFiles } from '../../support/write-files.ts';
import { dispatchedRunDone, goal, reviewItems, sluiceRunDone, storedState } from './review-fixtures.ts';

/** Commit `files` on main in the user's checkout: main moves on while the run waits for review. */
async function commitOnMain(repo: string, files: Record<string, string>, message: string): Promise<string> {
  writeFiles(repo, files);
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '--quiet', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}

describe('sluice review approve', () => {
  it('lands a done run as one squash commit on main and updates the clean checkout', async () => {
    const repo = await brokenAdderRepo();
    const { runId, stdout } = await sluiceRunDone(repo, [{ write: wrongAdd }, { write: rightAdd }]);
    expect(stdout).toContain(`waiting for review (2 lines, 1 file: 6.2 min): sluice review show ${runId}`);
    const before = await git(repo, 'rev-parse', 'main');

    const list = await runSluice(['review', 'list'], { cwd: repo });
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(
      new RegExp(`^${runId} {2}waiting \\d+s {2}6.2 min {2}done {2}Make add\\(\\) add$`, 'm'),
    );
    expect(list.stdout).toContain('    2 lines, 1 file: 6.2 min');
    expect(list.stdout).toContain('review queue 0.1 h waiting (1 item)');

    const approve = await runSluice(['review', 'approve', runId.slice(0, 17)], { cwd: repo });
    expect(approve.stderr).toBe('');
    expect(approve.exitCode).toBe(0);
    const landed = await git(repo, 'rev-parse', 'main');
    expect(approve.stdout.trim()).toBe(`landed ${landed.slice(0, 12)} on main`);
    expect(await git(repo, 'rev-parse', 'main~1')).toBe(before);
    expect(await git(repo, 'log', '-1', '--format=%B', 'main')).toBe(
      `${goal}\n\nSluice run ${runId}: 2 iterations, gates passed.\nEvidence: .sluice/runs/${runId}/evidence.md`,
    );
    expect(await git(repo, 'show', 'main:src/add.js')).toBe(rightAdd.trim());
    // The user's checkout (main, clean) moved with it; nothing is left modified.
    expect(readFileSync(join(repo, 'src/add.js'), 'utf8')).toBe(rightAdd);
    expect(await git(repo, 'status', '--porcelain', '--untracked-files=no')).toBe('');

    expect(await reviewItems(repo)).toEqual([]);
    const all = await reviewItems(repo, true);
    expect(all).toEqual([
      expect.objectContaining({ runId, status: 'landed', landedCommit: landed, decidedAt: expect.any(String) }),
    ]);
    expect(Date.parse(all[0]?.decidedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(all[0]?.createdAt ?? ''));
    const listAll = await runSluice(['review', 'list', '--all'], { cwd: repo });
    expect(listAll.stdout).toContain(`${runId}  landed ${all[0]?.decidedAt}`);
    expect(listAll.stdout).toContain('review queue 0.0 h waiting (0 items)');
    // The run's branch keeps the agent's commits, rebased (here: nothing to rebase).
    expect(await git(repo, 'log', '--format=%s', '-1', `sluice/${runId}`)).toBe(`sluice: iteration 2 of run ${runId}`);
  });

  it('rebases onto a main that moved on without conflict, and lands the result', async () => {
    const repo = await brokenAdderRepo();
    const { runId } = await sluiceRunDone(repo, [{ write: rightAdd }]);
    const moved = await commitOnMain(repo, { 'README.md': '# adder\n' }, 'Document the adder');

    const approve = await runSluice(['review', 'approve', runId], { cwd: repo });
    expect(approve.stderr).toBe('');
    expect(approve.exitCode).toBe(0);
    expect(await git(repo, 'rev-parse', 'main~1')).toBe(moved);
    expect(await git(repo, 'show', 'main:src/add.js')).toBe(rightAdd.trim());
    expect(await git(repo, 'show', 'main:README.md')).toBe('# adder');
    // The run's branch was rebased onto the moved main.
    expect(await git(repo, 'rev-parse', `sluice/${runId}~1`)).toBe(moved);
  });

  it('lands nothing on a conflict: land-failed, exit 1, the branch keeps the agent commits, main untouched', async () => {
    const repo = await brokenAdderRepo();
    const { runId } = await sluiceRunDone(repo, [{ write: wrongAdd }, { write: rightAdd }]);
    const agentHead = await git(repo, 'rev-parse', `sluice/${runId}`);
    const moved = await commitOnMain(repo, { 'src/add.js': 'export const add = (a, b) => b + a;\n' }, 'Arrow add');

    const approve = await runSluice(['review', 'approve', runId], { cwd: repo });
    expect(approve.exitCode).toBe(1);
    expect(approve.stderr).toBe(
      `sluice: not landed: conflict with main (${moved.slice(0, 12)}) in src/add.js; branch sluice/${runId} keeps the change as it was\n`,
    );
    expect(await git(repo, 'rev-parse', 'main')).toBe(moved);
    expect(await git(repo, 'rev-parse', `sluice/${runId}`)).toBe(agentHead);
    expect(await git(repo, 'log', '--format=%s', `main..sluice/${runId}`)).toBe(
      `sluice: iteration 2 of run ${runId}\nsluice: iteration 1 of run ${runId}`,
    );
    const worktree = join(repo, '..', '.sluice-worktrees', 'repo', runId);
    expect(await git(worktree, 'status', '--porcelain')).toBe('');
    expect(await reviewItems(repo, true)).toEqual([
      expect.objectContaining({ status: 'land-failed', decisionNote: expect.stringContaining('src/add.js') }),
    ]);
    const again = await runSluice(['review', 'approve', runId], { cwd: repo });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/run \S+ has nothing waiting for review: its last round was decided land-failed at/);
  });

  it('sends the change back to the agent when the rebased result fails a gate', async () => {
    const repo = await brokenAdderRepo();
    const { runId, taskId } = await dispatchedRunDone(repo, [{ write: rightAdd }]);
    // Main gains a test that passes on main and fails together with the change: no textual conflict.
    const subtractTest = adderTest
      .replace('adds two numbers', 'still subtracts')
      .replace('add(2, 3), 5', 'add(5, 3), 2');
    const moved = await commitOnMain(repo, { 'test/sub.test.js': subtractTest }, 'Pin subtraction');

    const approve = await runSluice(['review', 'approve', runId], { cwd: repo });
    expect(approve.exitCode).toBe(1);
    expect(approve.stderr).toContain(
      `sluice: not landed: After rebasing onto main (${moved.slice(0, 12)}), the gates fail:`,
    );
    expect(approve.stderr).toContain('still subtracts (test/sub.test.js:6)');
    expect(approve.stderr).toContain('The run goes back to the agent with this feedback (task: rework).');
    expect(await git(repo, 'rev-parse', 'main')).toBe(moved);
    // The branch stays rebased, so the agent works on top of what main has now.
    expect(await git(repo, 'rev-parse', `sluice/${runId}~1`)).toBe(moved);

    const [item] = await reviewItems(repo, true);
    expect(item).toMatchObject({ runId, taskId, status: 'changes-requested' });
    expect(item?.decisionNote).toContain('still subtracts');
    const state = await storedState(repo, runId, taskId);
    expect(state.run?.status).toBe('running');
    expect(state.task?.status).toBe('rework');
    expect(state.events).toEqual(
      expect.arrayContaining(['review:land:check', 'review:decision', 'run:reopened', 'run:rebased']),
    );
    // The reopened run is measured from the new main: main's commit is not counted as the agent's.
    expect(state.run?.baseCommit).toBe(moved);
  });

  it('keeps a single run land-failed when the rebased result fails a gate: no task to send back', async () => {
    const repo = await brokenAdderRepo();
    const { runId } = await sluiceRunDone(repo, [{ write: rightAdd }]);
    const subtractTest = adderTest.replace('add(2, 3), 5', 'add(5, 3), 2');
    await commitOnMain(repo, { 'test/sub.test.js': subtractTest }, 'Pin subtraction');

    const approve = await runSluice(['review', 'approve', runId], { cwd: repo });
    expect(approve.exitCode).toBe(1);
    expect(approve.stderr).toContain(`Branch sluice/${runId} keeps the change, rebased; the item is land-failed.`);
    expect((await reviewItems(repo, true))[0]?.status).toBe('land-failed');
    expect((await storedState(repo, runId)).run?.status).toBe('done');
  });

  it('checks the run branch out again when its worktree is gone, and lands it', async () => {
    const repo = await brokenAdderRepo();
    const { runId } = await sluiceRunDone(repo, [{ write: rightAdd }]);
    rmSync(join(repo, '..', '.sluice-worktrees', 'repo', runId), { recursive: true, force: true });

    const approve = await runSluice(['review', 'approve', runId], { cwd: repo });
    expect(approve.stderr).toBe('');
    expect(approve.exitCode).toBe(0);
    expect(await git(repo, 'show', 'main:src/add.js')).toBe(rightAdd.trim());
  });

  it('needs --onto when the run started from a commit rather than a branch', async () => {
    const repo = await brokenAdderRepo();
    const sha = await git(repo, 'rev-parse', 'HEAD');
    const agent = scriptedAgent([{ write: rightAdd }]);
    const run = await runSluice(
      ['run', goal, '--base', sha, '--agent', 'command', '--agent-command', agent.command, '--prompt-via', 'stdin'],
      { cwd: repo },
    );
    const runId = /run (\S+) on branch/.exec(run.stdout)?.[1] ?? '';
    const refused = await runSluice(['review', 'approve', runId], { cwd: repo });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toBe(
      `sluice: run ${runId} started from ${sha}, which is not a branch: say where to land it with --onto <branch>\n`,
    );
    expect((await reviewItems(repo))[0]?.status).toBe('waiting');
    const onto = await runSluice(['review', 'approve', runId, '--onto', 'main'], { cwd: repo });
    expect(onto.exitCode).toBe(0);
    expect(await git(repo, 'show', 'main:src/add.js')).toBe(rightAdd.trim());
  });

  it('puts the branch back on the reviewed head when the judge at the base tip cannot be read', async () => {
    const repo = await brokenAdderRepo();
    const { runId } = await sluiceRunDone(repo, [{ write: rightAdd }]);
    const reviewed = await git(repo, 'rev-parse', `sluice/${runId}`);
    const good = readFileSync(join(repo, 'sluice.yaml'), 'utf8');
    await commitOnMain(repo, { 'sluice.yaml': 'gates: {}\n' }, 'Break the config');

    const approve = await runSluice(['review', 'approve', runId], { cwd: repo });
    expect(approve.exitCode).toBe(2);
    expect(approve.stderr).toContain('define at least one gate');
    expect(await git(repo, 'rev-parse', `sluice/${runId}`)).toBe(reviewed);
    expect((await reviewItems(repo))[0]?.status).toBe('waiting');

    await commitOnMain(repo, { 'sluice.yaml': good }, 'Mend the config');
    const again = await runSluice(['review', 'approve', runId], { cwd: repo });
    expect(again.exitCode).toBe(0);
    expect(await git(repo, 'show', 'main:src/add.js')).toBe(rightAdd.trim());
  });

  it('refuses to overwrite local edits in the checkout of main: land-failed, branch kept', async () => {
    const repo = await brokenAdderRepo();
    const { runId } = await sluiceRunDone(repo, [{ write: rightAdd }]);
    const main = await git(repo, 'rev-parse', 'main');
    writeFileSync(join(repo, 'src/add.js'), '// my local experiment\n');

    const approve = await runSluice(['review', 'approve', runId], { cwd: repo });
    expect(approve.exitCode).toBe(1);
    expect(approve.stderr).toMatch(/^sluice: not landed: git merge --ff-only in \S+ refused: .*src\/add\.js/);
    expect(readFileSync(join(repo, 'src/add.js'), 'utf8')).toBe('// my local experiment\n');
    expect(await git(repo, 'rev-parse', 'main')).toBe(main);
    expect(await git(repo, 'show', `sluice/${runId}:src/add.js`)).toBe(rightAdd.trim());
    expect((await reviewItems(repo, true))[0]?.status).toBe('land-failed');
  });

  it('never overwrites an ignored file of the user checkout: names it, keeps the item in review, lands on a second approve', async () => {
    const repo = await brokenAdderRepo();
    await commitOnMain(repo, { '.gitignore': 'local.json\n' }, 'Ignore local settings');
    // The user's own local settings, ignored: git's merge would replace them without a word.
    writeFileSync(join(repo, 'local.json'), '{"mine":true}\n');
    const { runId } = await sluiceRunDone(repo, [
      { write: rightAdd, files: { '.gitignore': '', 'local.json': '{"agent":true}\n' } },
    ]);
    expect(await git(repo, 'show', `sluice/${runId}:local.json`)).toBe('{"agent":true}');
    const main = await git(repo, 'rev-parse', 'main');

    const refused = await runSluice(['review', 'approve', runId], { cwd: repo });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('would overwrite a file git does not track');
    expect(refused.stderr).toContain('local.json');
    expect(readFileSync(join(repo, 'local.json'), 'utf8')).toBe('{"mine":true}\n');
    expect(await git(repo, 'rev-parse', 'main')).toBe(main);
    expect((await reviewItems(repo))[0]).toMatchObject({ runId, status: 'waiting' });

    rmSync(join(repo, 'local.json'));
    const landed = await runSluice(['review', 'approve', runId], { cwd: repo });
    expect(landed.exitCode).toBe(0);
    expect(readFileSync(join(repo, 'local.json'), 'utf8')).toBe('{"agent":true}\n');
  });

  it('moves main by compare-and-swap when no checkout has it, leaving the user on their branch', async () => {
    const repo = await brokenAdderRepo();
    const { runId } = await sluiceRunDone(repo, [{ write: rightAdd }]);
    await git(repo, 'switch', '--quiet', '-c', 'my-feature');

    const approve = await runSluice(['review', 'approve', runId], { cwd: repo });
    expect(approve.exitCode).toBe(0);
    expect(await git(repo, 'show', 'main:src/add.js')).toBe(rightAdd.trim());
    expect(await git(repo, 'branch', '--show-current')).toBe('my-feature');
    expect(readFileSync(join(repo, 'src/add.js'), 'utf8')).toContain('a - b');
    expect(await git(repo, 'reflog', '-1', '--format=%gs', 'main')).toBe(`sluice: land run ${runId}`);
  });

  it('lands the branch commits as they are with review.land: fast-forward', async () => {
    const repo = await brokenAdderRepo('review: { land: fast-forward }\n');
    const { runId } = await sluiceRunDone(repo, [{ write: wrongAdd }, { write: rightAdd }]);
    await commitOnMain(repo, { 'README.md': '# adder\n' }, 'Document the adder');

    const approve = await runSluice(['review', 'approve', runId], { cwd: repo });
    expect(approve.exitCode).toBe(0);
    expect(await git(repo, 'rev-parse', 'main')).toBe(await git(repo, 'rev-parse', `sluice/${runId}`));
    expect(await git(repo, 'log', '--format=%s', '-3', 'main')).toBe(
      `sluice: iteration 2 of run ${runId}\nsluice: iteration 1 of run ${runId}\nDocument the adder`,
    );
    expect(readFileSync(join(repo, 'src/add.js'), 'utf8')).toBe(rightAdd);
  });
});
