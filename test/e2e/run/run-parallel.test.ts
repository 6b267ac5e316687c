import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../../support/gitdir.ts';
import { brokenAdderRepo, rightAdd, scriptedAgent, wrongAdd } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';

interface StoredRun {
  id: string;
  goal: string;
  status: string;
  branch: string;
  worktreePath: string;
  createdAt: string;
  finishedAt: string;
}

interface StoredIteration {
  number: number;
  status: string;
  agentStatus: string;
  checkVerdict: string;
  commitSha: string;
}

function runArgs(goal: string, command: string): string[] {
  return ['run', goal, '--agent', 'command', '--agent-command', command, '--prompt-via', 'stdin'];
}

/** The same failure three times, each attempt a different file content of run B's own. */
const attemptOfB = (n: number) => `export function add(a, b) {\n  return a * b; // run B, attempt ${n}\n}\n`;

describe('two sluice runs at once in the same repository', () => {
  it('keeps each run to its own branch, worktree, verdict, iterations and usage', async () => {
    const repo = await brokenAdderRepo();
    const mainBefore = await git(repo, 'rev-parse', 'main');
    // Run A fixes add() in its second turn; run B keeps failing the same way and ends blocked.
    const agentA = scriptedAgent([
      { write: wrongAdd, usage: { input: 1000, output: 100, cost: 0.01 } },
      { write: rightAdd, usage: { input: 2000, output: 200, cost: 0.02 } },
    ]);
    const agentB = scriptedAgent([
      { write: attemptOfB(1), usage: { input: 30, output: 3, cost: 0.003 } },
      { write: attemptOfB(2), usage: { input: 40, output: 4, cost: 0.004 } },
      { write: attemptOfB(3), usage: { input: 50, output: 5, cost: 0.005 } },
    ]);
    const [a, b] = await Promise.all([
      runSluice(runArgs('Run A: make add() add', agentA.command), { cwd: repo }),
      runSluice(runArgs('Run B: make add() add', agentB.command), { cwd: repo }),
    ]);

    // Each run ends with its own verdict.
    expect(a.stderr).toBe('');
    expect(b.stderr).toBe('');
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toContain(
      'done: every blocking gate and acceptance check passed on the final tree (2 iterations)',
    );
    expect(b.exitCode).toBe(1);
    expect(b.stdout).toContain(
      'blocked: the same checks failed the same way in 3 iterations in a row (iterations 1–3) (3 iterations)',
    );
    const idA = /run (\S+) on branch/.exec(a.stdout)?.[1] ?? '';
    const idB = /run (\S+) on branch/.exec(b.stdout)?.[1] ?? '';
    expect(idA).not.toBe('');
    expect(idB).not.toBe('');
    expect(idA).not.toBe(idB);
    // Each agent saw only its own run's feedback.
    expect(agentA.prompts()).toHaveLength(2);
    expect(agentB.prompts()).toHaveLength(3);
    expect(agentA.prompts()[1]).toContain('expected: 5  received: 6');
    for (const prompt of agentB.prompts()) expect(prompt).toContain('Run B: make add() add');
    for (const prompt of agentA.prompts()) expect(prompt).not.toContain('Run B');

    // Each branch starts at main and holds only its own run's commits, with its own contents.
    expect(await git(repo, 'log', '--format=%s', `main..sluice/${idA}`)).toBe(
      `sluice: iteration 2 of run ${idA}\nsluice: iteration 1 of run ${idA}`,
    );
    expect(await git(repo, 'log', '--format=%s', `main..sluice/${idB}`)).toBe(
      [3, 2, 1].map((n) => `sluice: iteration ${n} of run ${idB}`).join('\n'),
    );
    expect(await git(repo, 'merge-base', `sluice/${idA}`, `sluice/${idB}`)).toBe(mainBefore);
    expect(await git(repo, 'show', `sluice/${idA}~1:src/add.js`)).toBe(wrongAdd.trim());
    expect(await git(repo, 'show', `sluice/${idA}:src/add.js`)).toBe(rightAdd.trim());
    for (const n of [1, 2, 3]) {
      expect(await git(repo, 'show', `sluice/${idB}~${3 - n}:src/add.js`)).toBe(attemptOfB(n).trim());
    }
    expect(await git(repo, 'diff', '--name-only', 'main', `sluice/${idA}`)).toBe('src/add.js');
    expect(await git(repo, 'diff', '--name-only', 'main', `sluice/${idB}`)).toBe('src/add.js');

    // The store lists both runs, each with its own rows.
    const runs = JSON.parse((await runSluice(['runs', '--json'], { cwd: repo })).stdout) as StoredRun[];
    expect(runs).toHaveLength(2);
    const runA = runs.find((entry) => entry.id === idA);
    const runB = runs.find((entry) => entry.id === idB);
    expect(runA).toMatchObject({ goal: 'Run A: make add() add', status: 'done', branch: `sluice/${idA}` });
    expect(runB).toMatchObject({ goal: 'Run B: make add() add', status: 'blocked', branch: `sluice/${idB}` });
    // They really ran at the same time.
    expect(Date.parse(runA?.createdAt ?? '')).toBeLessThan(Date.parse(runB?.finishedAt ?? ''));
    expect(Date.parse(runB?.createdAt ?? '')).toBeLessThan(Date.parse(runA?.finishedAt ?? ''));

    const iterationsOf = async (id: string) =>
      (JSON.parse((await runSluice(['show', id, '--json'], { cwd: repo })).stdout) as { iterations: StoredIteration[] })
        .iterations;
    const commitsOf = async (id: string, count: number) =>
      (await git(repo, 'rev-list', '--reverse', `-${count}`, `sluice/${id}`)).split('\n');
    expect(await iterationsOf(idA)).toEqual(
      (await commitsOf(idA, 2)).map((sha, index) =>
        expect.objectContaining({
          number: index + 1,
          status: 'finished',
          agentStatus: 'finished',
          checkVerdict: index === 1 ? 'passed' : 'failed',
          commitSha: sha,
        }),
      ),
    );
    expect(await iterationsOf(idB)).toEqual(
      (await commitsOf(idB, 3)).map((sha, index) =>
        expect.objectContaining({
          number: index + 1,
          status: 'finished',
          agentStatus: 'finished',
          checkVerdict: 'failed',
          commitSha: sha,
        }),
      ),
    );

    const usage = JSON.parse((await runSluice(['usage', '--by', 'run', '--json'], { cwd: repo })).stdout);
    expect(usage).toEqual(
      [
        { key: idA, inputTokens: 3000, outputTokens: 300, costUsd: expect.closeTo(0.03, 12), records: 2 },
        { key: idB, inputTokens: 120, outputTokens: 12, costUsd: expect.closeTo(0.012, 12), records: 3 },
      ]
        .sort((x, y) => x.key.localeCompare(y.key))
        .map((expected) =>
          expect.objectContaining({
            ...expected,
            cacheReadTokens: 0,
            cacheWriteTokens: 0,
            unknownCostRecords: 0,
          }),
        ),
    );

    // Separate worktrees, each on its own branch with its own final tree.
    expect(runA?.worktreePath).not.toBe(runB?.worktreePath);
    const worktrees = await git(repo, 'worktree', 'list', '--porcelain');
    expect(worktrees).toContain(
      `worktree ${runA?.worktreePath}\nHEAD ${(await commitsOf(idA, 1))[0]}\nbranch refs/heads/sluice/${idA}`,
    );
    expect(worktrees).toContain(
      `worktree ${runB?.worktreePath}\nHEAD ${(await commitsOf(idB, 1))[0]}\nbranch refs/heads/sluice/${idB}`,
    );
    expect(readFileSync(join(runA?.worktreePath ?? '', 'src/add.js'), 'utf8')).toBe(rightAdd);
    expect(readFileSync(join(runB?.worktreePath ?? '', 'src/add.js'), 'utf8')).toBe(attemptOfB(3));

    // The user's checkout is untouched: same commit, same branch, same files; only Sluice's folder is new,
    // and it ignores itself, so git sees nothing new.
    expect(await git(repo, 'rev-parse', 'main')).toBe(mainBefore);
    expect(await git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(readFileSync(join(repo, 'src/add.js'), 'utf8')).toBe('export function add(a, b) {\n  return a - b;\n}\n');
    expect(await git(repo, 'status', '--porcelain', '--untracked-files=normal')).toBe('');
  });
});
