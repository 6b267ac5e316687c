import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { git, gitdir } from '../../support/gitdir.ts';
import { isProcessAlive, waitFor } from '../../support/process-state.ts';
import { brokenAdderRepo, rightAdd, scriptedAgent } from '../../support/run-fixtures.ts';
import { runSluice, startSluice } from '../../support/sluice-cli.ts';
import { writeFiles } from '../../support/write-files.ts';

const waitingExit = 75;

/** A repository with one gate and the workflow files given. */
function workflowRepo(workflows: Record<string, string>, gates = '  built:\n    run: test -f built.txt\n') {
  return gitdir({
    files: {
      'sluice.yaml': `gates:\n${gates}`,
      '.gitignore': '.sluice/\n*.log\nbuilt.txt\ngo\n',
      ...Object.fromEntries(Object.entries(workflows).map(([name, text]) => [`.sluice/workflows/${name}.yaml`, text])),
    },
  });
}

const lines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').filter(Boolean) : []);

/** A step that records each attempt, then blocks until the test writes `go`. */
const blockingStep = (idempotent: boolean) => `
  build:
    run: echo attempt >> attempts.log; while [ ! -f go ]; do sleep 0.05; done; touch built.txt
    idempotent: ${idempotent}`;

/** Start a workflow, wait until its first step is running, and kill -9 Sluice. */
async function killDuringFirstStep(repo: string, name: string): Promise<string> {
  const sluice = startSluice(['workflow', 'run', name], repo);
  // Whatever survives the kill is released by `go` at the end, so nothing outlives the test.
  onTestFinished(() => writeFileSync(join(repo, 'go'), ''));
  expect(await waitFor(() => lines(join(repo, 'attempts.log')).length === 1, 15_000), sluice.stdout()).toBe(true);
  const id = /workflow \S+ (w-\S+)/.exec(sluice.stdout())?.[1] ?? '';
  expect(id).toMatch(/^w-/);
  sluice.child.kill('SIGKILL');
  await sluice.exited;
  return id;
}

describe('durable workflows', () => {
  it('survives kill -9 mid-step, parks at an approval with no process alive, and a later sluice approve finishes it', async () => {
    const repo = await workflowRepo({
      ship: `steps:${blockingStep(true)}
  sign:
    needs: [build]
    approve:
      message: Ship the build?
      show: { file: built-note.md }
  verify:
    needs: [sign]
    check: [built]
`,
    });
    writeFileSync(join(repo, 'built-note.md'), '# What was built\nthe widget\n');
    const id = await killDuringFirstStep(repo, 'ship');

    // The store says which step was running when Sluice died.
    const shown = await runSluice(['workflow', 'show', id], { cwd: repo });
    expect(shown.stdout).toContain(`workflow ship ${id}: running`);
    expect(shown.stdout).toContain('build [run]: running');
    expect(shown.stdout).toContain('verify: pending');

    writeFileSync(join(repo, 'go'), '');
    const resumed = await runSluice(['workflow', 'resume', id], { cwd: repo });
    expect(resumed.stderr).toBe('');
    expect(resumed.exitCode).toBe(waitingExit);
    // A run step is idempotent by default: run again, once.
    expect(resumed.stdout).toContain('step build [run]: started (attempt 2)');
    expect(lines(join(repo, 'attempts.log'))).toHaveLength(2);
    expect(resumed.stdout).toContain('step sign: waiting for approval — Ship the build?');
    expect(resumed.stdout).toContain('│ the widget');
    expect(resumed.stdout).not.toContain('step verify');

    // Parked: the record holds no driver, the process that parked it is gone.
    const status = await runSluice(['status', '--json'], { cwd: repo });
    const parked = (JSON.parse(status.stdout) as { workflows: Array<{ id: string; status: string; pid?: number }> })
      .workflows;
    expect(parked).toEqual([expect.objectContaining({ id, status: 'waiting' })]);
    expect(parked[0]?.pid).toBeUndefined();

    // Approving what does not wait is refused; the real approval shows the file, then drives the rest.
    const wrong = await runSluice(['approve', id, 'verify'], { cwd: repo });
    expect(wrong.exitCode).toBe(2);
    const approved = await runSluice(['approve', id, 'sign', '--reason', 'looks right'], { cwd: repo });
    expect(approved.stderr).toBe('');
    expect(approved.stdout).toContain('file built-note.md:\n# What was built');
    expect(approved.stdout).toContain(`step sign of ${id}: approved (looks right)`);
    expect(approved.stdout).toContain('step verify: succeeded');
    expect(approved.exitCode).toBe(0);
    expect(lines(join(repo, 'attempts.log'))).toHaveLength(2);

    const again = await runSluice(['approve', id, 'sign'], { cwd: repo });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('not waiting for a decision (approved)');
    const final = await runSluice(['workflow', 'show', id, '--json'], { cwd: repo });
    const record = JSON.parse(final.stdout) as { status: string; steps: Array<{ stepId: string; status: string }> };
    expect(record.status).toBe('succeeded');
    expect(record.steps.map((step) => `${step.stepId}:${step.status}`)).toEqual([
      'build:succeeded',
      'sign:succeeded',
      'verify:succeeded',
    ]);
  });

  it('does not run a non-idempotent step again after kill -9: the step fails and says why', async () => {
    const repo = await workflowRepo({
      deploy: `steps:${blockingStep(false)}\n  after:\n    needs: [build]\n    run: touch after.log\n`,
    });
    const id = await killDuringFirstStep(repo, 'deploy');
    writeFileSync(join(repo, 'go'), '');
    const resumed = await runSluice(['workflow', 'resume', id], { cwd: repo });
    expect(resumed.exitCode).toBe(1);
    expect(resumed.stdout).toContain('idempotent: false, so it is not run again');
    expect(lines(join(repo, 'attempts.log'))).toHaveLength(1);
    expect(existsSync(join(repo, 'after.log'))).toBe(false);
    const twice = await runSluice(['workflow', 'resume', id], { cwd: repo });
    expect(twice.exitCode).toBe(2);
    expect(twice.stderr).toContain('already ended: failed');
  });

  it('a rejection fails the workflow unless a later step handles it; the reason is an output', async () => {
    const repo = await workflowRepo({
      gate: `steps:
  sign:
    approve: { message: "ok?" }
    continue_on_error: true
  on-reject:
    needs: [sign]
    if: steps.sign.outputs.decision == 'rejected'
    run: printf '%s' "\${{ steps.sign.outputs.reason }}" > reason.log
  on-approve:
    needs: [sign]
    if: steps.sign.outcome == 'succeeded'
    run: touch approved.log
`,
    });
    const parked = await runSluice(['workflow', 'run', 'gate'], { cwd: repo });
    expect(parked.exitCode).toBe(waitingExit);
    const id = /workflow gate (w-\S+)/.exec(parked.stdout)?.[1] ?? '';
    const rejected = await runSluice(['approve', id, 'sign', '--reject', '--reason', 'not now; $(touch pwned)'], {
      cwd: repo,
    });
    expect(rejected.exitCode).toBe(0);
    expect(readFileSync(join(repo, 'reason.log'), 'utf8')).toBe('not now; $(touch pwned)');
    expect(existsSync(join(repo, 'pwned'))).toBe(false);
    expect(existsSync(join(repo, 'approved.log'))).toBe(false);
    expect(rejected.stdout).toContain(
      "step on-approve: skipped — skipped: if steps.sign.outcome == 'succeeded' is false",
    );
  });

  it('cancel stops a parked workflow; approving it afterwards is refused', async () => {
    const repo = await workflowRepo({
      wait: 'steps:\n  sign:\n    approve: {}\n  after:\n    needs: [sign]\n    run: touch after.log\n',
    });
    const parked = await runSluice(['workflow', 'run', 'wait'], { cwd: repo });
    const id = /workflow wait (w-\S+)/.exec(parked.stdout)?.[1] ?? '';
    expect((await runSluice(['workflow', 'cancel', id], { cwd: repo })).exitCode).toBe(0);
    const approve = await runSluice(['approve', id, 'sign'], { cwd: repo });
    expect(approve.exitCode).toBe(1);
    expect(existsSync(join(repo, 'after.log'))).toBe(false);
    const list = await runSluice(['workflow', 'list'], { cwd: repo });
    expect(list.stdout).toContain(`${id}  cancelled  wait`);
  });

  it('the killed process left no step process behind', async () => {
    const repo = await workflowRepo({ ship: `steps:${blockingStep(true)}\n` });
    const sluice = startSluice(['workflow', 'run', 'ship'], repo);
    onTestFinished(() => writeFileSync(join(repo, 'go'), ''));
    expect(await waitFor(() => lines(join(repo, 'attempts.log')).length === 1, 15_000), sluice.stdout()).toBe(true);
    sluice.child.kill('SIGKILL');
    await sluice.exited;
    expect(isProcessAlive(sluice.child.pid ?? 0)).toBe(false);
  });

  it('an agent step killed mid-turn resumes its own run, like sluice resume: no second run is started', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([{ write: 'hang' }, { write: rightAdd }]);
    writeFiles(repo, {
      'agent.sh': `#!/bin/sh\nexec ${agent.command}\n`,
      '.gitignore': '.sluice/\n',
      '.sluice/workflows/fix.yaml': `steps:
  fix:
    agent: { goal: Make add() add, agent: command, command: ./agent.sh, prompt_via: stdin, max_iterations: 3 }
  after:
    needs: [fix]
    run: echo "\${{ steps.fix.outputs.run_id }}" > after.log
`,
    });
    await git(repo, 'add', '-A');
    await git(repo, 'update-index', '--chmod=+x', 'agent.sh');
    await git(repo, 'commit', '-q', '-m', 'workflow');
    const sluice = startSluice(['workflow', 'run', 'fix'], repo);
    expect(await waitFor(() => agent.prompts().length === 1, 20_000)).toBe(true);
    const id = /workflow fix (w-\S+)/.exec(sluice.stdout())?.[1] ?? '';
    const runId = /run (\S+) on branch/.exec(sluice.stdout())?.[1] ?? '';
    expect(runId).not.toBe('');
    sluice.child.kill('SIGKILL');
    await sluice.exited;

    const resumed = await runSluice(['workflow', 'resume', id], { cwd: repo });
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    expect(agent.prompts()).toHaveLength(2);
    expect(readFileSync(join(repo, 'after.log'), 'utf8')).toBe(`${runId}\n`);
    const runs = await runSluice(['runs'], { cwd: repo });
    expect(
      runs.stdout
        .trim()
        .split('\n')
        .filter((line) => line.includes('Make add() add')),
    ).toHaveLength(1);
    expect(runs.stdout).toContain(`${runId}  done`);
  });
});
