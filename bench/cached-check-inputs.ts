// A cached `sluice check` over many input files (1k, 10k, 50k) in a committed git repository with a few
// uncommitted changes, against `git status` on the same tree: what it costs to learn that nothing an
// input glob names has changed since the last pass. Also the peak RSS of the sluice process.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type BenchReport,
  type CheckOutcome,
  type CommandResult,
  childEnv,
  formatCount,
  formatRatio,
  formatTiming,
  median,
  mustRun,
  nodeBin,
  runAlone,
  runCommand,
  sluiceBin,
  type TargetResult,
  timeInterleaved,
  withTempDir,
} from './support.ts';

const sizes = [1_000, 10_000, 50_000];
const filesPerFolder = 100;
const rssRuns = 3;
const targetRatio = 2;
const targetRssMiB = 150;
/** Another build of Sluice to measure instead of this one (a checkout of an older commit, say). */
const bin = process.env.SLUICE_BENCH_BIN ?? sluiceBin;

// Two gates over overlapping inputs, as a typecheck and a test gate would have; both commands do nothing,
// so a cached check is only Sluice's own work.
const sluiceYaml = `version: 1
gates:
  types:
    run: "true"
    inputs: ["src/**/*.ts", "tsconfig.json"]
    timeout: 1m
  unit:
    run: "true"
    inputs: ["src/**", "package.json"]
    timeout: 1m
`;

interface CheckJson {
  gates: Array<{ name: string; status: string }>;
}

interface SizeFigures {
  files: number;
  rows: string[][];
  ratio: number;
  rssMiB: number;
  cpuMs: number;
  statusCpuMs: number;
  checks: CheckOutcome[];
}

export async function benchCachedCheckInputs(): Promise<BenchReport> {
  const figures: SizeFigures[] = [];
  for (const size of sizes) figures.push(await measureSize(size));
  const largest = figures.at(-1);
  const smallest = figures[0];
  if (!largest || !smallest) throw new Error('no sizes measured');
  const targets: TargetResult[] = [
    {
      target: `cached check, ${formatCount(largest.files)} input files <= ${targetRatio}x git status`,
      measured: formatRatio(largest.ratio),
      met: largest.ratio <= targetRatio,
    },
    {
      target: `peak RSS of that check < ${targetRssMiB} MiB`,
      measured: `${largest.rssMiB.toFixed(0)} MiB`,
      met: largest.rssMiB < targetRssMiB,
    },
  ];
  for (const target of targets) if (!target.met) console.error(`missed: ${target.target} (${target.measured})`);
  return {
    title: 'Cached check over many input files, against `git status` on the same tree',
    method:
      'per size, a fresh repository: files committed, then 5 of them edited and 5 new untracked files (a dirty ' +
      'tree, as an agent leaves it); one check fills the cache and a second must answer both gates `cached`. ' +
      'Then rounds of `git status`, the cached `node bin/sluice.js check` and `node -e ""`, interleaved ' +
      '(7 rounds at 1k and 10k, 5 at 50k, after 1 warm-up); wall time of the whole child process; median ' +
      `(min–max); ratio of medians. CPU time and peak RSS: \`/usr/bin/time -f '%M %U %S'\` around ${rssRuns} more ` +
      'runs of each, medians (CPU counts the git processes Sluice waits for).',
    table: {
      headers: ['Input files', 'Command', 'Wall time, median (min–max)', 'vs git status', 'CPU (user+sys)', 'Peak RSS'],
      rows: figures.flatMap((size) => size.rows),
    },
    targets,
    checks: figures.flatMap((size) => size.checks),
    notes: [
      `CPU, user + system: the cached check takes ${Math.round(smallest.cpuMs)} ms at ` +
        `${formatCount(smallest.files)} files and ${Math.round(largest.cpuMs)} ms at ${formatCount(largest.files)}; ` +
        `git status ${Math.round(largest.statusCpuMs)} ms at ${formatCount(largest.files)}. What the inputs cost grows ` +
        `by ${Math.round(largest.cpuMs - smallest.cpuMs)} ms from the smallest to the largest tree; the fixed part ` +
        '(Node, the CLI, config, gates) is what stands between the check and 2x git status.',
      `Sluice measured: ${bin === sluiceBin ? 'this checkout (bin/sluice.js)' : bin}.`,
      'Before, at commit 6dcd9e1 (every input globbed, read and sha256-hashed on every check), this benchmark on ' +
        '2026-12-07, same machine, equally loaded: 1k files 1062 ms (75.6x git status), 105 MiB; 10k 9.4 s (69.1x), ' +
        '370 MiB; 50k 27.3 s (58.9x), 978 MiB — and at 50k the `unit` gate missed the cache on every check (50,000 ' +
        'reads at once: some failed and hashed as "unreadable", so the key changed from run to run).',
      'Earlier, at commit 6a2a467 (the whole index decoded, matched and hashed on every check, after one ' +
        '`git ls-files -t -m -d -o` and a `git check-ignore` per gate), on a quiet machine: 50k 328 ms (3.90x git ' +
        'status), 320 ms CPU, 98 MiB; 10k 140 ms (7.34x); 1k 96 ms (18.2x). Now an unchanged index is not decoded: ' +
        'the hash is remembered in .sluice/cache under a key of the index bytes and of every file read, and git ' +
        'looks at the disk with `diff-files` (stat on several threads) and `ls-files -o` side by side.',
      'Both gates run `true`: a cached check is Node start-up, config load, one look at the inputs, and the cache ' +
        'read. At 1k files Node start-up and module loading dominate the check, so its ratio to git status ' +
        'measures start-up more than hashing.',
    ],
  };
}

async function measureSize(files: number): Promise<SizeFigures> {
  return withTempDir(`inputs-${files}`, async (dir) => {
    const repo = join(dir, 'repo');
    const env = childEnv(dir);
    const options = { cwd: repo, env, timeoutMs: 600_000 };
    await generateRepository(repo, files, options);

    const checks: CheckOutcome[] = [];
    const label = formatCount(files);
    const fill = await checkStatuses(repo, options);
    checks.push({ check: `${label}: the first check passes`, ok: fill.exitCode === 0, detail: fill.detail });
    const cached = await checkStatuses(repo, options);
    checks.push({
      check: `${label}: the second answers every gate \`cached\``,
      ok: cached.allCached,
      detail: cached.detail,
    });

    const expectExit = (what: string) => (result: CommandResult) => {
      if (result.exitCode !== 0)
        throw new Error(`${what} exited ${result.exitCode ?? result.signal}:\n${result.stderr}`);
      return result.wallMs;
    };
    const rounds = files >= 50_000 ? 5 : 7;
    const [status, sluice, node] = await timeInterleaved(
      [
        { label: 'git status', run: () => runCommand('git', ['status'], options).then(expectExit('git status')) },
        {
          label: 'sluice check (cached)',
          run: () => runCommand(nodeBin, [bin, 'check', '-C', repo], options).then(expectExit('sluice check')),
        },
        { label: 'node -e ""', run: () => runCommand(nodeBin, ['-e', ''], options).then(expectExit('node')) },
      ],
      { rounds, warmups: 1 },
    );
    if (!status || !sluice || !node) throw new Error('missing timings');
    const sluiceUsage = await resourceUsage(nodeBin, [bin, 'check', '-C', repo], options);
    const statusUsage = await resourceUsage('git', ['status'], options);

    const still = await checkStatuses(repo, options);
    checks.push({
      check: `${label}: still every gate \`cached\` after the timed runs`,
      ok: still.allCached,
      detail: still.detail,
    });
    // The figures mean nothing if the fast path missed a change: edit one input, keep its size, and both re-run.
    const edited = join(repo, 'src', 'm0001', 'f00110.ts');
    const text = await readFile(edited, 'utf8');
    await writeFile(edited, text.replace('value', 'VALUE'));
    const afterEdit = await checkStatuses(repo, options);
    checks.push({
      check: `${label}: an edit of one input (same size) re-runs both gates`,
      ok: afterEdit.statuses.every((entry) => entry.endsWith('=passed')),
      detail: afterEdit.detail,
    });

    const ratio = sluice.medianMs / status.medianMs;
    return {
      files,
      ratio,
      rssMiB: sluiceUsage.rssMiB,
      cpuMs: sluiceUsage.cpuMs,
      statusCpuMs: statusUsage.cpuMs,
      checks,
      rows: [
        [label, status.label, formatTiming(status), '1.00x', ...usageCells(statusUsage)],
        [label, sluice.label, formatTiming(sluice), formatRatio(ratio), ...usageCells(sluiceUsage)],
        [label, node.label, formatTiming(node), formatRatio(node.medianMs / status.medianMs), '', ''],
      ],
    };
  });
}

/**
 * `files` sources under src/ (100 per folder, about 700 bytes each), committed; then 5 edited and 5 new
 * untracked ones, and ignored build output that no glob names.
 */
async function generateRepository(
  repo: string,
  files: number,
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<void> {
  const git = (...args: string[]) => mustRun('git', args, options);
  await mkdir(repo, { recursive: true });
  await git('init', '--quiet');
  await git('config', 'user.name', 'Bench');
  await git('config', 'user.email', 'bench@sluice.invalid');
  await git('config', 'commit.gpgSign', 'false');
  await writeFile(join(repo, 'sluice.yaml'), sluiceYaml);
  await writeFile(join(repo, '.gitignore'), 'dist/\nnode_modules/\n');
  await writeFile(join(repo, 'package.json'), '{ "name": "bench", "private": true }\n');
  await writeFile(join(repo, 'tsconfig.json'), '{ "compilerOptions": { "strict": true } }\n');
  for (let start = 0; start < files; start += filesPerFolder) {
    const folder = join(repo, 'src', `m${String(start / filesPerFolder).padStart(4, '0')}`);
    await mkdir(folder, { recursive: true });
    const batch: Promise<void>[] = [];
    for (let index = start; index < Math.min(files, start + filesPerFolder); index++) {
      batch.push(writeFile(join(folder, `f${String(index).padStart(5, '0')}.ts`), sourceFile(index)));
    }
    await Promise.all(batch);
  }
  await mkdir(join(repo, 'dist'), { recursive: true });
  await Promise.all(
    Array.from({ length: 50 }, (_, index) => writeFile(join(repo, 'dist', `out${index}.js`), sourceFile(index))),
  );
  // Past the second the files were written in, so git's index does not hold them all as racily clean.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await git('add', '-A');
  await git('commit', '--quiet', '--no-verify', '-m', 'generated');
  for (let index = 0; index < 5; index++) {
    const file = join(repo, 'src', 'm0000', `f${String(index).padStart(5, '0')}.ts`);
    await writeFile(file, `${await readFile(file, 'utf8')}// edited\n`);
    await writeFile(join(repo, 'src', 'm0000', `new${index}.ts`), sourceFile(files + index));
  }
  await git('status', '--short');
}

function sourceFile(index: number): string {
  const lines = [`// Generated module ${index}.`, `export const id = ${index};`];
  for (let line = 0; line < 12; line++) {
    lines.push(`export function value${line}(input: number): number { return input * ${index} + ${line}; }`);
  }
  return `${lines.join('\n')}\n`;
}

async function checkStatuses(
  repo: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ exitCode: number | null; statuses: string[]; allCached: boolean; detail: string }> {
  const result = await runCommand(nodeBin, [bin, 'check', '--json', '-C', repo], options);
  let statuses: string[];
  try {
    statuses = (JSON.parse(result.stdout) as CheckJson).gates.map((gate) => `${gate.name}=${gate.status}`);
  } catch {
    statuses = [`no JSON (exit ${result.exitCode}): ${result.stderr.slice(0, 200)}`];
  }
  const allCached = result.exitCode === 0 && statuses.every((entry) => entry.endsWith('=cached'));
  return { exitCode: result.exitCode, statuses, allCached, detail: statuses.join(', ') };
}

interface Usage {
  rssMiB: number;
  cpuMs: number;
}

function usageCells(usage: Usage): string[] {
  return [`${Math.round(usage.cpuMs)} ms`, `${usage.rssMiB.toFixed(0)} MiB`];
}

/**
 * Medians over `rssRuns` runs of the peak resident set (GNU time's %M, KiB) and of the CPU time, user + system,
 * of the process and the children it waited for (git): the work done, whatever else loads the machine.
 */
async function resourceUsage(
  file: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<Usage> {
  const rss: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < rssRuns; run++) {
    const result = await mustRun('/usr/bin/time', ['-f', 'usage=%M %U %S', file, ...args], options);
    const match = /usage=(\d+) ([\d.]+) ([\d.]+)/.exec(result.stderr);
    if (!match?.[1] || !match[2] || !match[3]) throw new Error(`no usage in: ${result.stderr.slice(-300)}`);
    rss.push(Number(match[1]) / 1024);
    cpu.push((Number(match[2]) + Number(match[3])) * 1000);
  }
  return { rssMiB: median(rss), cpuMs: median(cpu) };
}

if (import.meta.main) await runAlone(benchCachedCheckInputs);
