// What the process launcher saves per git call: captureProcess of `git rev-parse HEAD` with Node's own spawn
// against the same through the launcher (src/process/launcher/), interleaved, wall time and Node's CPU time
// (process.cpuUsage) per call; once as the bench process is, once with ~100 MB resident as in `sluice run`,
// since a fork copies the page tables of everything resident.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { type CaptureResult, captureProcess } from '../src/process/capture-process.ts';
import { processLauncher, useProcessLauncher } from '../src/process/launcher/shared-launcher.ts';
import {
  type BenchReport,
  type CheckOutcome,
  formatRatio,
  median,
  repoRoot,
  runAlone,
  timeInterleaved,
} from './support.ts';

const calls = 200;
const warmups = 10;
/** The point of the launcher: Node's main thread no longer pays for forking itself. */
const targetCpuRatio = 0.5;
/** And a call must not take longer for it. */
const targetWallRatio = 1.1;
const ballastMiB = 100;

interface Measured {
  label: string;
  wallMs: number;
  cpuMs: number;
}

export async function benchProcessLauncher(): Promise<BenchReport> {
  const results: CaptureResult[] = [];
  const expected = (await gitRevParse(false, results, [])).stdout;
  const measure = async (rssLabel: string): Promise<Measured[]> => {
    const cpu: Record<'direct' | 'launched', number[]> = { direct: [], launched: [] };
    const variant = (launched: boolean) => ({
      label: `${launched ? 'through the launcher' : "Node's own spawn"}, ${rssLabel}`,
      run: async () => (await gitRevParse(launched, results, cpu[launched ? 'launched' : 'direct'])).wallMs,
    });
    const timings = await timeInterleaved([variant(false), variant(true)], { rounds: calls, warmups });
    return timings.map((timing, index) => ({
      label: timing.label,
      wallMs: timing.medianMs,
      cpuMs: median((index === 0 ? cpu.direct : cpu.launched).slice(warmups)),
    }));
  };
  const launcherCpuBefore = launcherCpuMs();
  const bare = await measure(`Node at ${residentMiB()} MiB resident`);
  const ballast = Buffer.alloc(ballastMiB * 1024 * 1024, 1);
  const heavy = await measure(`Node at ${residentMiB()} MiB resident`);
  // Used after the calls, so it stays resident through them.
  ballast.fill(2);
  const launcherCpuMsPerCall = (launcherCpuMs() - launcherCpuBefore) / (2 * (calls + warmups));
  const ratio = (pair: Measured[], key: 'wallMs' | 'cpuMs') => (pair[1]?.[key] ?? 0) / (pair[0]?.[key] ?? 1);
  const checks: CheckOutcome[] = [
    {
      check: `all ${results.length} calls exited 0 and printed HEAD`,
      ok: results.every(
        (result) => result.status === 'exited' && result.exitCode === 0 && result.stdout.equals(expected),
      ),
    },
  ];
  return {
    title: 'Process launcher: Node CPU and wall time per git call',
    method:
      `${calls} calls of each after ${warmups} warm-up rounds, direct and launched interleaved (A B, A B, ...), ` +
      'captureProcess of `git rev-parse HEAD` in this repository; wall time of the whole call and Node CPU ' +
      '(process.cpuUsage, user + system, all threads) per call; medians; ratios of medians.',
    table: {
      headers: ['captureProcess', 'Wall, median', 'Node CPU, median', 'vs direct (wall / CPU)'],
      rows: [bare, heavy].flatMap((pair) =>
        pair.map((row, index) => [
          row.label,
          `${row.wallMs.toFixed(2)} ms`,
          `${row.cpuMs.toFixed(2)} ms`,
          index === 0
            ? '1.00x / 1.00x'
            : `${formatRatio(ratio(pair, 'wallMs'))} / ${formatRatio(ratio(pair, 'cpuMs'))}`,
        ]),
      ),
    },
    targets: [bare, heavy].flatMap((pair) => [
      {
        target: `Node CPU per call through the launcher <= ${targetCpuRatio}x the direct spawn (${pair[0]?.label.split(', ')[1]})`,
        measured: formatRatio(ratio(pair, 'cpuMs')),
        met: ratio(pair, 'cpuMs') <= targetCpuRatio,
      },
      {
        target: `wall per call through the launcher <= ${targetWallRatio}x the direct spawn (${pair[0]?.label.split(', ')[1]})`,
        measured: formatRatio(ratio(pair, 'wallMs')),
        met: ratio(pair, 'wallMs') <= targetWallRatio,
      },
    ]),
    checks,
    notes: [
      `The launcher's own CPU (Perl: read the request, fork, reap, reply): ${launcherCpuMsPerCall.toFixed(2)} ms per call ` +
        "(from /proc, 10 ms ticks over every call), off Node's main thread; git's own CPU is the same both ways.",
    ],
  };
}

async function gitRevParse(
  launched: boolean,
  results: CaptureResult[],
  cpuSamples: number[],
): Promise<{ wallMs: number; stdout: Buffer }> {
  useProcessLauncher(launched);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await captureProcess({
    file: 'git',
    args: ['rev-parse', 'HEAD'],
    cwd: repoRoot,
    env: Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => !!entry[1])),
    timeoutMs: 10_000,
  });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  cpuSamples.push((cpu.user + cpu.system) / 1000);
  results.push(result);
  return { wallMs, stdout: result.status === 'exited' ? result.stdout : Buffer.alloc(0) };
}

function residentMiB(): number {
  return Math.round(process.memoryUsage.rss() / 1024 / 1024);
}

/** The launcher's CPU time so far (utime + stime in /proc, clock ticks of 10 ms). */
function launcherCpuMs(): number {
  useProcessLauncher(true);
  const pid = processLauncher()?.pid;
  if (pid === undefined) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

if (import.meta.main) await runAlone(benchProcessLauncher);
