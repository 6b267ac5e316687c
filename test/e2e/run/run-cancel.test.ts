import { describe, expect, it } from 'vitest';
import { isProcessAlive, waitFor } from '../../support/process-state.ts';
import { brokenAdderRepo, scriptedAgent, wrongAdd } from '../../support/run-fixtures.ts';
import { runSluice, startSluice } from '../../support/sluice-cli.ts';

describe('Ctrl-C during sluice run', () => {
  it('kills the agent, records the run as cancelled and exits 130', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([{ write: wrongAdd }, { write: 'hang' }]);
    const args = [
      'run',
      'Make add() add',
      '--agent',
      'command',
      '--agent-command',
      agent.command,
      '--prompt-via',
      'stdin',
    ];
    const sluice = startSluice(args, repo);
    expect(await waitFor(() => agent.prompts().length === 2, 20_000)).toBe(true);
    const hanging = agent.lastPid();
    sluice.child.kill('SIGINT');
    expect(await sluice.exited).toBe(130);
    expect(await waitFor(() => !isProcessAlive(hanging))).toBe(true);
    expect(sluice.stdout()).toContain('cancelled: stopped by the user (2 iterations)');
    const runId = /run (\S+) on branch/.exec(sluice.stdout())?.[1] ?? '';
    const show = await runSluice(['show', runId], { cwd: repo });
    expect(show.stdout).toContain(`run ${runId}: cancelled — stopped by the user`);
    expect(show.stdout).toContain('iteration 2: agent killed');
  });
});
