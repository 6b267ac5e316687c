// The dashboard at scale (issue 14): a real store with 1,000 runs and 10,000 iterations behind the real
// `sluice serve`; API latency against a bare node:http server sending the same bytes; the overview and
// the review queue rendered in real Chromium; an iteration committed by another process reaching the
// open run page; the built front end's gzipped size.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { GateResult } from '../src/gates/gate-results.ts';
import type { RunRecord } from '../src/store/run-records.ts';
import { RunStore, runStorePath } from '../src/store/run-store.ts';
import type { ModelUsage } from '../src/usage/model-usage.ts';
import {
  type BenchReport,
  type CheckOutcome,
  childEnv,
  formatCount,
  formatMs,
  formatRatio,
  markdownTable,
  nodeBin,
  renderReport,
  repoRoot,
  runAlone,
  runCommand,
  sluiceBin,
  withTempDir,
} from './support.ts';

const runCount = 1_000;
const iterationsPerRun = 10;
const runningRuns = 3;
const waitingReviews = 20;
const queuedTasks = 15;
const runSpacingMs = 40 * 60_000;
const iterationSpacingMs = 3 * 60_000;
const apiWarmups = 5;
const apiRequests = 40;
const pageSamples = 5;
const liveSamples = 5;
const renderTargetMs = 1_000;
const apiTargetMs = 50;
const liveTargetMs = 1_000;
const budgetKb = 200;
const chromiumPath = '/usr/bin/chromium';
/** The flags of test/e2e/web/dashboard-fixtures.ts. */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];
const sectionStart = '<!-- bench/dashboard.ts: start -->';
const sectionEnd = '<!-- bench/dashboard.ts: end -->';

interface Filled {
  runIds: string[];
  /** A finished run with every iteration, its gates and usage: the run page's worst ordinary case. */
  sampleRunId: string;
  /** A run whose change waits for review, with a real commit to diff. */
  reviewRunId: string;
  fillMs: number;
}

interface Server {
  url: string;
  token: string;
  stop: () => Promise<void>;
}

interface Latency {
  path: string;
  bytes: number;
  samplesMs: number[];
  baselineMs: number[];
}

interface LoadSample {
  phase: string;
  load1: number;
}

export async function benchDashboard(): Promise<BenchReport> {
  for (const built of ['dist/cli/main.js', 'dist/web/index.html']) {
    if (!existsSync(join(repoRoot, built))) throw new Error(`${built} is missing: run "npm run build" first`);
  }
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing (apt-get install chromium)`);
  return withTempDir('dashboard', async (dir) => {
    const loads: LoadSample[] = [{ phase: 'start', load1: loadavg()[0] ?? 0 }];
    await mkdir(join(dir, 'repo'));
    const repo = await realpath(join(dir, 'repo'));
    const commits = makeRepository(repo);
    const filled = await fillStore(repo, commits);
    loads.push({ phase: 'after the fill', load1: loadavg()[0] ?? 0 });
    progress(`filled the store in ${formatMs(filled.fillMs)}`);
    const checks: CheckOutcome[] = [await checkStore(repo)];

    const server = await startServe(repo, childEnv(dir, { CI: '1' }));
    const bare = await startBareServer(childEnv(dir));
    let browser: Browser | undefined;
    try {
      const latencies = await measureApi(server, bare.url, filled, checks);
      loads.push({ phase: 'after the API requests', load1: loadavg()[0] ?? 0 });
      const gitFloor = await timeGitDiff(repo, commits, childEnv(dir));
      progress('timed the API');
      browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
      const overviewMs = await measurePage(browser, server, '/', overviewReady, checks, 'overview');
      const reviewMs = await measurePage(browser, server, '/review', reviewReady, checks, 'review queue');
      loads.push({ phase: 'after the page loads', load1: loadavg()[0] ?? 0 });
      progress('timed the pages');
      const liveMs = await measureLive(browser, server, repo, checks);
      loads.push({ phase: 'after the live updates', load1: loadavg()[0] ?? 0 });
      const size = await frontEndSize(dir);
      checks.push({ check: 'web/measure-size.ts ran', ok: size.ok, detail: size.detail });
      return report({ filled, latencies, gitFloor, overviewMs, reviewMs, liveMs, sizeKb: size.kb, loads, checks });
    } finally {
      await browser?.close();
      await server.stop();
      await bare.stop();
    }
  });
}

/** A line on stderr while it runs: the whole benchmark takes a few minutes. */
function progress(text: string): void {
  process.stderr.write(`bench/dashboard.ts: ${text}\n`);
}

// --- The repository: a base commit and one branch per change waiting for review, in one git process.

interface Commits {
  base: string;
  reviews: string[];
}

function makeRepository(repo: string): Commits {
  const git = (args: string[], input?: string) =>
    execFileSync('git', args, {
      cwd: repo,
      input,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' },
    });
  git(['init', '-q', '-b', 'main']);
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const file = (path: string, text: string) => `M 100644 inline ${path}\n${data(text)}`;
  const author = 'committer Bench <bench@example.com> 1765000000 +0000\n';
  const module = (k: number, variant: number) =>
    Array.from(
      { length: 40 },
      (_, line) => `export function step${k}_${line}(value) {\n  return value * ${line + variant} + ${k};\n}\n`,
    ).join('');
  let stream = `commit refs/heads/main\nmark :1\n${author}${data('Base')}`;
  stream += file('package.json', '{ "type": "module" }\n');
  stream += file('sluice.yaml', 'gates:\n  unit:\n    run: node --test\n    kind: test\n');
  stream += file('.gitignore', '.sluice/\n');
  for (let k = 0; k < waitingReviews; k++) stream += file(`src/module-${k}.js`, module(k, 0));
  for (let k = 0; k < waitingReviews; k++) {
    stream += `commit refs/heads/sluice/review-${k}\n${author}${data(`Change ${k}`)}from :1\n`;
    stream += file(`src/module-${k}.js`, module(k, 1));
    stream += file(`test/module-${k}.test.js`, `import { step${k}_1 } from '../src/module-${k}.js';\n// ${k}\n`);
  }
  git(['fast-import', '--quiet'], stream);
  git(['reset', '-q', '--hard', 'main']);
  const refs = ['main', ...Array.from({ length: waitingReviews }, (_, k) => `sluice/review-${k}`)];
  const [base = '', ...reviews] = git(['rev-parse', ...refs])
    .trim()
    .split('\n');
  return { base, reviews };
}

// --- The store, filled through RunStore's own API with a clock that walks through 28 days.

function gatesOf(passed: boolean, seed: number): GateResult[] {
  const unitFailed = passed ? 0 : 1 + (seed % 3);
  return [
    {
      name: 'typecheck',
      kind: 'typecheck',
      tier: 0,
      blocking: true,
      status: 'passed',
      durationMs: 1800 + (seed % 400),
      exitCode: 0,
      failures: [],
      problems: [],
    },
    {
      name: 'lint',
      kind: 'lint',
      tier: 0,
      blocking: true,
      status: 'passed',
      durationMs: 600 + (seed % 200),
      exitCode: 0,
      failures: [],
      problems: [],
    },
    {
      name: 'unit',
      kind: 'test',
      tier: 1,
      blocking: true,
      status: passed ? 'passed' : 'failed',
      durationMs: 4200 + (seed % 900),
      exitCode: passed ? 0 : 1,
      logPath: '.sluice/logs/unit.log',
      failures: Array.from({ length: unitFailed }, (_, index) => ({
        test: `module ${seed % 20} > step ${index} keeps its value`,
        message: `expected ${index + 3}, got ${-index - 1}`,
        file: `test/module-${seed % 20}.test.js`,
        line: 12 + index,
      })),
      counts: { total: 240, passed: 240 - unitFailed, failed: unitFailed, skipped: 0 },
      problems: [],
    },
  ];
}

function usageOf(seed: number): ModelUsage[] {
  const input = 18_000 + (seed % 50) * 400;
  return [
    {
      model: seed % 4 === 0 ? 'claude-opus-4' : 'claude-sonnet-4',
      inputTokens: input,
      outputTokens: 1_500 + (seed % 30) * 40,
      cacheReadTokens: input * 3,
      cacheWriteTokens: 2_000,
      costUsd: Math.round(input * (seed % 4 === 0 ? 0.015 : 0.003)) / 1000,
      apiMs: 9_000 + (seed % 40) * 100,
      turns: 3 + (seed % 5),
    },
  ];
}

/** done 60%, blocked 25%, failed 10%, budget-exhausted 5%. */
function endOf(index: number): 'done' | 'blocked' | 'failed' | 'budget-exhausted' {
  const bucket = index % 20;
  return bucket < 12 ? 'done' : bucket < 17 ? 'blocked' : bucket < 19 ? 'failed' : 'budget-exhausted';
}

async function fillStore(repo: string, commits: Commits): Promise<Filled> {
  const started = performance.now();
  const now = Date.now();
  let clock = now - runCount * runSpacingMs;
  const store = await RunStore.open(runStorePath(repo), { now: () => new Date(clock) });
  const runIds: string[] = [];
  let doneSeen = 0;
  const doneTotal = Array.from({ length: runCount - runningRuns }, (_, index) => endOf(index)).filter(
    (end) => end === 'done',
  ).length;
  try {
    const tasks = await store.queue.addTasks(
      Array.from({ length: queuedTasks }, (_, k) => ({
        goal: `Queued task ${k + 1}: tidy module ${k} and cover its edge cases`,
        accept: ['npm test'],
        priority: k % 3,
        source: 'cli',
      })),
    );
    await store.queue.noteWaiting(
      tasks.map((task) => ({ taskId: task.id, reason: 'review queue is over capacity (72 of 60 min)' })),
    );
    let sampleRunId = '';
    let reviewRunId = '';
    for (let index = 0; index < runCount; index++) {
      clock = now - (runCount - index) * runSpacingMs;
      const running = index >= runCount - runningRuns;
      const end = running ? undefined : endOf(index);
      const reviewSlot = end === 'done' ? doneTotal - ++doneSeen : -1;
      const waiting = reviewSlot >= 0 && reviewSlot < waitingReviews;
      const run: RunRecord = await store.createRun({
        goal: `Make module ${index % 20} handle ${['negative', 'empty', 'huge', 'unicode'][index % 4]} input (#${index})`,
        agent: index % 3 === 0 ? 'codex' : 'claude-code',
        model: index % 4 === 0 ? 'claude-opus-4' : 'claude-sonnet-4',
        repoRoot: repo,
        baseRef: 'main',
        baseCommit: commits.base,
        branch: waiting ? `sluice/review-${reviewSlot}` : `sluice/run-${index}`,
        worktreePath: join(repo, '.sluice', 'worktrees', String(index)),
        options: { configDir: repo, acceptance: ['npm test'], maxIterations: iterationsPerRun },
      });
      runIds.push(run.id);
      const head = commits.reviews[waiting ? reviewSlot : index % waitingReviews] ?? commits.base;
      for (let number = 1; number <= iterationsPerRun; number++) {
        clock += iterationSpacingMs;
        await store.startIteration(run.id, number, { promptChars: 4_000 + (index % 100) * 10 });
        if (running && number === iterationsPerRun) break;
        const passed = end === 'done' && number === iterationsPerRun;
        const gates = gatesOf(passed, index + number);
        await store.recordGateResults(run.id, number, gates);
        await store.recordUsage(run.id, number, usageOf(index + number));
        if (index % 10 === 3 && number === 5) {
          await store.appendEvent(run.id, 'run:guard', {
            iteration: number,
            findings: [
              {
                rule: 'assertion-weakened',
                path: `test/module-${index % 20}.test.js`,
                line: 12,
                severity: 'warn',
                message: 'an exact assertion became a truthiness check',
              },
            ],
            reverted: [],
          });
        }
        clock += 30_000;
        await store.finishIteration(run.id, number, {
          agentStatus: 'finished',
          agentExitCode: 0,
          commitSha: head,
          filesChanged: 2,
          insertions: 12 + (number % 5),
          deletions: 3,
          checkVerdict: passed ? 'passed' : 'failed',
          ...(passed
            ? {}
            : {
                failureSignature: `unit:${(index + number) % 7}`,
                feedback: `unit: ${gates[2]?.counts?.failed} of 240 tests failed\n- ${gates[2]?.failures[0]?.test}: ${gates[2]?.failures[0]?.message}`,
              }),
        });
      }
      if (end === undefined) continue;
      clock += 10_000;
      await store.finishRun(run.id, {
        status: end,
        ...(end === 'done' ? {} : { reason: `${end}: the unit gate kept failing` }),
      });
      if (sampleRunId === '' && end === 'blocked' && index > runCount / 2) sampleRunId = run.id;
      if (end !== 'done') continue;
      const evidencePath = join(repo, '.sluice', 'evidence', run.id, 'evidence.md');
      await mkdir(join(evidencePath, '..'), { recursive: true });
      await writeFile(evidencePath, `# ${run.goal}\n\nGates passed after ${iterationsPerRun} iterations.\n`);
      await store.queue.addReviewItem({
        runId: run.id,
        reviewMinutes: 4 + (index % 7) * 3,
        costExplanation: `${12 + (index % 5)} lines in 2 files`,
        headCommit: head,
        evidencePath,
      });
      if (waiting) {
        if (reviewRunId === '') reviewRunId = run.id;
        continue;
      }
      clock += 45 * 60_000;
      if (index % 3 === 0) await store.queue.addReviewActiveTime(run.id, 120_000 + (index % 11) * 30_000);
      await store.queue.decideReview(
        run.id,
        index % 10 === 0
          ? { status: 'rejected', note: 'not the change we asked for' }
          : { status: 'landed', landedCommit: head },
      );
    }
    return { runIds, sampleRunId, reviewRunId, fillMs: performance.now() - started };
  } finally {
    await store.close();
  }
}

/** What the server will read is what was asked for: counted through the store's own reads. */
async function checkStore(repo: string): Promise<CheckOutcome> {
  const store = await RunStore.open(runStorePath(repo));
  try {
    const runs = await store.listRuns({ limit: 100_000 });
    const stats = await store.runIterationStats();
    const iterations = [...stats.values()].reduce((sum, entry) => sum + entry.iterations, 0);
    const waiting = await store.queue.listReviewItems(['waiting']);
    return {
      check: `the store holds ${formatCount(runCount)} runs, ${formatCount(runCount * iterationsPerRun)} iterations, ${waitingReviews} waiting reviews`,
      ok: runs.length === runCount && iterations === runCount * iterationsPerRun && waiting.length === waitingReviews,
      detail: `${formatCount(runs.length)} runs, ${formatCount(iterations)} iterations, ${waiting.length} waiting`,
    };
  } finally {
    await store.close();
  }
}

// --- The servers: the real `sluice serve`, and a bare node:http server as the floor.

async function startServe(repo: string, env: NodeJS.ProcessEnv): Promise<Server> {
  const child = spawn(nodeBin, [sluiceBin, 'serve', '--port', '0'], {
    cwd: repo,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(force);
    }
  };
  let output = '';
  const pattern = /sluice serve: (http:\/\/\S+)\/\?token=(\S+)/;
  const found = await new Promise<RegExpExecArray | null>((resolveFound) => {
    const timer = setTimeout(() => resolveFound(null), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveFound(match);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', () => resolveFound(null));
  });
  if (!found) {
    await stop();
    throw new Error(`sluice serve did not print its address:\n${output}`);
  }
  return { url: found[1] ?? '', token: decodeURIComponent(found[2] ?? ''), stop };
}

/** A child process answering GET /bytes/<n> with n bytes of JSON, built once per size: no work per request. */
const bareServerSource = `
import { createServer } from 'node:http';
const bodies = new Map();
const server = createServer((req, res) => {
  const size = Number(req.url.split('/')[2] ?? 2);
  let body = bodies.get(size);
  if (!body) {
    body = Buffer.from(JSON.stringify({ pad: 'x'.repeat(Math.max(0, size - 10)) }));
    bodies.set(size, body);
  }
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log('bare ' + server.address().port));
process.on('SIGINT', () => server.close(() => process.exit(0)));
`;

async function startBareServer(env: NodeJS.ProcessEnv): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(nodeBin, ['--input-type=module', '-e', bareServerSource], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const port = await new Promise<string>((resolvePort, rejectPort) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /bare (\d+)/.exec(output);
      if (match) resolvePort(match[1] ?? '');
    });
    child.once('exit', (code) => rejectPort(new Error(`the bare server exited ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}

// --- API latency: each read endpoint, interleaved with the bare server answering as many bytes.

function timedGet(agent: Agent, url: string): Promise<{ status: number; bytes: number; ms: number }> {
  return new Promise((resolveGet, rejectGet) => {
    const started = performance.now();
    const sent = request(url, { agent }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      response.on('end', () =>
        resolveGet({ status: response.statusCode ?? 0, bytes, ms: performance.now() - started }),
      );
    });
    sent.on('error', rejectGet);
    sent.end();
  });
}

function readEndpoints(filled: Filled): string[] {
  return [
    '/api/session',
    '/api/overview',
    '/api/runs?limit=25',
    '/api/runs',
    `/api/runs/${filled.sampleRunId}`,
    `/api/runs/${filled.sampleRunId}/log`,
    `/api/runs/${filled.reviewRunId}/diff`,
    '/api/review',
    `/api/review/${filled.reviewRunId}`,
    '/api/tasks',
    '/api/usage',
    '/api/gym',
  ];
}

async function measureApi(server: Server, bareUrl: string, filled: Filled, checks: CheckOutcome[]): Promise<Latency[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    return await timeEndpoints(agent, server, bareUrl, filled, checks);
  } finally {
    agent.destroy();
  }
}

async function timeEndpoints(
  agent: Agent,
  server: Server,
  bareUrl: string,
  filled: Filled,
  checks: CheckOutcome[],
): Promise<Latency[]> {
  const latencies: Latency[] = [];
  const failed: string[] = [];
  for (const path of readEndpoints(filled)) {
    const first = await timedGet(agent, `${server.url}${path}`);
    if (first.status !== 200) failed.push(`${path}: ${first.status}`);
    latencies.push({ path, bytes: first.bytes, samplesMs: [], baselineMs: [] });
  }
  checks.push({
    check: 'every read endpoint answers 200',
    ok: failed.length === 0,
    ...(failed.length > 0 ? { detail: failed.join(', ') } : {}),
  });
  // Round-robin, so a burst of load from elsewhere on the machine hits every endpoint alike.
  for (let round = 0; round < apiWarmups + apiRequests; round++) {
    for (const latency of latencies) {
      const served = await timedGet(agent, `${server.url}${latency.path}`);
      const bare = await timedGet(agent, `${bareUrl}/bytes/${latency.bytes}`);
      if (round < apiWarmups) continue;
      latency.samplesMs.push(served.ms);
      latency.baselineMs.push(bare.ms);
    }
  }
  return latencies;
}

/**
 * One `git diff-tree -p` of a waiting change, spawned as the diff endpoints spawn it: the floor of any
 * request that asks git (the diff endpoints run rev-parse, diff-tree --numstat and diff-tree -p).
 */
async function timeGitDiff(repo: string, commits: Commits, env: NodeJS.ProcessEnv): Promise<number[]> {
  const samples: number[] = [];
  const args = [
    'diff-tree',
    '-p',
    '-M',
    '--no-color',
    '--full-index',
    commits.base,
    commits.reviews[0] ?? commits.base,
  ];
  for (let round = 0; round < apiWarmups + apiRequests; round++) {
    const result = await runCommand('git', args, { cwd: repo, env });
    if (result.exitCode !== 0) throw new Error(`git diff-tree exited ${result.exitCode}: ${result.stderr}`);
    if (round >= apiWarmups) samples.push(result.wallMs);
  }
  return samples;
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

// --- Pages in Chromium: navigation start to the last element that needs the store's data.

// Functions run in the page (a string would be eval'd, which the dashboard's CSP refuses). The bench
// compiles without DOM types, so each one names the little of the DOM it uses.
interface PageDocument {
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
  querySelector(selector: string): object | null;
}

/** Every stat has its figure, the running runs and the recent runs are listed. */
function overviewReady(): number | false {
  const page = (globalThis as unknown as { document: PageDocument }).document;
  const values = Array.from(page.querySelectorAll('[data-testid^="stat-"] .stat-value'), (node) => node.textContent);
  const ready =
    values.length === 5 &&
    values.every((value) => value !== '–') &&
    page.querySelectorAll('[data-testid="running"] [data-testid="run-row"]').length > 0 &&
    page.querySelectorAll('[data-testid="recent-runs"] [data-testid="run-row"]').length > 0;
  return ready ? performance.now() : false;
}

/** The queue is listed and the first item's detail is open with its diff. */
function reviewReady(): number | false {
  const page = (globalThis as unknown as { document: PageDocument }).document;
  const ready =
    page.querySelectorAll('[data-testid="queue-item"]').length > 0 &&
    page.querySelectorAll('[data-testid="review-item"] [data-testid="diff-file"]').length > 0;
  return ready ? performance.now() : false;
}

/** Iteration `n` is on the run page with its verdict: the wall clock then, to compare with the store's. */
function iterationShown(n: number): number | false {
  const page = (globalThis as unknown as { document: PageDocument }).document;
  const found = page.querySelector(`[data-testid="iteration"][data-iteration="${n}"][data-verdict="failed"]`);
  return found ? Date.now() : false;
}

async function measurePage(
  browser: Browser,
  server: Server,
  path: string,
  ready: () => number | false,
  checks: CheckOutcome[],
  name: string,
): Promise<number[]> {
  const samples: number[] = [];
  const problems: string[] = [];
  // One untimed visit first: the server's first answer warms SQLite's page cache and git's.
  for (let visit = 0; visit <= pageSamples; visit++) {
    // A fresh context each time: no HTTP cache, as a reviewer's first visit of the day.
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    try {
      const page = await context.newPage();
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(`${server.url}${path}?token=${encodeURIComponent(server.token)}`, { waitUntil: 'commit' });
      const at = await page.waitForFunction(ready, undefined, { polling: 'raf', timeout: 30_000 });
      if (visit > 0) samples.push(Number(await at.jsonValue()));
    } finally {
      await context.close();
    }
  }
  checks.push({
    check: `the ${name} rendered its data in Chromium without page errors`,
    ok: problems.length === 0,
    ...(problems.length > 0 ? { detail: problems.slice(0, 3).join(' | ') } : {}),
  });
  return samples;
}

// --- Live: another process commits an iteration; the open run page shows it.

async function measureLive(browser: Browser, server: Server, repo: string, checks: CheckOutcome[]): Promise<number[]> {
  const store = await RunStore.open(runStorePath(repo));
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const lags: number[] = [];
  try {
    const run = await store.createRun({
      goal: 'Live run watched by the bench',
      agent: 'command',
      repoRoot: repo,
      baseRef: 'main',
      baseCommit: execFileSync('git', ['rev-parse', 'main'], { cwd: repo, encoding: 'utf8' }).trim(),
      branch: 'sluice/live',
      worktreePath: join(repo, '.sluice', 'worktrees', 'live'),
      options: { configDir: repo, acceptance: [] },
    });
    const page: Page = await context.newPage();
    await page.goto(`${server.url}/runs/${run.id}?token=${encodeURIComponent(server.token)}`);
    await page.waitForSelector('[data-testid="iteration-count"]', { timeout: 30_000 });
    for (let number = 1; number <= liveSamples; number++) {
      await store.startIteration(run.id, number, { promptChars: 4_000 });
      await store.recordGateResults(run.id, number, gatesOf(false, number));
      await store.recordUsage(run.id, number, usageOf(number));
      const finished = await store.finishIteration(run.id, number, { agentStatus: 'finished', checkVerdict: 'failed' });
      // The store stamps the row before its commit: the lag measured from it is an upper bound.
      const committedAt = Date.parse(finished.finishedAt ?? '');
      const shown = await page.waitForFunction(iterationShown, number, {
        polling: 'raf',
        timeout: 10_000,
      });
      lags.push(Number(await shown.jsonValue()) - committedAt);
      await page.waitForTimeout(300);
    }
    await store.finishRun(run.id, { status: 'cancelled', reason: 'bench over' });
    checks.push({ check: `the run page showed all ${liveSamples} live iterations`, ok: lags.length === liveSamples });
  } finally {
    await context.close();
    await store.close();
  }
  return lags;
}

// --- The front end's size, as web/measure-size.ts reports it.

async function frontEndSize(dir: string): Promise<{ kb: number; ok: boolean; detail: string }> {
  const result = await runCommand(nodeBin, [join(repoRoot, 'web', 'measure-size.ts')], {
    cwd: repoRoot,
    env: childEnv(dir),
  });
  const kb = Number(/web front end: ([\d.]+) kB gzipped/.exec(result.stdout)?.[1] ?? Number.NaN);
  return { kb, ok: Number.isFinite(kb), detail: `exit ${result.exitCode}, ${kb} kB` };
}

// --- The report.

function report(input: {
  filled: Filled;
  latencies: Latency[];
  gitFloor: number[];
  overviewMs: number[];
  reviewMs: number[];
  liveMs: number[];
  sizeKb: number;
  loads: LoadSample[];
  checks: CheckOutcome[];
}): BenchReport {
  const { latencies, overviewMs, reviewMs, liveMs } = input;
  const session = latencies.find((latency) => latency.path === '/api/session');
  const sessionP50 = session ? percentile(session.samplesMs, 0.5) : Number.NaN;
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const worstP95 = Math.max(...latencies.map((latency) => percentile(latency.samplesMs, 0.95)));
  const worstPath = latencies.find((latency) => percentile(latency.samplesMs, 0.95) === worstP95)?.path ?? '';
  const median = (values: number[]) => percentile(values, 0.5);
  const maxOf = (values: number[]) => Math.max(...values);
  const pages = markdownTable({
    headers: ['Page (Chromium, fresh context)', 'Median', 'Worst', `Samples`],
    rows: [
      [
        'Overview: stats, running, recent runs',
        formatMs(median(overviewMs)),
        formatMs(maxOf(overviewMs)),
        String(overviewMs.length),
      ],
      [
        'Review queue: queue + first item with its diff',
        formatMs(median(reviewMs)),
        formatMs(maxOf(reviewMs)),
        String(reviewMs.length),
      ],
      [
        'Iteration committed -> shown on the open run page',
        formatMs(median(liveMs)),
        formatMs(maxOf(liveMs)),
        String(liveMs.length),
      ],
    ],
  });
  const loadLine = input.loads.map((load) => `${load.phase} ${load.load1.toFixed(2)}`).join(', ');
  return {
    title: `Dashboard at scale: ${formatCount(runCount)} runs, ${formatCount(runCount * iterationsPerRun)} iterations behind sluice serve`,
    method:
      `the store is filled through RunStore's API (a clock walking ${Math.round((runCount * runSpacingMs) / 86_400_000)} days: 3 gates and a usage row per ` +
      `iteration, ${runningRuns} runs still running, ${waitingReviews} changes waiting for review on real branches, the other done runs decided, ` +
      `${queuedTasks} queued tasks) in ${formatMs(input.filled.fillMs)}; then the real \`sluice serve --port 0\`. API: ${apiWarmups} warm-up and ${apiRequests} timed ` +
      'sequential keep-alive GETs per endpoint, round-robin, each followed by a GET of as many bytes from a bare node:http child ' +
      'process (static body, no work): p50/p95 of the whole response, and the ratio of p50s. Pages: headless Chromium ' +
      `(playwright-core, /usr/bin/chromium), a fresh context per visit, ${pageSamples} timed visits after 1 untimed; the time is ` +
      "the page's own performance.now() (from navigation start) at the first animation frame where the last element that needs " +
      'data is there. Live: this process commits an iteration through RunStore while the run page is open; the lag is the ' +
      "page's Date.now() when the iteration appears minus the row's finished_at stamp (taken before the commit: an upper bound).",
    table: {
      headers: ['Endpoint', 'Bytes', 'p50', 'p95', 'bare p50', 'vs bare (p50)', 'vs /api/session (p50)'],
      rows: latencies.map((latency) => {
        const p50 = percentile(latency.samplesMs, 0.5);
        const bare = percentile(latency.baselineMs, 0.5);
        return [
          latency.path.replace(/[0-9]{8}-[0-9]{6}-[a-z0-9]+/, '<run>'),
          formatCount(latency.bytes),
          ms(p50),
          ms(percentile(latency.samplesMs, 0.95)),
          ms(bare),
          formatRatio(p50 / bare),
          formatRatio(p50 / sessionP50),
        ];
      }),
    },
    targets: [
      {
        target: `overview rendered < ${formatMs(renderTargetMs)}`,
        measured: `${formatMs(median(overviewMs))} median, ${formatMs(maxOf(overviewMs))} worst`,
        met: maxOf(overviewMs) < renderTargetMs,
      },
      {
        target: `review queue rendered < ${formatMs(renderTargetMs)}`,
        measured: `${formatMs(median(reviewMs))} median, ${formatMs(maxOf(reviewMs))} worst`,
        met: maxOf(reviewMs) < renderTargetMs,
      },
      {
        target: `API p95 < ${apiTargetMs} ms on every read endpoint`,
        measured: `worst ${ms(worstP95)} (${worstPath.replace(/[0-9]{8}-[0-9]{6}-[a-z0-9]+/, '<run>')})`,
        met: worstP95 < apiTargetMs,
      },
      {
        target: `iteration committed -> on the open run page < ${formatMs(liveTargetMs)}`,
        measured: `${formatMs(median(liveMs))} median, ${formatMs(maxOf(liveMs))} worst`,
        met: maxOf(liveMs) < liveTargetMs,
      },
      {
        target: `built front end < ${budgetKb} kB gzipped`,
        measured: `${input.sizeKb.toFixed(1)} kB`,
        met: input.sizeKb < budgetKb,
      },
    ],
    checks: input.checks,
    notes: [
      `Machine load (1-minute load average on ${availableParallelism()} cores): ${loadLine}. Other engineers run test ` +
        'suites on this machine at the same time; a load near or above the core count inflates every figure here, ' +
        'the baselines included.',
      `One \`git diff-tree -p\` of the same change, spawned alone: ${ms(percentile(input.gitFloor, 0.5))} p50, ` +
        `${ms(percentile(input.gitFloor, 0.95))} p95. /api/runs/<run>/diff runs five git processes per request ` +
        '(rev-parse of the branch, two rev-parse and a diff-tree --numstat in diffStats, diff-tree -p) and ' +
        '/api/review/<run> four on their first request for a commit pair; the commits are immutable, so the ' +
        'server keeps each diff (src/server/run-diff.ts) and later requests answer from memory.',
      'The run page case is the run with the most data of an ordinary run: 10 iterations, 30 gate results, 10 usage rows.',
    ],
    appendix: pages,
  };
}

/** Put this benchmark's section into bench/RESULTS.md, replacing the one a previous run wrote. */
async function recordSection(benchReport: BenchReport, wallMs: number): Promise<void> {
  const file = join(repoRoot, 'bench', 'RESULTS.md');
  const text = await readFile(file, 'utf8');
  const section = [
    sectionStart,
    renderReport(benchReport),
    '',
    `Source: \`bench/dashboard.ts\`; ran alone on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC in ${formatMs(wallMs)}.`,
    sectionEnd,
  ].join('\n');
  const startAt = text.indexOf(sectionStart);
  const endAt = text.indexOf(sectionEnd);
  const updated =
    startAt !== -1 && endAt > startAt
      ? `${text.slice(0, startAt)}${section}${text.slice(endAt + sectionEnd.length)}`
      : `${text.trimEnd()}\n\n${section}\n`;
  await writeFile(file, updated);
}

if (import.meta.main) {
  const started = performance.now();
  let last: BenchReport | undefined;
  await runAlone(async () => {
    last = await benchDashboard();
    return last;
  });
  if (last && process.argv.includes('--record')) await recordSection(last, performance.now() - started);
}
