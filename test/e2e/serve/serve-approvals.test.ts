import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ApprovalDecisionView, ApprovalList } from '../../../src/server/api-types.ts';
import { gitdir } from '../../support/gitdir.ts';
import { waitFor } from '../../support/process-state.ts';
import { runSluice, startSluice } from '../../support/sluice-cli.ts';
import { moveStoreClockBack } from '../workflow/store-clock.ts';
import { getJson, openEvents, postJson, rawRequest, type ServeProcess, startServe } from './serve-fixtures.ts';

const waitingExit = 75;

/** A repository whose workflow `ship` builds, parks at `sign` showing a note, then appends the reason to after.log. */
async function parkedWorkflow(approve = '{ message: Ship it?, show: { file: note.md } }') {
  const repo = await gitdir({
    files: {
      'sluice.yaml': 'gates:\n  ok:\n    run: "true"\n',
      '.gitignore': '.sluice/\n*.log\n',
      'note.md': '# Release note\nthe widget, version 2\n',
      '.sluice/workflows/ship.yaml': `steps:
  build:
    run: echo built >> build.log
  sign:
    needs: [build]
    name: Sign the release
    approve: ${approve}
  after:
    needs: [sign]
    run: echo "\${{ steps.sign.outputs.decision }} \${{ steps.sign.outputs.reason }}" >> after.log
`,
    },
  });
  const parked = await runSluice(['workflow', 'run', 'ship'], { cwd: repo });
  expect(parked.exitCode, parked.stdout + parked.stderr).toBe(waitingExit);
  const id = /workflow ship (w-\S+)/.exec(parked.stdout)?.[1] ?? '';
  expect(id).toMatch(/^w-/);
  return { repo, id };
}

const lines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').filter(Boolean) : []);

async function workflowRecord(repo: string, id: string) {
  const shown = await runSluice(['workflow', 'show', id, '--json'], { cwd: repo });
  return JSON.parse(shown.stdout) as {
    status: string;
    reason?: string;
    steps: Array<{ stepId: string; status: string; reason?: string }>;
  };
}

/** Until the workflow ended (the server drives it in a process of its own). */
async function ended(repo: string, id: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = await workflowRecord(repo, id);
    if (['succeeded', 'failed', 'cancelled'].includes(record.status)) return record;
    if (Date.now() > deadline) throw new Error(`workflow ${id} still ${record.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const decide = (serve: ServeProcess, id: string, step: string, how: 'approve' | 'reject', body: unknown = {}) =>
  postJson(serve, `/api/workflows/${id}/steps/${step}/${how}`, body);

describe('sluice serve: workflow approvals', () => {
  it('lists a parked approval with what it shows; a webhook call with the token approves it and the workflow finishes', async () => {
    const { repo, id } = await parkedWorkflow();
    const serve = await startServe(repo);
    const events = openEvents(serve);

    const { approvals } = await getJson<ApprovalList>(serve, '/api/approvals');
    expect(approvals).toEqual([
      expect.objectContaining({
        workflowId: id,
        rootWorkflowId: id,
        workflowName: 'ship',
        stepId: 'sign',
        stepName: 'Sign the release',
        message: 'Ship it?',
        show: { kind: 'file', target: 'note.md' },
        material: 'file note.md:\n# Release note\nthe widget, version 2\n',
        expiresAt: null,
        expired: false,
      }),
    ]);

    // The webhook: no token, a wrong one, or the token in a query string changes nothing.
    const path = `/api/workflows/${id}/steps/sign/approve`;
    const json = { 'content-type': 'application/json' };
    for (const headers of [
      json,
      { ...json, authorization: 'Bearer wrong-token' },
      { ...json, authorization: `Basic ${serve.token}` },
    ]) {
      const refused = await rawRequest(serve, { method: 'POST', path, headers, body: '{}' });
      expect(refused.status, refused.body).toBe(401);
    }
    const inQuery = await rawRequest(serve, {
      method: 'POST',
      path: `${path}?token=${serve.token}`,
      headers: json,
      body: '{}',
    });
    expect(inQuery.status).toBe(401);
    expect((await workflowRecord(repo, id)).status).toBe('waiting');

    // The call docs/workflows.md gives: curl -X POST -H "Authorization: Bearer <token>" -H "Content-Type: application/json" -d '{...}'
    const approved = await rawRequest(serve, {
      method: 'POST',
      path,
      headers: { authorization: `Bearer ${serve.token}`, ...json },
      body: JSON.stringify({ reason: 'release notes read' }),
    });
    expect(approved.status, approved.body).toBe(200);
    const decision = approved.json() as ApprovalDecisionView;
    expect(decision).toMatchObject({
      workflowId: id,
      stepId: 'sign',
      decision: 'approved',
      reason: 'release notes read',
      driving: { workflowId: id },
    });
    const record = await ended(repo, id);
    expect(record.status).toBe('succeeded');
    expect(lines(join(repo, 'after.log'))).toEqual(['approved release notes read']);
    expect(lines(join(repo, 'build.log'))).toHaveLength(1);
    // The background resume wrote where the answer said.
    expect(readFileSync(decision.driving.log, 'utf8')).toContain(`workflow ${id}: succeeded`);

    // Decided once: the dashboard again, then the CLI, are refused and drive nothing.
    const twice = await decide(serve, id, 'sign', 'approve');
    expect(twice.status).toBe(409);
    expect((twice.json() as { error: { code: string } }).error.code).toBe('NOT_WAITING');
    const cli = await runSluice(['approve', id, 'sign'], { cwd: repo });
    expect(cli.exitCode).toBe(1);
    expect(lines(join(repo, 'after.log'))).toHaveLength(1);
    expect((await getJson<ApprovalList>(serve, '/api/approvals')).approvals).toEqual([]);
    // The page heard it live: a change of the workflows table.
    expect(
      events.events.some(
        (event) => event.event === 'change' && (event.data as { tables: string[] }).tables.includes('workflows'),
      ),
    ).toBe(true);
  });

  it('refuses unknown workflows and steps (404), a reject without a reason (400), and a step that is not waiting (409)', async () => {
    const { repo, id } = await parkedWorkflow();
    const serve = await startServe(repo);
    const code = (response: { json: () => unknown }) => (response.json() as { error: { code: string } }).error.code;

    const unknownWorkflow = await decide(serve, 'w-20200101-000000-zzzz', 'sign', 'approve');
    expect([unknownWorkflow.status, code(unknownWorkflow)]).toEqual([404, 'NOT_FOUND']);
    const unknownStep = await decide(serve, id, 'nope', 'approve');
    expect([unknownStep.status, code(unknownStep)]).toEqual([404, 'NOT_FOUND']);
    // `build` is a step, but not an approval; `after` has not started.
    for (const step of ['build', 'after']) {
      const notApproval = await decide(serve, id, step, 'approve');
      expect(notApproval.status).toBe(404);
      expect(code(notApproval)).toBe('NOT_FOUND');
    }
    for (const body of [{}, { reason: '   ' }, { reason: 42 }]) {
      const noReason = await decide(serve, id, 'sign', 'reject', body);
      expect(noReason.status, JSON.stringify(body)).toBe(400);
      expect(noReason.body).toContain('a rejection needs a reason');
    }
    const extra = await decide(serve, id, 'sign', 'approve', { reason: 'ok', decision: 'rejected' });
    expect(extra.status).toBe(400);
    expect((await workflowRecord(repo, id)).status).toBe('waiting');

    const rejected = await decide(serve, id, 'sign', 'reject', { reason: 'not this week' });
    expect(rejected.status).toBe(200);
    const record = await ended(repo, id);
    expect(record.status).toBe('failed');
    expect(record.reason).toContain('step sign failed: rejected: not this week');
    expect(existsSync(join(repo, 'after.log'))).toBe(false);
    const late = await decide(serve, id, 'sign', 'approve');
    expect([late.status, code(late)]).toEqual([409, 'NOT_WAITING']);
  });

  it('the CLI and the dashboard deciding at once: one decision wins, the workflow is driven once', async () => {
    const { repo, id } = await parkedWorkflow();
    const serve = await startServe(repo);
    const [api, cli] = await Promise.all([
      decide(serve, id, 'sign', 'approve', { reason: 'from the page' }),
      runSluice(['approve', id, 'sign', '--reason', 'from the terminal'], { cwd: repo }),
    ]);
    // Exactly one of them recorded a decision.
    expect(
      [api.status === 200, cli.exitCode === 0].filter(Boolean),
      `${api.body}\n${cli.stdout}${cli.stderr}`,
    ).toHaveLength(1);
    const record = await ended(repo, id);
    expect(record.status).toBe('succeeded');
    // Settle: a background drive that lost would show as a second line here.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = lines(join(repo, 'after.log'));
    expect(after).toEqual([api.status === 200 ? 'approved from the page' : 'approved from the terminal']);
  });

  it('a decision the CLI recorded with --no-continue is left for workflow resume: the server neither drives it nor decides again', async () => {
    const { repo, id } = await parkedWorkflow();
    const serve = await startServe(repo);
    const recorded = await runSluice(['approve', id, 'sign', '--no-continue'], { cwd: repo });
    expect(recorded.exitCode).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await workflowRecord(repo, id)).status).toBe('waiting');
    expect(existsSync(join(repo, 'after.log'))).toBe(false);
    const refused = await decide(serve, id, 'sign', 'approve');
    expect(refused.status).toBe(409);
    const resumed = await runSluice(['workflow', 'resume', id], { cwd: repo });
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    const again = await decide(serve, id, 'sign', 'approve');
    expect(again.status).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(lines(join(repo, 'after.log'))).toEqual(['approved']);
    // The server started no resume of its own.
    expect(existsSync(join(repo, '.sluice', 'workflow-logs'))).toBe(false);
  });

  it('a decision made while another process drives the workflow (and does not see it) is driven once that process parks', async () => {
    const repo = await gitdir({
      files: {
        'sluice.yaml': 'gates:\n  ok:\n    run: "true"\n',
        '.gitignore': '.sluice/\n*.log\ngo\n',
        '.sluice/workflows/pair.yaml': `concurrency: 2
steps:
  sign:
    approve: { message: ok? }
  slow:
    run: while [ ! -f go ]; do sleep 0.05; done
  after:
    needs: [sign, slow]
    run: echo "\${{ steps.sign.outputs.decision }}" >> after.log
`,
      },
    });
    const running = startSluice(['workflow', 'run', 'pair'], repo);
    onTestFinished(() => writeFileSync(join(repo, 'go'), ''));
    expect(await waitFor(() => /step sign: waiting for approval/.test(running.stdout()), 20_000)).toBe(true);
    const id = /workflow pair (w-\S+)/.exec(running.stdout())?.[1] ?? '';
    const serve = await startServe(repo);
    const approved = await decide(serve, id, 'sign', 'approve');
    expect(approved.status).toBe(200);
    // A resume started now would be refused (a live process drives the workflow): give one time to try.
    const log = (approved.json() as ApprovalDecisionView).driving.log;
    await waitFor(() => existsSync(log) && readFileSync(log, 'utf8').includes('being driven'), 3000);
    // The process that drives it read `sign` before the decision: it parks the workflow, unaware.
    writeFileSync(join(repo, 'go'), '');
    expect(await running.exited).toBe(waitingExit);
    const record = await ended(repo, id);
    expect(record.status).toBe('succeeded');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(lines(join(repo, 'after.log'))).toEqual(['approved']);
  });

  it('an approval in a nested workflow: listed under its own id, and deciding it drives the outermost workflow', async () => {
    const { repo } = await parkedWorkflow();
    writeFileSync(
      join(repo, '.sluice/workflows/outer.yaml'),
      'steps:\n  inner:\n    workflow: ship\n  last:\n    needs: [inner]\n    run: echo outer >> outer.log\n',
    );
    const parked = await runSluice(['workflow', 'run', 'outer'], { cwd: repo });
    expect(parked.exitCode).toBe(waitingExit);
    const outer = /workflow outer (w-\S+)/.exec(parked.stdout)?.[1] ?? '';
    const serve = await startServe(repo);
    const nested = (await getJson<ApprovalList>(serve, '/api/approvals')).approvals.find(
      (approval) => approval.rootWorkflowId === outer,
    );
    expect(nested).toMatchObject({ workflowName: 'ship', stepId: 'sign' });
    expect(nested?.workflowId).not.toBe(outer);
    const approved = await decide(serve, nested?.workflowId ?? '', 'sign', 'approve');
    expect((approved.json() as ApprovalDecisionView).driving.workflowId).toBe(outer);
    expect((await ended(repo, outer)).status).toBe('succeeded');
    expect(lines(join(repo, 'outer.log'))).toEqual(['outer']);
  });

  it('an approval past its timeout is refused as expired, and the workflow fails naming the step', async () => {
    const { repo, id } = await parkedWorkflow('{ message: Ship it?, timeout: 30m }');
    // An hour goes by (fake clock: the store's instants moved back), no Sluice process alive.
    expect(moveStoreClockBack(repo, 60 * 60_000)).toBeGreaterThan(0);
    const serve = await startServe(repo);
    const [approval] = (await getJson<ApprovalList>(serve, '/api/approvals')).approvals;
    expect(approval).toMatchObject({ stepId: 'sign', expired: true });
    expect(Date.parse(approval?.expiresAt ?? '')).toBeLessThan(Date.now() - 25 * 60_000);

    const late = await decide(serve, id, 'sign', 'approve');
    expect(late.status).toBe(409);
    expect((late.json() as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'EXPIRED',
      message: expect.stringContaining('expired: no decision within 30m'),
    });
    const record = await ended(repo, id);
    expect(record.status).toBe('failed');
    expect(record.reason).toMatch(/^step sign failed: expired: no decision within 30m/);
    expect(existsSync(join(repo, 'after.log'))).toBe(false);
  });
});
