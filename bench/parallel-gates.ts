// Four independent gates that each `sleep 1`: a sequential shell script, lefthook (parallel)
// and `sluice check --no-cache` at concurrency 4 and at its default (the number of cores).
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  type BenchReport,
  childEnv,
  formatMs,
  formatRatio,
  formatTiming,
  mustRun,
  repoRoot,
  runAlone,
  runCommand,
  runSluice,
  type Timing,
  timeInterleaved,
  withTempDir,
} from './support.ts';

const gateNames = ['one', 'two', 'three', 'four'];
const sleepSeconds = 1;
const rounds = 5;
const lefthookBin = join(repoRoot, 'node_modules', '.bin', 'lefthook');

// An explicit timeout: a benchmark must not depend on the default (which zod 4 currently leaves at 600 *ms*).
const sluiceYaml = `gates:\n${gateNames.map((name) => `  ${name}:\n    run: sleep ${sleepSeconds}\n    timeout: 30s\n`).join('')}`;
const lefthookYaml = `bench:\n  parallel: true\n  commands:\n${gateNames
  .map((name) => `    ${name}:\n      run: sleep ${sleepSeconds}\n`)
  .join('')}`;
const sequentialScript = `${gateNames.map(() => `sleep ${sleepSeconds}`).join('\n')}\n`;

export async function benchParallelGates(): Promise<BenchReport> {
  return withTempDir('parallel', async (dir) => {
    const env = childEnv(dir);
    await writeFile(join(dir, 'sluice.yaml'), sluiceYaml);
    await writeFile(join(dir, 'lefthook.yml'), lefthookYaml);
    await writeFile(join(dir, 'sequential.sh'), sequentialScript);
    await mustRun('git', ['init', '--quiet'], { cwd: dir, env }); // lefthook only runs inside a git repo

    const checkExit = (label: string) => (result: Awaited<ReturnType<typeof runCommand>>) => {
      if (result.exitCode !== 0) {
        throw new Error(`${label} exited ${result.exitCode ?? result.signal}:\n${result.stdout}\n${result.stderr}`);
      }
      return result.wallMs;
    };
    const defaultConcurrency = availableParallelism();
    const [sequential, lefthook, sluiceParallel, sluiceDefault] = await timeInterleaved(
      [
        {
          label: 'sequential shell script (sh sequential.sh)',
          run: () => runCommand('sh', ['sequential.sh'], { cwd: dir, env }).then(checkExit('sh')),
        },
        {
          label: 'lefthook run (parallel: true)',
          run: () =>
            runCommand(lefthookBin, ['run', 'bench', '--no-tty', '--no-auto-install'], { cwd: dir, env }).then(
              checkExit('lefthook'),
            ),
        },
        {
          label: 'sluice check --no-cache --concurrency 4',
          run: () =>
            runSluice(['check', '--no-cache', '--concurrency', '4', '-C', dir], { cwd: dir, env }).then(
              checkExit('sluice --concurrency 4'),
            ),
        },
        {
          label: `sluice check --no-cache (default: one per core, ${defaultConcurrency} here, more while gates wait)`,
          run: () => runSluice(['check', '--no-cache', '-C', dir], { cwd: dir, env }).then(checkExit('sluice')),
        },
      ],
      { rounds, warmups: 1 },
    );
    if (!sequential || !lefthook || !sluiceParallel || !sluiceDefault) throw new Error('missing timings');

    // The gates really ran (not cached, not skipped): every one passed, in parallel.
    const json = await runSluice(['check', '--no-cache', '--concurrency', '4', '--json', '-C', dir], { cwd: dir, env });
    const statuses = (JSON.parse(json.stdout) as { gates: Array<{ name: string; status: string }> }).gates.map(
      (gate) => `${gate.name}=${gate.status}`,
    );
    const allPassed = statuses.length === gateNames.length && statuses.every((status) => status.endsWith('=passed'));

    const row = (timing: Timing) => [
      timing.label,
      formatTiming(timing),
      formatRatio(timing.medianMs / sequential.medianMs),
      formatRatio(timing.medianMs / lefthook.medianMs),
    ];
    const vsSequential = sluiceParallel.medianMs / sequential.medianMs;
    const vsLefthook = sluiceParallel.medianMs / lefthook.medianMs;
    const defaultVsLefthook = sluiceDefault.medianMs / lefthook.medianMs;
    return {
      title: 'Parallel gates: four independent `sleep 1` gates',
      method:
        `${rounds} timed rounds after 1 warm-up, the four variants interleaved in each round; wall time of the ` +
        'whole child process (spawn to exit) with performance.now(); median (min–max); ratios of medians.',
      table: {
        headers: ['Runner', 'Wall time, median (min–max)', 'vs sequential', 'vs lefthook'],
        rows: [sequential, lefthook, sluiceParallel, sluiceDefault].map(row),
      },
      targets: [
        {
          target: 'sluice --concurrency 4 <= 0.40x the sequential script',
          measured: formatRatio(vsSequential),
          met: vsSequential <= 0.4,
        },
        {
          target: 'sluice --concurrency 4 <= 1.15x lefthook',
          measured: `${formatRatio(vsLefthook)} (+${formatMs(sluiceParallel.medianMs - lefthook.medianMs)})`,
          met: vsLefthook <= 1.15,
        },
        {
          target: 'sluice with default settings <= 1.10x lefthook (issue 16)',
          measured: `${formatRatio(defaultVsLefthook)} (+${formatMs(sluiceDefault.medianMs - lefthook.medianMs)})`,
          met: defaultVsLefthook <= 1.1,
        },
      ],
      checks: [{ check: 'every sluice gate ran and passed', ok: allPassed, detail: statuses.join(', ') }],
      notes: [
        `The default starts one gate per core (${defaultConcurrency} here) and more while the running gates wait ` +
          '(none of their processes runnable at two looks 40 ms apart) or cores sit idle, so four waiting gates ' +
          `overlap: ${formatMs(sluiceDefault.medianMs)}. CPU-bound gates keep every core busy and stay at one per core.`,
        'lefthook is started as npm installs it (node_modules/.bin/lefthook, a Node wrapper around the Go binary), ' +
          'with --no-tty --no-auto-install.',
      ],
    };
  });
}

if (import.meta.main) await runAlone(benchParallelGates);
