import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type {
  ApproveResult,
  DecisionResult,
  HeartbeatResult,
  Overview,
  ReviewQueue,
} from '../../../src/server/api-types.ts';
import { git } from '../../support/gitdir.ts';
import { brokenAdderRepo, rightAdd } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { dispatchedRunDone, reviewItems, sluiceRunDone, storedState } from '../review/review-fixtures.ts';
import { getJson, postJson, startServe } from './serve-fixtures.ts';

describe('sluice serve: review decisions are the CLI decisions', () => {
  it('request changes: the words are stored and reach the agent in its next prompt', async () => {
    const repo = await brokenAdderRepo();
    const { runId, agent } = await sluiceRunDone(repo, [{ write: rightAdd }, { write: `${rightAdd}// x and y\n` }]);
    const serve = await startServe(repo);

    const empty = await postJson(serve, `/api/review/${runId}/changes`, { feedback: '   ' });
    expect(empty.status).toBe(400);
    const changes = await postJson(serve, `/api/review/${runId}/changes`, { feedback: 'Name the parameters x and y' });
    expect(changes.status).toBe(200);
    expect((changes.json() as DecisionResult).round).toMatchObject({
      status: 'changes-requested',
      decisionNote: 'Name the parameters x and y',
    });
    const [item] = await reviewItems(repo, true);
    expect(item).toMatchObject({ status: 'changes-requested', decisionNote: 'Name the parameters x and y' });
    expect((await storedState(repo, runId)).run?.status).toBe('running');

    const resume = await runSluice(['resume', runId], { cwd: repo });
    expect(resume.exitCode).toBe(0);
    expect(agent.prompts()[1]).toContain("# Reviewer's request\n\nName the parameters x and y");
    const queue = await getJson<ReviewQueue>(serve, '/api/review');
    expect(queue.items.map((entry) => [entry.runId, entry.round])).toEqual([[runId, 2]]);
  });

  it('approving a change that conflicts with the base lands nothing, says why, and keeps the branch', async () => {
    const repo = await brokenAdderRepo();
    const { runId } = await sluiceRunDone(repo, [{ write: rightAdd }]);
    const branchHead = await git(repo, 'rev-parse', `sluice/${runId}`);
    await writeFile(join(repo, 'src/add.js'), 'export function add(a, b) {\n  return b + a + 0;\n}\n');
    await git(repo, 'commit', '-qam', 'Someone else fixed add');
    const mainHead = await git(repo, 'rev-parse', 'main');
    const serve = await startServe(repo);

    const bad = await postJson(serve, `/api/review/${runId}/approve`, { onto: '--upload-pack=touch /tmp/x' });
    expect(bad.status).toBe(400);
    const approve = await postJson(serve, `/api/review/${runId}/approve`, {});
    expect(approve.status).toBe(200);
    expect(approve.json() as ApproveResult).toMatchObject({ status: 'conflict', base: 'main', files: ['src/add.js'] });
    expect(await git(repo, 'rev-parse', 'main')).toBe(mainHead);
    expect(await git(repo, 'rev-parse', `sluice/${runId}`)).toBe(branchHead);
    const all = await getJson<ReviewQueue>(serve, '/api/review?all=1');
    expect(all.items.map((item) => [item.status, item.decisionNote?.startsWith('conflict with main')])).toEqual([
      ['land-failed', true],
    ]);
  });

  it('rejects with a reason, records active review time with the decision, and calibrates the estimates', async () => {
    const repo = await brokenAdderRepo();
    const { runId, taskId } = await dispatchedRunDone(repo, [{ write: rightAdd }]);
    const serve = await startServe(repo);

    const noReason = await postJson(serve, `/api/review/${runId}/reject`, {});
    expect(noReason.status).toBe(400);
    const first = await postJson(serve, `/api/review/${runId}/heartbeat`, { activeMs: 30_000 });
    expect((first.json() as HeartbeatResult).activeMs).toBe(30_000);
    // A page (or a script with the token) cannot claim more time than has passed since its last beat.
    const inflated = await postJson(serve, `/api/review/${runId}/heartbeat`, { activeMs: 3_000_000 });
    expect(inflated.status).toBe(400);
    const greedy = await postJson(serve, `/api/review/${runId}/heartbeat`, { activeMs: 60_000 });
    const total = (greedy.json() as HeartbeatResult).activeMs;
    expect(total).toBeGreaterThan(30_000);
    expect(total).toBeLessThan(30_000 + 5_000);
    const noToken = await postJson(
      serve,
      `/api/review/${runId}/heartbeat`,
      { activeMs: 1_000 },
      { 'x-sluice-token': '' },
    );
    expect(noToken.status).toBe(401);

    const reject = await postJson(serve, `/api/review/${runId}/reject`, {
      reason: 'Not the fix we want',
      activeMs: 1_000,
    });
    expect(reject.status).toBe(200);
    const round = (reject.json() as DecisionResult).round;
    expect(round).toMatchObject({ status: 'rejected', decisionNote: 'Not the fix we want' });
    expect(round.activeMinutes).toBeGreaterThan(0.5);
    expect(round.activeMinutes).toBeLessThan(0.7);
    expect((await storedState(repo, runId, taskId)).task?.status).toBe('rejected');
    const late = await postJson(serve, `/api/review/${runId}/heartbeat`, { activeMs: 1_000 });
    expect(late.status).toBe(409);

    const overview = await getJson<Overview>(serve, '/api/overview');
    const calibration = overview.review.calibration;
    expect(calibration?.decisions).toBe(1);
    expect(calibration?.observedMinutes).toBeCloseTo(round.activeMinutes ?? 0, 1);
    expect(calibration?.estimatedMinutes).toBe(round.reviewMinutes);
    expect(calibration?.sentence).toMatch(/^estimates are .*this week \(1 decision: /);
    expect(overview.review.capacity.source).toBe('measured-active');

    const status = await runSluice(['status'], { cwd: repo });
    expect(status.stdout).toContain(`review time: ${calibration?.sentence}`);
    const json = JSON.parse((await runSluice(['status', '--json'], { cwd: repo })).stdout) as {
      review: { calibration: { ratio: number } };
    };
    expect(json.review.calibration.ratio).toBe(calibration?.ratio);
  });
});
