import { describe, expect, it } from 'vitest';
import { RunStore, runStorePath } from '../../../src/store/run-store.ts';
import { git } from '../../support/gitdir.ts';
import { brokenAdderRepo, rightAdd, scriptedAgent } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { writeFiles } from '../../support/write-files.ts';

const agentStep = (script: string, extra = '') =>
  `{ goal: Make add() add, agent: command, command: ./${script}, prompt_via: stdin, max_iterations: 1${extra} }`;

async function queueRepo() {
  const agents = {
    a: scriptedAgent([{ write: rightAdd }]),
    b: scriptedAgent([{ write: rightAdd, files: { 'NOTES.md': 'b\n' } }]),
    c: scriptedAgent([{ write: `${rightAdd}// c builds on a\n` }]),
  };
  const repo = await brokenAdderRepo();
  writeFiles(repo, {
    ...Object.fromEntries(
      Object.entries(agents).map(([name, agent]) => [`${name}.sh`, `#!/bin/sh\nexec ${agent.command}\n`]),
    ),
    '.gitignore': '.sluice/\n',
    '.sluice/workflows/three.yaml': `steps:
  a:
    agent: ${agentStep('a.sh')}
  b:
    agent: ${agentStep('b.sh')}
  c:
    needs: [a]
    agent: ${agentStep('c.sh', ', base: "${{ steps.a.outputs.branch }}"')}
`,
    '.sluice/workflows/broken.yaml': `steps:
  a:
    agent: ${agentStep('a.sh')}
  after:
    needs: [a]
    run: "false"
`,
  });
  await git(repo, 'add', '-A');
  for (const name of Object.keys(agents)) await git(repo, 'update-index', '--chmod=+x', `${name}.sh`);
  await git(repo, 'commit', '-q', '-m', 'workflows');
  return repo;
}

async function queued(repo: string): Promise<Array<{ runId: string; status: string }>> {
  // Any command first queues runs left due: a workflow's runs must not be among them.
  await runSluice(['review', 'list'], { cwd: repo });
  const store = await RunStore.open(runStorePath(repo));
  try {
    return (await store.queue.listReviewItems()).map((item) => ({ runId: item.runId, status: item.status }));
  } finally {
    await store.close();
  }
}

describe("a workflow's changes in the review queue", () => {
  it('queues, when the workflow succeeds, each change once: a run another run built on is not queued on its own', async () => {
    const repo = await queueRepo();
    const run = await runSluice(['workflow', 'run', 'three'], { cwd: repo });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const id = /workflow three (w-\S+)/.exec(run.stdout)?.[1] ?? '';
    const store = await RunStore.open(runStorePath(repo));
    const runOf = async (step: string) => (await store.workflows.getStep(id, step))?.outputs.run_id ?? '';
    const [a, b, c] = [await runOf('a'), await runOf('b'), await runOf('c')];
    // c's item is measured from where a started, and lands on main: a's change is in it, not lost.
    const [runA, runC] = [await store.getRun(a), await store.getRun(c)];
    await store.close();
    expect([runC?.baseRef, runC?.baseCommit]).toEqual(['main', runA?.baseCommit]);
    // c holds a's change: one item for both. b is a change of its own.
    expect((await queued(repo)).sort((x, y) => x.runId.localeCompare(y.runId))).toEqual(
      [
        { runId: b, status: 'waiting' },
        { runId: c, status: 'waiting' },
      ].sort((x, y) => x.runId.localeCompare(y.runId)),
    );
    expect(a).not.toBe('');
  });

  it('queues nothing of a workflow that failed, though its agent step ended done', async () => {
    const repo = await queueRepo();
    const run = await runSluice(['workflow', 'run', 'broken'], { cwd: repo });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('step a: succeeded');
    expect(await queued(repo)).toEqual([]);
  });
});
