import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { gitdir } from '../../support/gitdir.ts';
import { waitFor } from '../../support/process-state.ts';
import { runSluice, startSluice } from '../../support/sluice-cli.ts';
import { moveStoreClockBack } from './store-clock.ts';

// Approvals over time, on a fake clock that touches no production path: every instant the store
// recorded is moved an hour into the past while no Sluice process runs (store-clock.ts).

const hourMs = 60 * 60_000;
const waitingExit = 75;

const lines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').filter(Boolean) : []);

async function workflowRecord(repo: string, id: string) {
  const shown = await runSluice(['workflow', 'show', id, '--json'], { cwd: repo });
  return JSON.parse(shown.stdout) as {
    status: string;
    reason?: string;
    steps: Array<{ stepId: string; status: string; attempt: number; reason?: string }>;
  };
}

/**
 * `release`: after `build`, the approval `sign` parks while `slow` (same wave) still runs; `publish`
 * needs both. Sluice is killed with -9 while `sign` is parked and `slow` is running.
 */
async function killedWhileParked(timeout: string) {
  const repo = await gitdir({
    files: {
      'sluice.yaml': 'gates:\n  ok:\n    run: "true"\n',
      '.gitignore': '.sluice/\n*.log\ngo\n',
      'note.md': '# Release 2\n',
      '.sluice/workflows/release.yaml': `concurrency: 2
steps:
  build:
    run: echo built >> build.log
  sign:
    needs: [build]
    approve: { message: Release it?, show: { file: note.md }, timeout: ${timeout} }
  slow:
    needs: [build]
    run: echo attempt >> slow.log; while [ ! -f go ]; do sleep 0.05; done
  publish:
    needs: [sign, slow]
    run: echo "\${{ steps.sign.outputs.decision }} \${{ steps.sign.outputs.reason }}" >> publish.log
`,
    },
  });
  const sluice = startSluice(['workflow', 'run', 'release'], repo);
  // Whatever survives the kill is released by `go` at the end, so nothing outlives the test.
  onTestFinished(() => writeFileSync(join(repo, 'go'), ''));
  expect(await waitFor(() => /step sign: waiting for approval/.test(sluice.stdout()), 20_000), sluice.stdout()).toBe(
    true,
  );
  expect(await waitFor(() => lines(join(repo, 'slow.log')).length === 1, 20_000)).toBe(true);
  const id = /workflow release (w-\S+)/.exec(sluice.stdout())?.[1] ?? '';
  expect(id).toMatch(/^w-/);
  sluice.child.kill('SIGKILL');
  await sluice.exited;
  const before = await workflowRecord(repo, id);
  expect(before.status).toBe('running');
  expect(before.steps.map((step) => `${step.stepId}:${step.status}`)).toEqual([
    'build:succeeded',
    'sign:waiting',
    'slow:running',
    'publish:pending',
  ]);
  // An hour goes by.
  expect(moveStoreClockBack(repo, hourMs)).toBeGreaterThan(0);
  writeFileSync(join(repo, 'go'), '');
  return { repo, id };
}

describe('approval checkpoints over time', () => {
  it('parked across kill -9, approved an hour later (timeout 2h): resumes at the right steps and finishes', async () => {
    const { repo, id } = await killedWhileParked('2h');
    const approved = await runSluice(['approve', id, 'sign', '--reason', 'after lunch'], { cwd: repo });
    expect(approved.exitCode, approved.stdout + approved.stderr).toBe(0);
    expect(approved.stdout).toContain('file note.md:\n# Release 2');
    const record = await workflowRecord(repo, id);
    expect(record.status).toBe('succeeded');
    expect(record.steps.map((step) => `${step.stepId}:${step.status}:${step.attempt}`)).toEqual([
      'build:succeeded:1',
      'sign:succeeded:1',
      'slow:succeeded:2',
      'publish:succeeded:1',
    ]);
    // Finished steps were not run again; the one that was running ran once more; the rest once.
    expect(lines(join(repo, 'build.log'))).toHaveLength(1);
    expect(lines(join(repo, 'slow.log'))).toHaveLength(2);
    expect(lines(join(repo, 'publish.log'))).toEqual(['approved after lunch']);
  });

  it('the same hour with timeout 30m: the approval is expired and the workflow fails naming the step', async () => {
    const { repo, id } = await killedWhileParked('30m');
    const late = await runSluice(['approve', id, 'sign', '--reason', 'after lunch'], { cwd: repo });
    expect(late.exitCode, late.stdout + late.stderr).toBe(1);
    // The person is told it came too late, never that it was approved.
    expect(late.stdout).toContain('expired: no decision within 30m');
    expect(late.stdout).not.toMatch(/sign of \S+: approved/);
    const record = await workflowRecord(repo, id);
    expect(record.status).toBe('failed');
    expect(record.reason).toMatch(/^step sign failed: expired: no decision within 30m \(waiting since /);
    expect(record.steps.find((step) => step.stepId === 'sign')).toMatchObject({ status: 'failed' });
    expect(existsSync(join(repo, 'publish.log'))).toBe(false);
    const again = await runSluice(['approve', id, 'sign'], { cwd: repo });
    expect(again.exitCode).not.toBe(0);
  });

  it('expiry is noticed by a resume without any decision; a decision made in time still stands when driven late', async () => {
    const repo = await gitdir({
      files: {
        'sluice.yaml': 'gates:\n  ok:\n    run: "true"\n',
        '.gitignore': '.sluice/\n*.log\n',
        '.sluice/workflows/gate.yaml': `steps:
  sign:
    approve: { timeout: 30m }
    continue_on_error: true
  after:
    needs: [sign]
    run: echo "\${{ steps.sign.outputs.decision }}" >> after.log
`,
      },
    });
    const start = async () => {
      const parked = await runSluice(['workflow', 'run', 'gate'], { cwd: repo });
      expect(parked.exitCode).toBe(waitingExit);
      return /workflow gate (w-\S+)/.exec(parked.stdout)?.[1] ?? '';
    };
    const forgotten = await start();
    const decidedInTime = await start();
    // Approved in time, driven on only later.
    expect((await runSluice(['approve', decidedInTime, 'sign', '--no-continue'], { cwd: repo })).exitCode).toBe(0);
    moveStoreClockBack(repo, hourMs);

    const expired = await runSluice(['workflow', 'resume', forgotten], { cwd: repo });
    // continue_on_error: the workflow goes on, and later steps see the decision `expired`.
    expect(expired.exitCode, expired.stdout + expired.stderr).toBe(0);
    expect(expired.stdout).toContain('expired: no decision within 30m');
    expect(lines(join(repo, 'after.log'))).toEqual(['expired']);

    const inTime = await runSluice(['workflow', 'resume', decidedInTime], { cwd: repo });
    expect(inTime.exitCode, inTime.stdout + inTime.stderr).toBe(0);
    expect(lines(join(repo, 'after.log'))).toEqual(['expired', 'approved']);
  });
});
