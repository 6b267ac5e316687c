// `sluice guard --json` on a change that touches 200 node:test files (a new test in each, some
// reformatted, one assertion removed in 3), against `git diff --stat` over the same change.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type BenchReport,
  type CheckOutcome,
  type CommandResult,
  childEnv,
  formatMs,
  formatRatio,
  formatTiming,
  mustRun,
  runAlone,
  runCommand,
  runSluice,
  type Timing,
  timeInterleaved,
  withTempDir,
} from './support.ts';

const fileCount = 200;
const testsPerFile = 10;
const rounds = 5;
const warmups = 1;
/** Issue 16: under 5 ms per changed test file, with the base's tests cached (every guard of a base after its first). */
const targetMsPerFile = 5;
const targetMs = fileCount * targetMsPerFile;
/** The files where one assertion of one test is removed: the only findings the guard may report. */
const tamperedFiles = [17, 101, 188];
const tamperedCase = 5;

interface GuardJson {
  verdict: string;
  findings: Array<{ rule: string; path: string; line: number; severity: string; message: string }>;
}

/** A finding the guard must report: where, and that it is the removed assertion. */
interface ExpectedFinding {
  path: string;
  line: number;
}

const calcModule = `// The code under test.
export function add(a, b) {
  return a + b;
}

export function label(value) {
  return \`n=\${value}\`;
}

export function range(count) {
  return Array.from({ length: count }, (_, index) => index);
}
`;

function testPath(file: number): string {
  return `test/mod-${String(file).padStart(3, '0')}.test.js`;
}

/** One test: three assertions on the first line of which `reformat` spreads over several lines. */
function renderTest(file: number, testCase: number, options: { indent: string; reformat: boolean; drop: boolean }) {
  const { indent: i } = options;
  const sum = file + testCase;
  const first = options.reformat
    ? [`${i}${i}assert.strictEqual(`, `${i}${i}${i}sum,`, `${i}${i}${i}${sum},`, `${i}${i});`]
    : [`${i}${i}assert.strictEqual(sum, ${sum});`];
  return [
    `${i}it('module ${file} case ${testCase} adds ${file} and ${testCase}', () => {`,
    `${i}${i}const sum = add(${file}, ${testCase});`,
    ...first,
    ...(options.drop ? [] : [`${i}${i}assert.strictEqual(label(sum), 'n=${sum}');`]),
    `${i}${i}assert.deepStrictEqual(range(${testCase % 4}), [${Array.from({ length: testCase % 4 }, (_, k) => k).join(', ')}]);`,
    `${i}});`,
  ];
}

function renderFile(file: number, changed: boolean): string {
  // Changed: every 4th file is reformatted (4-space indent, a call over several lines); 3 lose an assertion.
  const reformat = changed && file % 4 === 0;
  const indent = reformat ? '    ' : '  ';
  const lines = [
    "import assert from 'node:assert/strict';",
    "import { describe, it } from 'node:test';",
    "import { add, label, range } from '../src/calc.js';",
    '',
    `describe('module ${file}', () => {`,
  ];
  const cases = changed ? testsPerFile + 1 : testsPerFile;
  for (let testCase = 1; testCase <= cases; testCase++) {
    if (testCase > 1) lines.push('');
    const drop = changed && testCase === tamperedCase && tamperedFiles.includes(file);
    lines.push(...renderTest(file, testCase, { indent, reformat, drop }));
  }
  lines.push('});', '');
  return lines.join('\n');
}

/** Commit the 200 files, then change them all in the working tree; returns the findings the change must give. */
async function writeRepo(repo: string, env: NodeJS.ProcessEnv): Promise<{ base: string; expected: ExpectedFinding[] }> {
  await mkdir(join(repo, 'src'), { recursive: true });
  await mkdir(join(repo, 'test'), { recursive: true });
  await writeFile(join(repo, 'package.json'), `${JSON.stringify({ name: 'bench-guard', type: 'module' }, null, 2)}\n`);
  await writeFile(join(repo, 'src', 'calc.js'), calcModule);
  for (let file = 0; file < fileCount; file++) await writeFile(join(repo, testPath(file)), renderFile(file, false));
  const git = (args: string[]) => mustRun('git', args, { cwd: repo, env });
  await git(['init', '--quiet']);
  await git(['config', 'user.name', 'Sluice bench']);
  await git(['config', 'user.email', 'bench@localhost']);
  await git(['config', 'commit.gpgsign', 'false']);
  await git(['add', '-A']);
  await git(['commit', '--quiet', '-m', 'bench: 200 test files']);
  const base = (await git(['rev-parse', 'HEAD'])).stdout.trim();

  const expected: ExpectedFinding[] = [];
  for (let file = 0; file < fileCount; file++) {
    const text = renderFile(file, true);
    await writeFile(join(repo, testPath(file)), text);
    if (tamperedFiles.includes(file)) {
      const marker = `it('module ${file} case ${tamperedCase} `;
      const line = text.split('\n').findIndex((candidate) => candidate.includes(marker)) + 1;
      expected.push({ path: testPath(file), line });
    }
  }
  return { base, expected };
}

/** git processes of one run, by command, from a GIT_TRACE2_EVENT file (git's own children left out). */
export async function gitProcesses(tracePath: string): Promise<{ count: number; byName: string; gitMs: number }> {
  const names = new Map<string, string>();
  let gitMs = 0;
  for (const line of (await readFile(tracePath, 'utf8')).split('\n')) {
    if (line.trim() === '') continue;
    const event = JSON.parse(line) as { event: string; sid: string; name?: string; t_abs?: number };
    if (event.sid.includes('/')) continue;
    if (event.event === 'cmd_name' && event.name) names.set(event.sid, event.name);
    if (event.event === 'atexit' && event.t_abs !== undefined) gitMs += event.t_abs * 1000;
  }
  const counts = new Map<string, number>();
  for (const name of names.values()) counts.set(name, (counts.get(name) ?? 0) + 1);
  const byName = [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
  return { count: names.size, byName, gitMs };
}

export async function benchGuardManyFiles(): Promise<BenchReport> {
  return withTempDir('guard-many', async (dir) => {
    const repo = join(dir, 'repo');
    // A cache folder of its own: the guard caches the base's tests there (the warm-up fills it), and the
    // user's cache is left alone.
    const env = childEnv(dir, { XDG_CACHE_HOME: join(dir, 'cache') });
    const uncachedEnv = { ...env, SLUICE_GUARD_CACHE: 'off' };
    const { base, expected } = await writeRepo(repo, env);
    const guardArgs = ['guard', '--json', '--base', base, '-C', repo];
    const outputs: Array<{ exitCode: number | null; stdout: string; stderr: string }> = [];
    const expectExit = (label: string, code: number) => (result: CommandResult) => {
      if (result.exitCode !== code) {
        throw new Error(`${label} exited ${result.exitCode ?? result.signal}:\n${result.stdout}\n${result.stderr}`);
      }
      return result.wallMs;
    };
    const [diffStat, guard, uncached] = await timeInterleaved(
      [
        {
          label: `git diff --stat <base> (${fileCount} files)`,
          run: () => runCommand('git', ['diff', '--stat', base], { cwd: repo, env }).then(expectExit('git diff', 0)),
        },
        {
          label: `sluice guard --json --base <base> (${fileCount} files)`,
          run: async () => {
            // Recorded, not thrown: wrong findings are a failed check, and still a timing.
            const result = await runSluice(guardArgs, { cwd: repo, env });
            outputs.push(result);
            return result.wallMs;
          },
        },
        {
          label: `same, base not cached (SLUICE_GUARD_CACHE=off: a base's first guard)`,
          run: async () => {
            const result = await runSluice(guardArgs, { cwd: repo, env: uncachedEnv });
            outputs.push(result);
            return result.wallMs;
          },
        },
      ],
      { rounds, warmups },
    );
    if (!diffStat || !guard || !uncached) throw new Error('missing timings');

    // One more, untimed, run with git's trace on: how many git processes the guard starts.
    const tracePath = join(dir, 'git-trace2.json');
    await runSluice(guardArgs, { cwd: repo, env: { ...env, GIT_TRACE2_EVENT: tracePath } });
    const git = await gitProcesses(tracePath);

    const checks = findingChecks(outputs, expected);
    const perFile = guard.medianMs / fileCount;
    const row = (timing: Timing) => [
      timing.label,
      formatTiming(timing),
      `${(timing.medianMs / fileCount).toFixed(1)} ms`,
      formatRatio(timing.medianMs / diffStat.medianMs),
    ];
    return {
      title: `Guard over a change to ${fileCount} test files (${fileCount * testsPerFile} tests at the base)`,
      method:
        `a git repository with ${fileCount} node:test files of ${testsPerFile} tests (3 assertions each), committed; ` +
        `then every file gets an 11th test, every 4th is reformatted (4-space indent, a call over several lines) ` +
        `and ${tamperedFiles.length} lose one assertion, uncommitted. ${rounds} timed rounds after ${warmups} ` +
        'warm-up, the commands interleaved; wall time of the whole child process with performance.now(); ' +
        'median (min–max); ratio of medians. The guard caches the tests of the base (its own cache folder, filled ' +
        'by the warm-up); the uncached row turns that off. The git processes are counted in one more, untimed run with ' +
        'GIT_TRACE2_EVENT.',
      table: {
        headers: ['Command', 'Wall time, median (min–max)', 'Per file', 'vs git diff --stat'],
        rows: [diffStat, guard, uncached].map(row),
      },
      targets: [
        {
          target: `guard over ${fileCount} changed test files, base cached: < ${targetMsPerFile} ms per file (${formatMs(targetMs)}) wall (2-core machine)`,
          measured: `${formatMs(guard.medianMs)} median, ${formatMs(guard.maxMs)} worst`,
          met: guard.medianMs < targetMs,
        },
      ],
      checks,
      notes: [
        `${perFile.toFixed(1)} ms per changed test file.`,
        `One guard run starts ${git.count} git processes (${git.byName}); together they ran ` +
          `${formatMs(git.gitMs)} (summed, from each git's start to its exit; they overlap).`,
      ],
    };
  });
}

/** Every run: exit 1, and exactly the expected assertions-removed findings. */
function findingChecks(
  outputs: Array<{ exitCode: number | null; stdout: string; stderr: string }>,
  expected: ExpectedFinding[],
): CheckOutcome[] {
  const problems: string[] = [];
  let shown = '';
  for (const [index, output] of outputs.entries()) {
    if (output.exitCode !== 1) {
      problems.push(`run ${index + 1}: exit ${output.exitCode}${output.stderr ? ` (${output.stderr.trim()})` : ''}`);
      continue;
    }
    let parsed: GuardJson;
    try {
      parsed = JSON.parse(output.stdout) as GuardJson;
    } catch {
      problems.push(`run ${index + 1}: stdout is not JSON`);
      continue;
    }
    const found = parsed.findings.map((finding) => `${finding.rule} ${finding.path}:${finding.line}`).sort();
    const wanted = expected.map((finding) => `assertions-removed ${finding.path}:${finding.line}`).sort();
    if (found.join('\n') !== wanted.join('\n')) problems.push(`run ${index + 1}: ${found.join(', ') || 'no findings'}`);
    shown ||= found.join(', ');
  }
  return [
    {
      check: `every run exits 1 with exactly the ${expected.length} assertions-removed findings (${outputs.length} runs)`,
      ok: outputs.length === 2 * (rounds + warmups) && problems.length === 0,
      detail: problems.length > 0 ? problems.slice(0, 3).join('; ') : shown,
    },
  ];
}

if (import.meta.main) await runAlone(benchGuardManyFiles);
