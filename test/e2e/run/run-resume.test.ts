import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { isProcessAlive, waitFor } from '../../support/process-state.ts';
import { brokenAdderRepo, rightAdd, scriptedAgent, wrongAdd } from '../../support/run-fixtures.ts';
import { runSluice, startSluice } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';

// These tests read pids the processes write about themselves ($$, pidfiles); a PID namespace renumbers those,
// so they run with the process-group fallback. test/unit/process/contain-*.test.ts cover the namespace.
process.env.SLUICE_CONTAINMENT = 'process-group';

describe('kill -9 of sluice run, then sluice resume', () => {
  it('loses nothing recorded, reaps the orphaned agent and finishes the run', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([
      { write: wrongAdd, usage: { input: 100, output: 10, cost: 0.001 } },
      { write: 'hang' },
      { write: rightAdd },
    ]);
    const args = [
      'run',
      'Make add() add',
      '--agent',
      'command',
      '--agent-command',
      agent.command,
      '--prompt-via',
      'stdin',
      // In bubblewrap the agent dies with a killed Sluice (--die-with-parent), leaving no orphan to reap:
      // the reaper is for machines without a sandbox, tested here as one.
      '--sandbox',
      'off',
    ];
    const sluice = startSluice(args, repo);
    // Turn 2 hangs: wait for it to start, then kill Sluice without warning.
    expect(await waitFor(() => agent.prompts().length === 2, 20_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    sluice.child.kill('SIGKILL');
    await sluice.exited;
    const runId = /run (\S+) on branch/.exec(sluice.stdout())?.[1] ?? '';
    const orphan = agent.lastPid();
    // Should this test fail before the resume reaps it, the orphan must not outlive the test.
    onTestFinished(() => {
      if (isProcessAlive(orphan)) process.kill(orphan, 'SIGKILL');
    });
    expect(isProcessAlive(orphan)).toBe(true);

    const before = await runSluice(['show', runId], { cwd: repo });
    expect(before.stdout).toContain(`run ${runId}: running`);
    expect(before.stdout).toContain('iteration 1: agent finished · checks failed');
    expect(before.stdout).toContain('iteration 2: agent interrupted');
    expect(before.stdout).toContain('scripted-1: 100 input, 10 output');

    const resumed = await runSluice(['resume', runId], { cwd: repo });
    expect(resumed.stderr).toBe('');
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stdout).toContain('iteration 2\n');
    expect(resumed.stdout).toContain(
      'done: every blocking gate and acceptance check passed on the final tree (2 iterations)',
    );
    expect(await waitFor(() => !isProcessAlive(orphan))).toBe(true);
    const after = await runSluice(['show', runId], { cwd: repo });
    expect(after.stdout).toContain(`run ${runId}: done`);
    expect(after.stdout).toContain('iteration 2: agent finished · checks passed');
    // The resume drove the agent as the run was started: --sandbox off, not sluice.yaml's default.
    const evidence = readFileSync(join(repo, '.sluice/runs', runId, 'evidence.md'), 'utf8');
    expect(evidence).toContain('- Sandbox: not sandboxed: agent.sandbox is off');
  });

  it('refuses to resume a run that already ended', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([{ write: rightAdd }]);
    const first = await runSluice(
      ['run', 'g', '--agent', 'command', '--agent-command', agent.command, '--prompt-via', 'stdin'],
      { cwd: repo },
    );
    const runId = /run (\S+) on branch/.exec(first.stdout)?.[1] ?? '';
    const again = await runSluice(['resume', runId], { cwd: repo });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain(`run ${runId} already ended: done`);
  });

  it('reaps a gate that was running when Sluice was killed', async () => {
    const marker = join(tempDir(), 'hang-gate');
    writeFileSync(marker, '');
    const repo = await brokenAdderRepo(
      `  slow:\n    run: "if [ -f '${marker}' ]; then echo $$ > '${marker}.pid'; exec tail -f /dev/null; fi"\n`,
    );
    const agent = scriptedAgent([{ write: rightAdd }]);
    const sluice = startSluice(
      ['run', 'Make add() add', '--agent', 'command', '--agent-command', agent.command, '--prompt-via', 'stdin'],
      repo,
    );
    expect(await waitFor(() => existsSync(`${marker}.pid`), 20_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    sluice.child.kill('SIGKILL');
    await sluice.exited;
    const gatePid = Number(readFileSync(`${marker}.pid`, 'utf8'));
    onTestFinished(() => {
      if (isProcessAlive(gatePid)) process.kill(gatePid, 'SIGKILL');
    });
    expect(isProcessAlive(gatePid)).toBe(true);
    rmSync(marker);
    const runId = /run (\S+) on branch/.exec(sluice.stdout())?.[1] ?? '';
    const resumed = await runSluice(['resume', runId], { cwd: repo });
    expect(resumed.exitCode).toBe(0);
    expect(await waitFor(() => !isProcessAlive(gatePid))).toBe(true);
  });
});
