import { describe, expect, it } from 'vitest';
import { claudeRun, toolResults } from '../../support/claude-run.ts';
import { type MessagesRequest, textReply, toolUseReply } from '../../support/fake-anthropic-server.ts';
import { git } from '../../support/gitdir.ts';
import { rightAdd } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';

/** A model that fixes add() in one turn: read the file, write the fix, say so. */
function fixer(request: MessagesRequest) {
  switch (toolResults(request)) {
    case 0:
      return toolUseReply('Read', { file_path: 'src/add.js' });
    case 1:
      return toolUseReply('Write', { file_path: 'src/add.js', content: rightAdd });
    default:
      return textReply('add() adds now.');
  }
}

describe('from sluice add to a landed commit, with the real Claude Code', () => {
  it('queues the task, runs it under sluice work, reviews and lands it on main', async () => {
    const { server, repo } = await claudeRun([], fixer);
    const added = await runSluice(['add', 'Make add() add'], { cwd: repo });
    const taskId = /^queued (t-\S+):/.exec(added.stdout)?.[1] ?? '';
    expect(taskId).not.toBe('');

    const work = await runSluice(['work', '--once'], { cwd: repo });
    expect(work.stderr).toBe('');
    const runId = /started run (\S+) for task/.exec(work.stdout)?.[1] ?? '';
    expect(work.stdout).toContain(`run ${runId} done: every blocking gate and acceptance check passed`);
    expect(server.messageRequests().length).toBe(3);

    const list = await runSluice(['review', 'list'], { cwd: repo });
    expect(list.stdout).toContain(runId);
    expect(list.stdout).toContain('Make add() add');

    const approve = await runSluice(['review', 'approve', runId], { cwd: repo });
    expect(approve.exitCode).toBe(0);
    expect(approve.stdout).toMatch(/landed [0-9a-f]+ on main/);
    expect(await git(repo, 'log', '-1', '--format=%s', 'main')).toBe('Make add() add');
    expect(await git(repo, 'show', 'main:src/add.js')).toBe(rightAdd.trim());
    const status = JSON.parse((await runSluice(['status', '--json'], { cwd: repo })).stdout);
    expect(status.tasks).toEqual([expect.objectContaining({ id: taskId, status: 'landed', runId })]);
    expect(status.review.waiting).toBe(0);
  });
});
