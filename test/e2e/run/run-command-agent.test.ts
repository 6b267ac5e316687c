import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../../support/gitdir.ts';
import { brokenAdderRepo, rightAdd, scriptedAgent, wrongAdd } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';

describe('sluice run with a command agent', () => {
  it('feeds the failing test back and ends done once the checks pass, with receipts', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([
      { write: wrongAdd, usage: { input: 1000, output: 200, cost: 0.01 } },
      { write: rightAdd, usage: { input: 1500, output: 300, cost: 0.02 } },
    ]);
    const run = await runSluice(
      ['run', 'Make add() add', '--agent', 'command', '--agent-command', agent.command, '--prompt-via', 'stdin'],
      {
        cwd: repo,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      'done: every blocking gate and acceptance check passed on the final tree (2 iterations)',
    );

    const prompts = agent.prompts();
    expect(prompts).toHaveLength(2);
    expect(prompts[0]).toContain('# Goal\n\nMake add() add');
    expect(prompts[0]).not.toContain('What the checks said');
    expect(prompts[1]).toContain('adds two numbers (test/add.test.js:6)');
    expect(prompts[1]).toContain('expected: 5  received: 6');

    // The user's checkout is untouched; the run's branch holds the two turns.
    expect(readFileSync(join(repo, 'src/add.js'), 'utf8')).toContain('a - b');
    const runId = /run (\S+) on branch/.exec(run.stdout)?.[1] ?? '';
    expect(await git(repo, 'log', '--format=%s', `sluice/${runId}`, '-2')).toBe(
      `sluice: iteration 2 of run ${runId}\nsluice: iteration 1 of run ${runId}`,
    );
    expect(await git(repo, 'show', `sluice/${runId}:src/add.js`)).toBe(rightAdd.trim());

    const usage = await runSluice(['usage', '--json'], { cwd: repo });
    expect(JSON.parse(usage.stdout)).toEqual([
      expect.objectContaining({
        key: 'scripted-1',
        inputTokens: 2500,
        outputTokens: 500,
        costUsd: 0.03,
        records: 2,
        unknownCostRecords: 0,
      }),
    ]);
    const show = await runSluice(['show', runId], { cwd: repo });
    expect(show.stdout).toContain(`run ${runId}: done`);
    expect(show.stdout).toContain('iteration 1: agent finished · checks failed · 1 file +1 −1');
    expect(show.stdout).toMatch(/branch sluice\/\S+ from main \(/);
    expect(show.stdout).toMatch(/ {2}failed {4}unit \(\d+\.\ds\) · 1 of 1 tests failed/);
    expect(show.stdout).toContain('iteration 2: agent finished · checks passed');
    const evidence = readFileSync(join(repo, '.sluice/runs', runId, 'evidence.md'), 'utf8');
    expect(evidence).toContain(`# Sluice run ${runId}: done`);
    expect(evidence).toContain('| unit | passed |');
    const runs = await runSluice(['runs'], { cwd: repo });
    expect(runs.stdout).toContain(`${runId}  done  Make add() add`);
  });

  it('ends blocked when the agent keeps producing the same failure', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([
      { write: wrongAdd },
      { write: `${wrongAdd}// try again\n` },
      { write: `${wrongAdd}// and again\n` },
    ]);
    const run = await runSluice(
      ['run', 'Make add() add', '--agent', 'command', '--agent-command', agent.command, '--prompt-via', 'stdin'],
      {
        cwd: repo,
      },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      'blocked: the same checks failed the same way in 3 iterations in a row (iterations 1–3) (3 iterations)',
    );
  });

  it('records an agent that exits non-zero and goes on', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([{ write: 'exit 7' }, { write: rightAdd }]);
    const run = await runSluice(
      ['run', 'Make add() add', '--agent', 'command', '--agent-command', agent.command, '--prompt-via', 'stdin'],
      {
        cwd: repo,
      },
    );
    expect(run.stdout).toContain('agent failed (the agent exited with 7)');
    expect(run.exitCode).toBe(0);
  });

  it('stops at the token budget and leaves no agent running', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([{ write: wrongAdd, usage: { input: 5000, output: 100, cost: null } }]);
    const run = await runSluice(
      [
        'run',
        'Make add() add',
        '--agent',
        'command',
        '--agent-command',
        agent.command,
        '--prompt-via',
        'stdin',
        '--max-tokens',
        '4000',
      ],
      { cwd: repo },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('budget-exhausted: used 5100 tokens of a 4000-token budget');
  });

  it('refuses a USD budget for an agent whose cost it cannot know', async () => {
    const repo = await brokenAdderRepo();
    const run = await runSluice(['run', 'g', '--agent', 'command', '--agent-command', 'true', '--max-usd', '1'], {
      cwd: repo,
    });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'Add a token budget (--max-tokens), price the model under pricing: in sluice.yaml, or drop --max-usd',
    );
  });

  it('judges with the sluice.yaml of the base commit: an agent that rewrites it does not change its judge', async () => {
    const repo = await brokenAdderRepo();
    const cheat = `printf 'gates:\\n  unit: { run: "true" }\\n' > sluice.yaml`;
    const run = await runSluice(
      [
        'run',
        'Make add() add',
        '--agent',
        'command',
        '--agent-command',
        cheat,
        '--prompt-via',
        'stdin',
        '--max-iterations',
        '2',
      ],
      {
        cwd: repo,
      },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('checks failed: unit (1 of 1 tests)');
    expect(run.stdout).toContain('budget-exhausted: reached the limit of 2 iterations');
    const runId = /run (\S+) on branch/.exec(run.stdout)?.[1] ?? '';
    // The agent's edit is on the run branch for the reviewer to see; it judged nothing.
    expect(await git(repo, 'show', `sluice/${runId}:sluice.yaml`)).toBe('gates:\n  unit: { run: "true" }');
  });
});
