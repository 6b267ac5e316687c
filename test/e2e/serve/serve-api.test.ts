import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type {
  ApproveResult,
  DiffResponse,
  LogTail,
  Overview,
  ReviewItemDetail,
  ReviewQueue,
  RunDetail,
  RunList,
  SessionInfo,
  UsageReport,
} from '../../../src/server/api-types.ts';
import { git } from '../../support/gitdir.ts';
import { brokenAdderRepo, rightAdd, wrongAdd } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { sluiceRunDone } from '../review/review-fixtures.ts';
import { getJson, postJson, rawRequest, startServe } from './serve-fixtures.ts';

describe('sluice serve: the API over a store filled by real runs', () => {
  it('shows a run with its iterations, gates, feedback, diffs and log, and approving lands it', async () => {
    const repo = await brokenAdderRepo();
    const usage = { input: 1200, output: 300, cost: 0.02 };
    const { runId } = await sluiceRunDone(repo, [
      { write: wrongAdd, usage },
      { write: rightAdd, usage },
    ]);
    const serve = await startServe(repo);

    const session = await getJson<SessionInfo>(serve, '/api/session');
    expect(session).toMatchObject({ canChange: false, dispatcherInProcess: false });

    const overview = await getJson<Overview>(serve, '/api/overview');
    expect(overview.empty).toBe(false);
    expect(overview.inReview.count).toBe(1);
    expect(overview.inReview.minutes).toBeGreaterThan(0);
    expect(overview.today.done).toBe(1);
    expect(overview.review.capacity.source).toBe('default');

    const { runs } = await getJson<RunList>(serve, '/api/runs');
    expect(runs.map((run) => [run.id, run.status, run.iterations, run.lastVerdict])).toEqual([
      [runId, 'done', 2, 'passed'],
    ]);
    expect(runs[0]?.review).toEqual({ round: 1, status: 'waiting' });

    const detail = await getJson<RunDetail>(serve, `/api/runs/${runId}`);
    const [first, second] = detail.iterations;
    expect(first?.checkVerdict).toBe('failed');
    expect(first?.gates.map((gate) => [gate.name, gate.status])).toEqual([['unit', 'failed']]);
    expect(first?.gates[0]?.durationMs).toBeGreaterThan(0);
    expect(first?.gates[0]?.failures[0]?.message).toMatch(/6|5/);
    // What the agent was told after its first turn: the failing test.
    expect(first?.feedbackSent).toContain('adds two numbers');
    expect(second?.checkVerdict).toBe('passed');
    expect(second?.gates.map((gate) => gate.status)).toEqual(['passed']);
    expect(first?.usage).toMatchObject({ inputTokens: 1200, outputTokens: 300, costUsd: 0.02, models: ['scripted-1'] });
    expect(detail.usage).toMatchObject({ inputTokens: 2400, outputTokens: 600, costUsd: 0.04 });
    expect(detail.cancellable).toBe(false);
    expect(detail.events.some((event) => event.type === 'run:iteration:finish')).toBe(true);

    const usageReport = await getJson<UsageReport>(serve, '/api/usage?days=7');
    expect(usageReport.byModel.map((row) => [row.key, row.inputTokens, row.costUsd])).toEqual([
      ['scripted-1', 2400, 0.04],
    ]);
    expect(usageReport.byRun.map((row) => [row.key, row.goal])).toEqual([[runId, 'Make add() add']]);
    expect(usageReport.byDay).toHaveLength(1);
    expect(overview.spend.todayUsd).toBeCloseTo(0.04);

    const turn = await getJson<DiffResponse>(serve, `/api/runs/${runId}/diff?iteration=2`);
    expect(turn.files.map((file) => file.path)).toEqual(['src/add.js']);
    expect(turn.patch).toContain('-  return a * b;');
    expect(turn.patch).toContain('+  return a + b;');
    const whole = await getJson<DiffResponse>(serve, `/api/runs/${runId}/diff`);
    expect(whole.iteration).toBeNull();
    expect(whole.from).toBe(await git(repo, 'rev-parse', 'main'));
    expect(whole.patch).toContain('-  return a - b;');
    expect(whole.patch).toContain('+  return a + b;');

    const log = await getJson<LogTail>(serve, `/api/runs/${runId}/log?iteration=1`);
    expect(log.text).toContain('SLUICE_USAGE');
    expect(log.live).toBe(false);
    const later = await getJson<LogTail>(serve, `/api/runs/${runId}/log?iteration=1&offset=${log.nextOffset}`);
    expect(later.text).toBe('');

    const queue = await getJson<ReviewQueue>(serve, '/api/review');
    expect(queue.items.map((item) => [item.runId, item.status, item.filesChanged])).toEqual([[runId, 'waiting', 1]]);
    const item = await getJson<ReviewItemDetail>(serve, `/api/review/${runId}`);
    expect(item.evidenceMarkdown).toContain(runId);
    expect(item.gates.map((gate) => [gate.name, gate.status])).toEqual([['unit', 'passed']]);
    expect(item.diff.patch).toContain('+  return a + b;');

    const approve = await postJson(serve, `/api/review/${runId}/approve`, {});
    expect(approve.status).toBe(200);
    const landed = approve.json() as ApproveResult;
    expect(landed).toMatchObject({ status: 'landed', base: 'main' });
    expect(await git(repo, 'show', 'main:src/add.js')).toBe(rightAdd.trim());
    expect(await git(repo, 'rev-parse', 'main')).toBe(landed.status === 'landed' ? landed.commit : '');
    expect((await getJson<ReviewQueue>(serve, '/api/review')).items).toEqual([]);
    const all = await getJson<ReviewQueue>(serve, '/api/review?all=1');
    expect(all.items.map((entry) => entry.status)).toEqual(['landed']);

    const again = await postJson(serve, `/api/review/${runId}/approve`, {});
    expect(again.status).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'CONFLICT' } });
  });

  it('refuses changes without the token, from another origin or host, and answers bad requests with 4xx JSON', async () => {
    const repo = await brokenAdderRepo();
    const serve = await startServe(repo);
    const own = `127.0.0.1:${serve.port}`;
    const add = (headers: Record<string, string>, body = '{"goal":"Do it"}') =>
      rawRequest(serve, {
        method: 'POST',
        path: '/api/tasks',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });

    const stored = JSON.parse(await readFile(join(repo, '.sluice', 'serve.json'), 'utf8')) as { token: string };
    expect(stored.token).toBe(serve.token);
    expect(statSync(join(repo, '.sluice', 'serve.json')).mode & 0o777).toBe(0o600);
    // A second server on the same port is told so, and leaves the first one's file alone.
    const clash = await runSluice(['serve', '--port', String(serve.port)], { cwd: repo });
    expect([clash.exitCode, clash.stderr]).toEqual([
      2,
      `sluice: port ${serve.port} is in use: pick another with --port (0 picks a free one)\n`,
    ]);
    expect(existsSync(join(repo, '.sluice', 'serve.json'))).toBe(true);

    const cases: Array<[string, Promise<{ status: number; body: string }>, number, string]> = [
      ['no token', add({}), 401, 'UNAUTHORIZED'],
      ['wrong token', add({ 'x-sluice-token': `${serve.token.slice(0, -1)}x` }), 401, 'UNAUTHORIZED'],
      [
        'token in a query',
        rawRequest(serve, {
          method: 'POST',
          path: `/api/tasks?token=${serve.token}`,
          headers: { 'content-type': 'application/json' },
          body: '{"goal":"x"}',
        }),
        401,
        'UNAUTHORIZED',
      ],
      [
        'foreign origin',
        add({ 'x-sluice-token': serve.token, origin: 'http://evil.example' }),
        403,
        'FORBIDDEN_ORIGIN',
      ],
      [
        'another port of this host',
        add({ 'x-sluice-token': serve.token, origin: 'http://127.0.0.1:1' }),
        403,
        'FORBIDDEN_ORIGIN',
      ],
      ['null origin', add({ 'x-sluice-token': serve.token, origin: 'null' }), 403, 'FORBIDDEN_ORIGIN'],
      [
        'cross-site fetch',
        add({ 'x-sluice-token': serve.token, 'sec-fetch-site': 'cross-site' }),
        403,
        'FORBIDDEN_ORIGIN',
      ],
      [
        'same-site fetch',
        add({ 'x-sluice-token': serve.token, 'sec-fetch-site': 'same-site' }),
        403,
        'FORBIDDEN_ORIGIN',
      ],
      [
        'rebinding host',
        add({ 'x-sluice-token': serve.token, host: `evil.example:${serve.port}` }),
        403,
        'FORBIDDEN_HOST',
      ],
      [
        'form post',
        add({ 'x-sluice-token': serve.token, 'content-type': 'application/x-www-form-urlencoded' }, 'goal=x'),
        415,
        'BAD_CONTENT_TYPE',
      ],
      ['malformed JSON', add({ 'x-sluice-token': serve.token }, '{"goal": '), 400, 'BAD_JSON'],
      ['wrong body', add({ 'x-sluice-token': serve.token }, '{"goal": 7}'), 400, 'BAD_REQUEST'],
      ['unknown field', add({ 'x-sluice-token': serve.token }, '{"goal": "x", "run": "rm -rf /"}'), 400, 'BAD_REQUEST'],
      ['empty goal', add({ 'x-sluice-token': serve.token }, '{"goal": "  "}'), 400, 'BAD_REQUEST'],
      [
        'huge body',
        add({ 'x-sluice-token': serve.token }, JSON.stringify({ goal: 'x'.repeat(300_000) })),
        413,
        'TOO_LARGE',
      ],
    ];
    for (const [name, pending, status, code] of cases) {
      const response = await pending;
      expect([name, response.status]).toEqual([name, status]);
      const body = JSON.parse(response.body) as { error: { code: string; message: string } };
      expect([name, body.error.code]).toEqual([name, code]);
      expect(response.body).not.toMatch(/\bat .+\.(js|ts):\d+/);
    }
    // Reading under a rebound name is refused too: the page of evil.example must not read the API.
    for (const host of [`evil.example:${serve.port}`, 'localhost:1', `sluice.attacker.test:${serve.port}`]) {
      const read = await rawRequest(serve, { path: '/api/overview', headers: { host } });
      expect([host, read.status]).toEqual([host, 403]);
    }
    const crossRead = await rawRequest(serve, { path: '/api/runs', headers: { origin: 'http://evil.example' } });
    expect(crossRead.status).toBe(403);
    expect(
      (await rawRequest(serve, { path: '/api/overview', headers: { host: `localhost:${serve.port}` } })).status,
    ).toBe(200);
    expect((await rawRequest(serve, { path: '/api/runs?limit=abc' })).status).toBe(400);
    expect((await rawRequest(serve, { path: '/api/runs?status=weird' })).status).toBe(400);
    expect((await rawRequest(serve, { path: '/api/runs/nope' })).status).toBe(404);
    expect((await rawRequest(serve, { path: '/api/nothing' })).status).toBe(404);
    // Nothing was added by any refused request.
    expect((await rawRequest(serve, { path: '/api/tasks' })).json()).toEqual({ tasks: [] });

    const added = await add({
      'x-sluice-token': serve.token,
      origin: `http://${own}`,
      'sec-fetch-site': 'same-origin',
    });
    expect(added.status).toBe(201);

    // The printed address hands the page its token as a strict HTTP-only cookie, then drops it from the URL.
    const landing = await rawRequest(serve, { path: `/?token=${encodeURIComponent(serve.token)}` });
    expect([landing.status, landing.headers.location]).toEqual([302, '/']);
    const cookie = String(landing.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const jar = cookie.split(';')[0] ?? '';
    const asPage = { cookie: jar, origin: `http://${own}`, 'sec-fetch-site': 'same-origin' };
    expect((await rawRequest(serve, { path: '/api/session', headers: { cookie: jar } })).json()).toMatchObject({
      canChange: true,
    });
    expect((await add(asPage)).status).toBe(201);
    // The cookie does not make another site's request acceptable.
    expect((await add({ ...asPage, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const wrongLanding = await rawRequest(serve, { path: '/?token=guess' });
    expect([wrongLanding.status, wrongLanding.headers['set-cookie']]).toEqual([302, undefined]);

    const page = await rawRequest(serve, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(String(page.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    // The built front end, when this checkout has it: its script is served as one, from the server itself.
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    if (script) {
      const asset = await rawRequest(serve, { path: script });
      expect(asset.status).toBe(200);
      expect(asset.headers['content-type']).toContain('text/javascript');
    }
    const pageRoute = await rawRequest(serve, { path: '/runs/20261207-101010-abcd' });
    expect([pageRoute.status, pageRoute.headers['content-type']]).toEqual([200, 'text/html; charset=UTF-8']);
    for (const path of [
      '/../sluice.db',
      '/%2e%2e/%2e%2e/package.json',
      '/.sluice/serve.json',
      '/assets/..%2f..%2fserve.json',
    ]) {
      const response = await rawRequest(serve, { path });
      expect([path, response.body]).not.toContain(serve.token);
      expect(response.body).not.toContain('SQLite');
    }
  });
});
