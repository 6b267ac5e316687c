import { basename, dirname, join } from 'node:path';
import { adderTest, brokenAdderRepo, scriptedAgent } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';

/** A one-iteration run whose agent weakened the adder's assertion: the repository, the run and its worktree. */
export async function weakenedRun(): Promise<{ repo: string; runId: string; worktree: string }> {
  const repo = await brokenAdderRepo();
  const agent = scriptedAgent([{ write: 'nothing', files: { 'test/add.test.js': adderTest.replace('5);', '-1);') } }]);
  const run = await runSluice(
    ['run', 'Make add() add', '--agent', 'command', '--agent-command', agent.command, '--max-iterations', '1'],
    { cwd: repo },
  );
  const runId = /run (\S+) on branch/.exec(run.stdout)?.[1] ?? '';
  return { repo, runId, worktree: join(dirname(repo), '.sluice-worktrees', basename(repo), runId) };
}
