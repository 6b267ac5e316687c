// `sluice guard` when nothing changed (a pre-commit hook, or a Stop hook after a turn that only read):
// the whole process against a bare Node start-up, in a committed copy of examples/shop with its sluice.yaml.
// Also what it loads (no parser, no store, no config reader) and how many git processes it starts; and that
// a real change is still judged, with the parsers it needs.
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gitProcesses } from './guard-many-files.ts';
import {
  type BenchReport,
  type CheckOutcome,
  type CommandOptions,
  type CommandResult,
  childEnv,
  formatMs,
  formatRatio,
  formatTiming,
  median,
  mustRun,
  nodeBin,
  repoRoot,
  runAlone,
  runCommand,
  sluiceBin,
  type TargetResult,
  type Timing,
  timeInterleaved,
  withTempDir,
} from './support.ts';

const rounds = 15;
const warmups = 2;
/** CPU time: blocks of `runsPerCpuBlock` runs of one command, the two commands' blocks interleaved. */
const cpuBlocks = 5;
const runsPerCpuBlock = 5;
/** Issue 16: an empty diff within 1.5x of `node -e ""`. */
const targetRatio = 1.5;
/** rev-parse (top, branch, base) with diff-index and ls-files, all three at the same time. */
const targetGitProcesses = 3;
const exampleDir = join(repoRoot, 'examples', 'shop');
/** Another build of Sluice to measure instead of this one (a checkout of an older commit, say). */
const bin = process.env.SLUICE_BENCH_BIN ?? sluiceBin;
const passedLine = 'guard: no weakened tests or protected files changed since HEAD';
/** What an empty diff must never load: parsers (ast-grep, yaml, zod, toml) and the run store (sqlite). */
const heavyPackages = /\/node_modules\/(?:@ast-grep|yaml|zod|smol-toml|better-sqlite3|kysely)\//;
/**
 * The guard's rules (and the parsers behind them) are loaded through this chunk, and only through it, when
 * the guard runs from the ES module CLI; from its fast start, through the lazy half of its bundle
 * (dist/cli/hot/guard-lazy.cjs).
 */
const judgeChunk = /\/judge-change-[^/]*\.js$|\/dist\/cli\/hot\/guard-lazy\.cjs$/;

/** The floor: the guard's three git calls, as it starts them on an empty diff, with no code of Sluice's. */
const floorSource = `'use strict';
const { spawn } = require('node:child_process');
const calls = [
  ['rev-parse', '--absolute-git-dir', '--show-toplevel', 'HEAD^{commit}', '--symbolic-full-name', 'HEAD'],
  ['diff-index', '-z', '--no-renames', 'HEAD'],
  ['ls-files', '-z', '--others', '--exclude-standard', '--full-name'],
];
let left = calls.length;
for (const args of calls) {
  const child = spawn('git', args, { stdio: ['ignore', 'pipe', 'ignore'] });
  child.stdout.resume();
  child.on('close', (code) => {
    if (code !== 0) process.exitCode = 1;
    if (--left === 0) process.exitCode ??= 0;
  });
}
`;

// Loaded with --import in the untimed runs: every specifier resolved, and what it resolved to.
const recorderHook = `import { appendFileSync } from 'node:fs';
import module from 'node:module';
module.registerHooks({
  resolve(specifier, context, next) {
    const result = next(specifier, context);
    appendFileSync(process.env.SLUICE_BENCH_LOADED, result.url + '\\n');
    return result;
  },
});
`;

export async function benchGuardEmptyDiff(): Promise<BenchReport> {
  return withTempDir('guard-empty', async (dir) => {
    const shop = join(dir, 'shop');
    await cp(exampleDir, shop, {
      recursive: true,
      filter: (source) => !['.sluice', 'node_modules'].includes(basename(source)),
    });
    const env = childEnv(dir, { XDG_CACHE_HOME: join(dir, 'cache') });
    const git = (args: string[]) => mustRun('git', args, { cwd: shop, env });
    await git(['init', '--quiet', '--initial-branch=main']);
    await git(['config', 'user.name', 'Sluice bench']);
    await git(['config', 'user.email', 'bench@localhost']);
    await git(['config', 'commit.gpgsign', 'false']);
    await git(['add', '-A']);
    await git(['commit', '--quiet', '-m', 'bench: the shop']);
    const options = { cwd: shop, env };

    const outputs: CommandResult[] = [];
    const guardRun = (args: string[]) => async () => {
      // Recorded, not thrown: a wrong verdict is a failed check, and still a timing.
      const result = await runSluice(args, options);
      outputs.push(result);
      return result.wallMs;
    };
    const expectExit = (label: string) => (result: CommandResult) => {
      if (result.exitCode !== 0) {
        throw new Error(`${label} exited ${result.exitCode ?? result.signal}:\n${result.stdout}\n${result.stderr}`);
      }
      return result.wallMs;
    };
    // The floor: a bare CommonJS script that starts the guard's three git calls at once and waits for them.
    const floorScript = join(dir, 'three-gits.cjs');
    await writeFile(floorScript, floorSource);
    const [bare, floor, version, guard, fromSubfolder] = await timeInterleaved(
      [
        {
          label: 'bare Node start-up (node -e "")',
          run: () => runCommand(nodeBin, ['-e', ''], options).then(expectExit('node')),
        },
        {
          label: "floor: a bare script starting the guard's 3 git calls at once",
          run: () => runCommand(nodeBin, [floorScript], options).then(expectExit('three-gits.cjs')),
        },
        {
          label: "sluice --version (the CLI's own start)",
          run: () => runSluice(['--version'], options).then(expectExit('sluice --version')),
        },
        { label: 'sluice guard, nothing changed', run: guardRun(['guard']) },
        { label: 'sluice guard -C src (a subfolder)', run: guardRun(['guard', '-C', join(shop, 'src')]) },
      ],
      { rounds, warmups },
    );
    if (!bare || !floor || !version || !guard || !fromSubfolder) throw new Error('missing timings');
    const ratio = guard.medianMs / bare.medianMs;
    // CPU, user + system, the git processes included: the work done, whatever else loads the machine.
    const bareCpu: number[] = [];
    const guardCpu: number[] = [];
    for (let block = 0; block < cpuBlocks; block++) {
      bareCpu.push(await cpuPerRun([nodeBin, '-e', ''], options));
      guardCpu.push(await cpuPerRun([nodeBin, bin, 'guard'], options));
    }
    const cpuRatio = median(guardCpu) / median(bareCpu);

    const hook = join(dir, 'record-loads.mjs');
    await writeFile(hook, recorderHook);
    const loadsOf = async (label: string) => {
      const list = join(dir, `loaded-${label}.txt`);
      const hookEnv = { ...env, NODE_OPTIONS: `--import=${pathToFileURL(hook).href}`, SLUICE_BENCH_LOADED: list };
      const result = await runSluice(['guard'], { cwd: shop, env: hookEnv });
      const urls = (await readFile(list, 'utf8').catch(() => '')).split('\n').filter(Boolean);
      await rm(list, { force: true });
      return { result, urls };
    };
    const clean = await loadsOf('clean');
    const tracePath = join(dir, 'git-trace2.json');
    await runSluice(['guard'], { cwd: shop, env: { ...env, GIT_TRACE2_EVENT: tracePath } });
    const gitCount = await gitProcesses(tracePath);

    // A real change: an assertion commented out. The guard must load its rules and parsers, and find it.
    const testFile = join(shop, 'test', 'cart.test.js');
    const original = await readFile(testFile, 'utf8');
    await writeFile(testFile, original.replace('assert.equal(cart.totalCents(), 280);', '// removed'));
    const changed = await loadsOf('changed');
    await writeFile(testFile, original);

    const loadedFiles = (urls: string[]) => new Set(urls.filter((url) => url.startsWith('file:')));
    const cleanFiles = [...loadedFiles(clean.urls)];
    const builtins = new Set(clean.urls.filter((url) => url.startsWith('node:')));
    const fromPackages = cleanFiles.filter((url) => url.includes('/node_modules/'));
    const heavy = cleanFiles.filter((url) => heavyPackages.test(url) || judgeChunk.test(url));
    const changedFiles = [...loadedFiles(changed.urls)];
    const checks: CheckOutcome[] = [
      verdictCheck(outputs),
      {
        check:
          'nothing changed: no parser, store or rule loaded (ast-grep, yaml, zod, smol-toml, sqlite, judge-change)',
        // The recorder must have seen the command itself, or it saw nothing at all.
        ok: clean.result.exitCode === 0 && cleanFiles.some((url) => /guard-command/.test(url)) && heavy.length === 0,
        detail:
          heavy.length > 0
            ? `loaded ${heavy.map((url) => url.replace(/.*\/(node_modules|dist)\//, '')).join(', ')}`
            : `exit ${clean.result.exitCode}; ${cleanFiles.length} files of ours, ${builtins.size} node: modules`,
      },
      {
        check: 'an assertion commented out: exit 1, assertions-removed found, its rules and ast-grep loaded',
        ok:
          changed.result.exitCode === 1 &&
          changed.result.stdout.includes('test/cart.test.js:6 assertions-removed') &&
          changedFiles.some((url) => judgeChunk.test(url)) &&
          changedFiles.some((url) => /\/node_modules\/@ast-grep\//.test(url)),
        detail: `exit ${changed.result.exitCode}: ${changed.result.stdout.trim().split('\n')[0] ?? ''}`,
      },
    ];
    const targets: TargetResult[] = [
      {
        target: `sluice guard on an empty diff <= ${targetRatio}x bare Node (wall, medians)`,
        measured: `${formatRatio(ratio)} (${formatMs(guard.medianMs)} vs ${formatMs(bare.medianMs)})`,
        met: ratio <= targetRatio,
      },
      {
        target: `the same in CPU time, user + system, git included (<= ${targetRatio}x)`,
        measured: `${formatRatio(cpuRatio)} (${formatMs(median(guardCpu))} vs ${formatMs(median(bareCpu))})`,
        met: cpuRatio <= targetRatio,
      },
      {
        target: `at most ${targetGitProcesses} git processes, started together`,
        measured: `${gitCount.count} (${gitCount.byName})`,
        met: gitCount.count <= targetGitProcesses,
      },
    ];
    for (const target of targets) if (!target.met) console.error(`missed: ${target.target} (${target.measured})`);

    const row = (timing: Timing) => [
      timing.label,
      formatTiming(timing),
      formatRatio(timing.medianMs / bare.medianMs),
      formatMs(timing.medianMs - bare.medianMs),
    ];
    return {
      title: 'Guard on an empty diff (examples/shop, committed, nothing changed)',
      method:
        `a committed copy of examples/shop with its sluice.yaml; ${rounds} timed rounds after ${warmups} warm-ups, ` +
        'the five commands interleaved; wall time of the whole child process with performance.now(); median ' +
        "(min–max); ratios of medians. Node's compile cache in the benchmark's temp folder, warmed by the warm-ups. " +
        `CPU: bash's \`times\` around blocks of ${runsPerCpuBlock} runs (${cpuBlocks} blocks of each, interleaved), the ` +
        'median of the blocks; it counts the git processes the guard waits for. ' +
        'What the guard loads: one more run with a module.registerHooks resolve hook (--import) writing down every ' +
        'module resolved. The git processes: one more run with GIT_TRACE2_EVENT.',
      table: {
        headers: ['Command', 'Wall time, median (min–max)', 'vs bare Node', 'over bare Node'],
        rows: [bare, floor, version, guard, fromSubfolder].map(row),
      },
      targets,
      checks,
      notes: [
        `Over the CLI's own start (sluice --version): ${formatMs(guard.medianMs - version.medianMs)}, for the guard ` +
          `command's modules (with node:child_process) and its git processes (${gitCount.byName}; ${formatMs(gitCount.gitMs)} ` +
          'summed from each start to its exit, overlapping).',
        `The floor row runs no code of Sluice's: Node's start and the same three git processes (rev-parse, ` +
          `diff-index, ls-files, started together) already take ${formatRatio(floor.medianMs / bare.medianMs)} ` +
          `of a bare start; the target is ${targetRatio}x.`,
        `Sluice measured: ${bin === sluiceBin ? 'this checkout (bin/sluice.js)' : bin}.`,
        `An empty diff loads ${cleanFiles.length - fromPackages.length} files of Sluice's, ${fromPackages.length} from ` +
          `node_modules and ${builtins.size} node: modules by name; a commented-out assertion loads ` +
          `${changedFiles.length} files in all.`,
      ],
    };
  });
}

/** Every timed guard run: exit 0, the passing line and nothing else. */
function verdictCheck(outputs: CommandResult[]): CheckOutcome {
  const wrong = outputs.filter(
    (output) => output.exitCode !== 0 || output.stdout !== `${passedLine}\n` || output.stderr !== '',
  );
  const first = wrong[0];
  return {
    check: `every guard run exits 0 and prints "${passedLine}" (${outputs.length} runs)`,
    ok: outputs.length === 2 * (rounds + warmups) && wrong.length === 0,
    ...(first ? { detail: `exit ${first.exitCode}: ${(first.stdout + first.stderr).trim().slice(0, 300)}` } : {}),
  };
}

/**
 * CPU time, user + system, per run of `command` (and every process it waits for), averaged over a block of
 * runs: bash's `times` reports its children's to the millisecond, where GNU time rounds to 10 ms.
 */
async function cpuPerRun(command: string[], options: CommandOptions): Promise<number> {
  const script = 'n=$1; shift; for i in $(seq "$n"); do "$@" >/dev/null 2>&1 </dev/null; done; times';
  const result = await mustRun('bash', ['-c', script, 'bash', String(runsPerCpuBlock), ...command], options);
  const children = result.stdout.trim().split('\n')[1] ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((match) => Number(match[1]) * 60 + Number(match[2]));
  if (seconds.length !== 2) throw new Error(`no times in: ${result.stdout}`);
  return (((seconds[0] ?? 0) + (seconds[1] ?? 0)) * 1000) / runsPerCpuBlock;
}

function runSluice(args: string[], options: CommandOptions): Promise<CommandResult> {
  return runCommand(nodeBin, [bin, ...args], options);
}

if (import.meta.main) await runAlone(benchGuardEmptyDiff);
