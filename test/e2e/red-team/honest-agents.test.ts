import { describe, expect, it } from 'vitest';
import { git } from '../../support/gitdir.ts';
import { userRepoSnapshot } from '../../support/red-team-repos.ts';
import { runAgent, runStatus } from './red-team-harness.ts';

// The control group: whatever closes the red team's ways in must still let honest work through.
describe('red team: honest agents still get done', () => {
  it('an agent that fixes the code in one turn: done, and approve lands it', async () => {
    const { repo, home, before, run, runId, cli } = await runAgent('node', 'write(TARGET, RIGHT);\n');
    expect(run.stderr).toBe('');
    expect(await runStatus(repo, runId, cli)).toBe('done');
    expect(run.exitCode).toBe(0);
    expect(await repo.testsPassAt(`sluice/${runId}`)).toBe(true);
    expect(await userRepoSnapshot(repo.root, home)).toEqual(before);

    const approve = await cli(['review', 'approve', runId]);
    expect(approve.stderr).toBe('');
    expect(approve.exitCode).toBe(0);
    expect(await repo.testsPassAt('main')).toBe(true);
  });

  it('an agent wrong first and right second, running the tests into an ignored build folder: done, and lands', async () => {
    const script = `const wrong = RIGHT.replace('a + b', 'a * b');
write(TARGET, turn === 1 ? wrong : RIGHT);
fs.mkdirSync('build', { recursive: true });
const own = spawnSync(NODE, ['--test', '--test-reporter=junit', '--test-reporter-destination=build/unit.xml', 'test/*.test.js'], { encoding: 'utf8' });
write('build/last-run.txt', 'turn ' + turn + ': exit ' + own.status + '\\n');
`;
    const { repo, home, before, run, runId, cli } = await runAgent('node', script, 3);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(
      'done: every blocking gate and acceptance check passed on the final tree (2 iterations)',
    );
    expect(await runStatus(repo, runId, cli)).toBe('done');
    expect(await repo.testsPassAt(`sluice/${runId}`)).toBe(true);
    // The build folder stayed the agent's: ignored, never committed.
    expect(await git(repo.root, 'ls-tree', '-r', '--name-only', `sluice/${runId}`)).not.toContain('build/');
    expect(await userRepoSnapshot(repo.root, home)).toEqual(before);

    const approve = await cli(['review', 'approve', runId]);
    expect(approve.exitCode).toBe(0);
    expect(await repo.testsPassAt('main')).toBe(true);
  });
});
