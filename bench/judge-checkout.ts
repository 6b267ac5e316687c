// The cost per iteration of judging in a clean checkout: JudgeCheckout.prepare(next commit) — reset to the
// commit, clean, check the tree, setup keyed by its inputs, fingerprint of what setup keeps — against the
// gates' own time for a small node:test suite, and against what a naive harness does (`git checkout
// --detach` and `git status` in a plain worktree). At ~1k and ~10k tracked files, with a node_modules of
// 20,000 files made by a setup step that is kept between checks.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { JudgeCheckout } from '../src/judge/judge-checkout.ts';
import { fingerprintPaths } from '../src/judge/kept-paths.ts';
import {
  type BenchReport,
  type CheckOutcome,
  childEnv,
  formatCount,
  formatMs,
  formatPercent,
  formatRatio,
  formatTiming,
  median,
  mustRun,
  nodeBin,
  runAlone,
  runCommand,
  type TargetResult,
  type Timing,
  timeInterleaved,
  withTempDir,
} from './support.ts';

const sizes = [1_000, 10_000];
const filesPerFolder = 100;
const testFiles = 30;
const testsPerFile = 5;
const dependencyPackages = 200;
const filesPerPackage = 100; // 200 x 100 = 20,000 files in node_modules
const rounds = 15;
const warmups = 2;
const tracedPrepares = 5;
const targetFraction = 0.25;
const suiteCommand = ['--test', 'test/*.test.mjs'];
const setupStep = { run: 'node make-deps.mjs', inputs: ['package-lock.json'] };
/** What a prepared checkout may hold besides the commit: the folder setup made, and nothing else. */
const keptStatus = '!! node_modules/';

interface GitCall {
  name: string;
  durationMs: number;
}

interface SizeFigures {
  rows: string[][];
  checks: CheckOutcome[];
  prepareMs: number;
  suiteMs: number;
  fingerprintMs: number;
  syncWalkMs: number;
  breakdown: string;
}

export async function benchJudgeCheckout(): Promise<BenchReport> {
  const figures: SizeFigures[] = [];
  for (const size of sizes) figures.push(await measureSize(size));
  const [small] = figures;
  if (!small) throw new Error('no sizes measured');
  const fraction = small.prepareMs / small.suiteMs;
  const targets: TargetResult[] = [
    {
      target: `judging (prepare) adds <= ${formatPercent(targetFraction)} of a small suite's own time per iteration at ${formatCount(sizes[0] ?? 0)} files`,
      measured: `${formatPercent(fraction)} (${formatMs(small.prepareMs)} against ${formatMs(small.suiteMs)})`,
      met: fraction <= targetFraction,
    },
  ];
  for (const target of targets) if (!target.met) console.error(`missed: ${target.target} (${target.measured})`);
  return {
    title: 'Judge checkout: the cost per iteration of judging each commit in a clean checkout',
    method:
      `per size, a fresh repository of N tracked files (100 per folder under src/, ${testFiles} node:test files of ` +
      `${testsPerFile} trivial tests under test/, a package-lock.json and make-deps.mjs), and a chain of commits ` +
      'that each change two files (one source file, one test file). The judge: `new JudgeCheckout({ setup: ' +
      `[{ run: '${setupStep.run}', inputs: ['package-lock.json'] }] })\`, whose step writes a node_modules of ` +
      `${formatCount(dependencyPackages * filesPerPackage)} files that is then kept and fingerprinted. Before each ` +
      'timed prepare (untimed) an untracked preload, an ignored .env and an ignored dist/ file are planted in the ' +
      'judge checkout, as gates or an intruder might leave them. Interleaved per round, each on the next commit: ' +
      '`judge.prepare(commit)` (in-process, performance.now()), the suite `node --test test/*.test.mjs` in the ' +
      'prepared checkout (Node 22, test concurrency = cores - 1), the naive harness `git checkout --detach ' +
      '--quiet <commit>` + `git status --porcelain` in a plain worktree holding the same node_modules, a judge ' +
      'with no setup (node_modules linked from the user checkout), one fingerprintPaths over the kept ' +
      'node_modules, and the same fields read by a synchronous lstat walk for comparison; ' +
      `${rounds} rounds after ${warmups} warm-up; wall times of whole child processes; median ` +
      '(min–max); ratios of medians. "First" rows are one sample each.',
    table: {
      headers: ['Tracked files', 'Step', 'Wall time, median (min–max)', 'vs naive checkout', 'vs the suite'],
      rows: figures.flatMap((size) => size.rows),
    },
    targets,
    checks: figures.flatMap((size) => size.checks),
    notes: [
      `Judging's cost per iteration, as a share of the suite's own time: ${figures
        .map(
          (size, index) =>
            `${formatCount(sizes[index] ?? 0)} files: ${formatPercent(size.prepareMs / size.suiteMs)} (${formatMs(size.prepareMs)})`,
        )
        .join('; ')}.`,
      `The suite: ${testFiles} files of ${testsPerFile} tests each, one Node process per file; a real suite is ` +
        'usually slower, so these shares are upper bounds for suites of this shape.',
      'The naive harness is not a judge: it keeps untracked and ignored files, index bits and whatever was ' +
        "written into node_modules; the difference is what judging the commit exactly costs. prepare's own git " +
        "runs through `sh` with hardening `-c` options, as all of Sluice's git does.",
      ...figures.map(
        (size, index) =>
          `At ${formatCount(sizes[index] ?? 0)} files the kept node_modules is fingerprinted once per prepare (a ` +
          `synchronous lstat walk: ${formatMs(size.fingerprintMs)}; the bench's own walk of the same fields: ` +
          `${formatMs(size.syncWalkMs)}), and not again when it was intact and setup ran nothing.`,
      ),
      ...figures.map(
        (size, index) => `Where a prepare goes at ${formatCount(sizes[index] ?? 0)} files: ${size.breakdown}`,
      ),
    ],
  };
}

async function measureSize(files: number): Promise<SizeFigures> {
  return withTempDir(`judge-${files}`, async (dir) => {
    const env = childEnv(dir);
    const repo = join(dir, 'repo');
    const options = { cwd: repo, env, timeoutMs: 600_000 };
    const git = (cwd: string, ...args: string[]) => mustRun('git', args, { ...options, cwd });
    const label = formatCount(files);
    const checks: CheckOutcome[] = [];

    const commits = await generateRepository(repo, files, warmups + rounds + 3, env);
    const [base = '', ...chain] = commits;
    // The user's own checkout has its dependencies installed: what a judge with no setup borrows.
    await mustRun('node', ['make-deps.mjs'], options);

    // The first prepare of a run, once, against a plain worktree add and the same setup by hand.
    const plain = join(dir, 'plain');
    const plainAdd = await mustRun('git', ['worktree', 'add', '--detach', '--quiet', plain, base], options);
    const plainSetup = await mustRun('node', ['make-deps.mjs'], { ...options, cwd: plain });
    const judge = new JudgeCheckout({
      repoRoot: repo,
      path: join(dir, 'judge'),
      configDir: '',
      setup: [setupStep],
      logDir: join(dir, 'judge-logs'),
    });
    const borrowing = new JudgeCheckout({
      repoRoot: repo,
      path: join(dir, 'judge-borrowing'),
      configDir: '',
      setup: [],
      logDir: join(dir, 'borrowing-logs'),
    });
    try {
      let started = performance.now();
      const first = await judge.prepare(base);
      const firstMs = performance.now() - started;
      checks.push({
        check: `${label}: the first prepare ran setup and left only node_modules besides the commit`,
        ok: first.notes.some((note) => note.startsWith('setup ran')) && (await strayStatus(first.root, env)) === '',
        detail: first.notes.join('; '),
      });
      started = performance.now();
      const firstBorrowed = await borrowing.prepare(base);
      const firstBorrowedMs = performance.now() - started;
      checks.push({
        check: `${label}: with no setup, the first prepare links node_modules from the user checkout`,
        ok: firstBorrowed.notes.some((note) => note.includes('dependencies from your checkout: node_modules')),
        detail: firstBorrowed.notes.join('; '),
      });

      const step = { judge: 0, naive: 0, borrowed: 0 };
      const next = (which: keyof typeof step) => {
        const commit = chain[step[which]++];
        if (!commit) throw new Error(`ran out of commits for ${which}`);
        return commit;
      };
      const problems: string[] = [];
      const borrowedProblems: string[] = [];
      const [naive, prepare, suite, borrowed, fingerprint, syncWalk] = await timeInterleaved(
        [
          {
            label: 'naive: git checkout --detach + git status',
            run: async () => {
              const commit = next('naive');
              const checkout = await runCommand('git', ['checkout', '--detach', '--quiet', commit], {
                ...options,
                cwd: plain,
              });
              const status = await runCommand('git', ['status', '--porcelain'], { ...options, cwd: plain });
              if (checkout.exitCode !== 0 || status.exitCode !== 0) {
                throw new Error(`naive checkout failed: ${checkout.stderr}${status.stderr}`);
              }
              return checkout.wallMs + status.wallMs;
            },
          },
          {
            label: 'judge.prepare(next commit)',
            run: async () => {
              const commit = next('judge');
              const planted = await plant(join(dir, 'judge'));
              const begin = performance.now();
              const tree = await judge.prepare(commit);
              const wallMs = performance.now() - begin;
              problems.push(...(await cleanProblems(tree.root, commit, planted, env)));
              if (tree.notes.length > 0) problems.push(`${commit.slice(0, 8)}: ${tree.notes.join('; ')}`);
              return wallMs;
            },
          },
          {
            label: `the suite: node --test, ${testFiles} files`,
            run: async () => {
              const result = await runCommand(nodeBin, suiteCommand, { ...options, cwd: join(dir, 'judge') });
              if (result.exitCode !== 0) throw new Error(`the suite failed:\n${result.stdout.slice(-2000)}`);
              return result.wallMs;
            },
          },
          {
            label: 'judge.prepare, no setup (node_modules linked)',
            run: async () => {
              const commit = next('borrowed');
              const planted = await plant(join(dir, 'judge-borrowing'));
              const begin = performance.now();
              const tree = await borrowing.prepare(commit);
              const wallMs = performance.now() - begin;
              borrowedProblems.push(...(await cleanProblems(tree.root, commit, planted, env, '?? node_modules')));
              return wallMs;
            },
          },
          {
            label: 'fingerprintPaths(node_modules), one call',
            run: async () => {
              const begin = performance.now();
              fingerprintPaths(join(dir, 'judge'), ['node_modules']);
              return performance.now() - begin;
            },
          },
          {
            label: 'for comparison: the same fields by a synchronous lstat walk',
            run: async () => {
              const begin = performance.now();
              syncFingerprint(join(dir, 'judge'), 'node_modules');
              return performance.now() - begin;
            },
          },
        ],
        { rounds, warmups },
      );
      if (!naive || !prepare || !suite || !borrowed || !fingerprint || !syncWalk) throw new Error('missing timings');
      checks.push({
        check: `${label}: after every timed prepare the planted files were gone, HEAD was the commit and \`git status --porcelain --ignored\` showed only \`${keptStatus}\`; setup did not run again`,
        ok: problems.length === 0,
        detail: problems.length === 0 ? `${rounds + warmups} prepares` : problems.slice(0, 3).join(' / '),
      });
      checks.push({
        check: `${label}: the same for the judge with no setup (only the \`node_modules\` link besides the commit)`,
        ok: borrowedProblems.length === 0,
        detail:
          borrowedProblems.length === 0 ? `${rounds + warmups} prepares` : borrowedProblems.slice(0, 3).join(' / '),
      });

      // Where a prepare goes: a few more with git's trace2 on, back and forth between the last two commits.
      const breakdown = await traceBreakdown(
        judge,
        [chain[step.judge - 2] ?? base, chain[step.judge - 1] ?? base],
        dir,
      );

      // Index bits and edits to tracked files: the next prepare must put the exact blobs back.
      const root = join(dir, 'judge');
      await git(root, 'update-index', '--skip-worktree', 'test/t00.test.mjs');
      await git(root, 'update-index', '--assume-unchanged', 'test/t01.test.mjs');
      await writeFile(join(root, 'test/t00.test.mjs'), "import 'node:test';\n// emptied\n");
      await writeFile(join(root, 'test/t01.test.mjs'), "import 'node:test';\n// emptied\n");
      const bitsCommit = next('judge');
      const afterBits = await judge.prepare(bitsCommit);
      const bitProblems = await cleanProblems(afterBits.root, bitsCommit, [], env);
      for (const path of ['test/t00.test.mjs', 'test/t01.test.mjs']) {
        const committed = (await git(root, 'show', `${bitsCommit}:${path}`)).stdout;
        if ((await readFile(join(root, path), 'utf8')) !== committed)
          bitProblems.push(`${path} differs from the commit`);
      }
      const flags = (await git(root, 'ls-files', '-v')).stdout.split('\n').filter((line) => /^([a-z]|S) /.test(line));
      if (flags.length > 0) bitProblems.push(`index bits left: ${flags.slice(0, 3).join(', ')}`);
      checks.push({
        check: `${label}: skip-worktree and assume-unchanged files edited in the checkout are back to the commit's blobs`,
        ok: bitProblems.length === 0,
        detail: bitProblems.join(' / ') || undefined,
      });

      // A file rewritten inside the kept node_modules (same content): the fingerprint sees it and setup runs again.
      const patched = join(root, 'node_modules', 'pkg000', 'index.js');
      await writeFile(patched, await readFile(patched, 'utf8'));
      const touchedCommit = next('judge');
      started = performance.now();
      const afterTouch = await judge.prepare(touchedCommit);
      const rerunMs = performance.now() - started;
      checks.push({
        check: `${label}: a file rewritten in the kept node_modules makes the next prepare remove it and run setup again`,
        ok:
          afterTouch.notes.some((note) => note.startsWith('kept folders changed')) &&
          afterTouch.notes.some((note) => note.startsWith('setup ran')),
        detail: afterTouch.notes.join('; '),
      });

      const row = (timing: Timing) => [
        label,
        timing.label,
        formatTiming(timing),
        formatRatio(timing.medianMs / naive.medianMs),
        timing === suite ? '-' : formatPercent(timing.medianMs / suite.medianMs),
      ];
      const once = (what: string, ms: number, compare?: number) => [
        label,
        what,
        formatMs(ms),
        compare === undefined ? '-' : formatRatio(ms / compare),
        '-',
      ];
      const plainFirstMs = plainAdd.wallMs + plainSetup.wallMs;
      return {
        prepareMs: prepare.medianMs,
        fingerprintMs: fingerprint.medianMs,
        syncWalkMs: syncWalk.medianMs,
        suiteMs: suite.medianMs,
        breakdown,
        checks,
        rows: [
          row(naive),
          row(prepare),
          row(borrowed),
          row(fingerprint),
          row(syncWalk),
          row(suite),
          once('first, naive: git worktree add + setup by hand', plainFirstMs, plainFirstMs),
          once('first judge.prepare (worktree add + setup)', firstMs, plainFirstMs),
          once('first judge.prepare, no setup (link)', firstBorrowedMs, plainFirstMs),
          once('judge.prepare after node_modules was touched (setup again)', rerunMs, plainFirstMs),
        ],
      };
    } finally {
      await judge.remove();
      await borrowing.remove();
    }
  });
}

/**
 * `files` tracked files, committed, then `chainLength` commits that each change one source file and one
 * test file. Returns the first commit and the chain.
 */
async function generateRepository(
  repo: string,
  files: number,
  chainLength: number,
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  const git = (...args: string[]) => mustRun('git', args, { cwd: repo, env, timeoutMs: 600_000 });
  await mkdir(join(repo, 'test'), { recursive: true });
  await git('init', '--quiet');
  await git('config', 'user.name', 'Bench');
  await git('config', 'user.email', 'bench@sluice.invalid');
  await git('config', 'commit.gpgSign', 'false');
  const fixed: Record<string, string> = {
    '.gitignore': 'node_modules/\ndist/\n.env\n',
    'package.json': '{ "name": "bench", "private": true, "type": "module" }\n',
    'package-lock.json': '{ "name": "bench", "lockfileVersion": 3, "packages": {} }\n',
    'make-deps.mjs': makeDepsScript,
  };
  for (const [name, text] of Object.entries(fixed)) await writeFile(join(repo, name), text);
  for (let index = 0; index < testFiles; index++) await writeFile(join(repo, testPath(index)), testFile(index));
  const sources = files - testFiles - Object.keys(fixed).length;
  for (let start = 0; start < sources; start += filesPerFolder) {
    const folder = join(repo, 'src', `m${String(start / filesPerFolder).padStart(4, '0')}`);
    await mkdir(folder, { recursive: true });
    const batch: Promise<void>[] = [];
    for (let index = start; index < Math.min(sources, start + filesPerFolder); index++) {
      batch.push(writeFile(join(repo, sourcePath(index)), sourceFile(index)));
    }
    await Promise.all(batch);
  }
  await git('add', '-A');
  await git('commit', '--quiet', '--no-verify', '-m', 'generated');
  const commits = [(await git('rev-parse', 'HEAD')).stdout.trim()];
  for (let change = 0; change < chainLength; change++) {
    const source = join(repo, sourcePath((change * 37) % sources));
    const test = join(repo, testPath(change % testFiles));
    await writeFile(source, `${await readFile(source, 'utf8')}// change ${change}\n`);
    await writeFile(test, `${await readFile(test, 'utf8')}// change ${change}\n`);
    await git('commit', '--quiet', '--no-verify', '-am', `change ${change}`);
    commits.push((await git('rev-parse', 'HEAD')).stdout.trim());
  }
  return commits;
}

function sourcePath(index: number): string {
  return join(
    'src',
    `m${String(Math.floor(index / filesPerFolder)).padStart(4, '0')}`,
    `f${String(index).padStart(5, '0')}.js`,
  );
}

function testPath(index: number): string {
  return join('test', `t${String(index).padStart(2, '0')}.test.mjs`);
}

function sourceFile(index: number): string {
  const lines = [`// Generated module ${index}.`, `export const id = ${index};`];
  for (let line = 0; line < 12; line++) {
    lines.push(`export function value${line}(input) { return input * ${index} + ${line}; }`);
  }
  return `${lines.join('\n')}\n`;
}

function testFile(index: number): string {
  const lines = ["import assert from 'node:assert/strict';", "import { test } from 'node:test';", ''];
  for (let number = 0; number < testsPerFile; number++) {
    lines.push(`test('case ${index}.${number}', () => { assert.equal(${index} + ${number}, ${index + number}); });`);
  }
  return `${lines.join('\n')}\n`;
}

/** The setup step's script: a node_modules of many small packages, as `npm ci` would leave it. */
const makeDepsScript = `import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
const lock = readFileSync('package-lock.json', 'utf8');
rmSync('node_modules', { recursive: true, force: true });
for (let p = 0; p < ${dependencyPackages}; p++) {
  const dir = 'node_modules/pkg' + String(p).padStart(3, '0');
  mkdirSync(dir + '/lib', { recursive: true });
  writeFileSync(dir + '/package.json', JSON.stringify({ name: 'pkg' + p, version: '1.0.0', lock: lock.length }));
  writeFileSync(dir + '/index.js', 'module.exports = require("./lib/f0.js");\\n');
  for (let f = 0; f < ${filesPerPackage - 2}; f++) writeFileSync(dir + '/lib/f' + f + '.js', 'module.exports = ' + f + ';\\n');
}
`;

/** What fingerprintPaths reads (path, mode, size, ctime, inode, link target), walked synchronously. */
function syncFingerprint(root: string, path: string): string {
  const lines: string[] = [];
  const walk = (relative: string) => {
    const full = join(root, relative);
    const info = lstatSync(full, { bigint: true });
    const link = info.isSymbolicLink() ? readlinkSync(full) : '';
    lines.push(`${relative}\0${info.mode}\0${info.size}\0${info.ctimeNs}\0${info.ino}\0${link}`);
    if (info.isDirectory()) for (const entry of readdirSync(full)) walk(join(relative, entry));
  };
  walk(path);
  lines.sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** Files a gate run or an intruder could leave between two checks: untracked, ignored file, ignored folder. */
async function plant(checkout: string): Promise<string[]> {
  const planted = ['preload.cjs', '.env', 'dist/cheat.js'];
  await mkdir(join(checkout, 'dist'), { recursive: true });
  await writeFile(join(checkout, 'preload.cjs'), 'globalThis.cheat = true;\n');
  await writeFile(join(checkout, '.env'), 'NODE_OPTIONS=--require ./preload.cjs\n');
  await writeFile(join(checkout, 'dist/cheat.js'), 'cheat\n');
  return planted;
}

/** Why `root` is not exactly `commit` plus the kept folder (empty when it is). */
async function cleanProblems(
  root: string,
  commit: string,
  planted: string[],
  env: NodeJS.ProcessEnv,
  kept = keptStatus,
): Promise<string[]> {
  const problems: string[] = [];
  for (const path of planted) {
    if (
      await access(join(root, path)).then(
        () => true,
        () => false,
      )
    )
      problems.push(`${path} is still there`);
  }
  const head = (await mustRun('git', ['rev-parse', 'HEAD'], { cwd: root, env })).stdout.trim();
  if (head !== commit) problems.push(`HEAD is ${head.slice(0, 8)}, not ${commit.slice(0, 8)}`);
  const stray = await strayStatus(root, env, kept);
  if (stray !== '') problems.push(`status: ${stray}`);
  return problems;
}

/** `git status --porcelain --ignored` lines other than the kept folder's, joined ('' when none). */
async function strayStatus(root: string, env: NodeJS.ProcessEnv, kept = keptStatus): Promise<string> {
  const status = await mustRun('git', ['status', '--porcelain', '--ignored'], { cwd: root, env });
  return status.stdout
    .split('\n')
    .filter((line) => line !== '' && line !== kept)
    .slice(0, 5)
    .join(', ');
}

/** Median per prepare of the git time by command, from GIT_TRACE2_EVENT, and the rest. */
async function traceBreakdown(judge: JudgeCheckout, commits: string[], dir: string): Promise<string> {
  const perPrepare: Array<{ wallMs: number; calls: GitCall[] }> = [];
  const previous = process.env.GIT_TRACE2_EVENT;
  try {
    for (let index = 0; index < tracedPrepares; index++) {
      const tracePath = join(dir, `trace-${index}.json`);
      process.env.GIT_TRACE2_EVENT = tracePath;
      const begin = performance.now();
      await judge.prepare(commits[index % commits.length] ?? '');
      const wallMs = performance.now() - begin;
      delete process.env.GIT_TRACE2_EVENT;
      perPrepare.push({ wallMs, calls: await readGitTrace(tracePath) });
    }
  } finally {
    if (previous === undefined) delete process.env.GIT_TRACE2_EVENT;
    else process.env.GIT_TRACE2_EVENT = previous;
  }
  const names = [...new Set(perPrepare.flatMap((prepare) => prepare.calls.map((call) => call.name)))];
  const byName = names
    .map((name) => {
      const count = median(perPrepare.map((prepare) => prepare.calls.filter((call) => call.name === name).length));
      const ms = median(perPrepare.map((prepare) => sum(prepare.calls.filter((call) => call.name === name))));
      return { name, count, ms };
    })
    .sort((a, b) => b.ms - a.ms);
  const wallMs = median(perPrepare.map((prepare) => prepare.wallMs));
  const gitMs = median(perPrepare.map((prepare) => sum(prepare.calls)));
  return (
    `${formatMs(wallMs)} per traced prepare (median of ${tracedPrepares}), git ${formatMs(gitMs)} in ` +
    `${median(perPrepare.map((prepare) => prepare.calls.length))} processes — ` +
    `${byName.map((entry) => `${entry.name} ×${entry.count} ${formatMs(entry.ms)}`).join(', ')}; the rest ` +
    `(${formatMs(wallMs - gitMs)}) is Node: spawning git through \`sh\`, the fingerprint of the kept folder, ` +
    'the setup key.'
  );
}

function sum(calls: GitCall[]): number {
  return calls.reduce((total, call) => total + call.durationMs, 0);
}

/** Every top-level git process in a GIT_TRACE2_EVENT file, with its name and elapsed time. */
async function readGitTrace(tracePath: string): Promise<GitCall[]> {
  const bySid = new Map<string, { name?: string; elapsedMs?: number }>();
  const text = await readFile(tracePath, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const event = JSON.parse(line) as { event: string; sid: string; name?: string; t_abs?: number };
    if (event.sid.includes('/')) continue;
    const entry = bySid.get(event.sid) ?? {};
    bySid.set(event.sid, entry);
    if (event.event === 'cmd_name') entry.name = event.name;
    if (event.event === 'atexit' && event.t_abs !== undefined) entry.elapsedMs = event.t_abs * 1000;
  }
  return [...bySid.values()].flatMap((entry) =>
    entry.elapsedMs === undefined ? [] : [{ name: entry.name ?? '?', durationMs: entry.elapsedMs }],
  );
}

if (import.meta.main) await runAlone(benchJudgeCheckout);
