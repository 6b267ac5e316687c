// What containment costs per spawn: runProcess of `/bin/true` plain against the same with `contain: true`
// (the mechanism this machine gets: a PID namespace under setpriv + unshare + a Perl init, or the
// process-group fallback), interleaved, plus the one-time probe that picks the mechanism.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { containmentPlan, describeContainment } from '../src/process/containment.ts';
import { type ProcessResult, runProcess } from '../src/process/run-process.ts';
import {
  type BenchReport,
  type CheckOutcome,
  formatMs,
  formatRatio,
  formatTiming,
  runAlone,
  timeInterleaved,
  withTempDir,
} from './support.ts';

const spawns = 200;
const warmups = 5;
/** An agent turn or a gate takes seconds; a few milliseconds per spawn is noise next to it. */
const targetExtraMs = 15;

export async function benchContainmentOverhead(): Promise<BenchReport> {
  const probeStarted = performance.now();
  containmentPlan();
  const probeMs = performance.now() - probeStarted;
  const containment = describeContainment();
  return withTempDir('containment', async (dir) => {
    const statuses: Record<'plain' | 'contained', ProcessResult[]> = { plain: [], contained: [] };
    const spawn = (contain: boolean) => async () => {
      const started = performance.now();
      const result = await runProcess({
        command: { file: '/bin/true', args: [] },
        cwd: dir,
        timeoutMs: 10_000,
        outputPath: join(dir, 'out.log'),
        contain,
      });
      const wallMs = performance.now() - started;
      statuses[contain ? 'contained' : 'plain'].push(result);
      return wallMs;
    };
    const [plain, contained] = await timeInterleaved(
      [
        { label: 'runProcess /bin/true', run: spawn(false) },
        { label: `runProcess /bin/true, contain: true (${containment.mechanism})`, run: spawn(true) },
      ],
      { rounds: spawns, warmups },
    );
    if (!plain || !contained) throw new Error('missing timings');
    const leftover = await withTempDir('containment-daemon', (daemonDir) => daemonLeftBehind(daemonDir));
    const allExited = (results: ProcessResult[]) =>
      results.every((result) => result.status === 'exited' && result.exitCode === 0);
    const checks: CheckOutcome[] = [
      { check: `all ${spawns + warmups} plain spawns exited 0`, ok: allExited(statuses.plain) },
      { check: `all ${spawns + warmups} contained spawns exited 0`, ok: allExited(statuses.contained) },
      {
        check: 'a contained command that starts a setsid daemon and exits leaves no process behind',
        ok: leftover.length === 0,
        ...(leftover.length > 0 ? { detail: `still running: ${leftover.join(', ')}` } : {}),
      },
    ];
    const extraMs = contained.medianMs - plain.medianMs;
    return {
      title: 'Containment: the cost per spawn of `contain: true`',
      method:
        `${spawns} spawns of each after ${warmups} warm-up rounds, plain and contained interleaved (A B, A B, ...); ` +
        'wall time of the whole runProcess call (spawn to resolved, including the reap of what is left); ' +
        'median (min–max); ratio of medians.',
      table: {
        headers: ['Spawn', 'Wall time, median (min–max)', 'vs plain'],
        rows: [plain, contained].map((timing) => [
          timing.label,
          formatTiming(timing),
          formatRatio(timing.medianMs / plain.medianMs),
        ]),
      },
      targets: [
        {
          target: `contained spawn costs <= ${formatMs(targetExtraMs)} more than a plain one`,
          measured: `+${extraMs.toFixed(1)} ms`,
          met: extraMs <= targetExtraMs,
        },
      ],
      checks,
      notes: [
        `Mechanism here: ${containment.mechanism} (${containment.kernelEnforced ? 'kernel-enforced' : 'best effort'}): ${containment.note}.`,
        `Picking it costs ${formatMs(probeMs)} once per Sluice process (a trial spawn in a namespace).`,
        `Per spawn: +${extraMs.toFixed(1)} ms, paid once per agent turn, gate, bench run and setup command, each of ` +
          'which runs for seconds.',
      ],
    };
  });
}

/** Run a contained command that leaves a setsid daemon; the daemons still running afterwards (should be none). */
async function daemonLeftBehind(dir: string): Promise<number[]> {
  const token = String(9_000_000 + (process.pid % 1_000_000));
  await runProcess({
    command: `setsid sh -c 'touch ready; exec sleep ${token}' & while [ ! -e ready ]; do sleep 0.01; done`,
    cwd: dir,
    timeoutMs: 10_000,
    outputPath: join(dir, 'out.log'),
    contain: true,
  });
  const left: number[] = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const [program = '', argument] = readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0');
      if (program.endsWith('sleep') && argument === token) left.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  for (const pid of left) process.kill(pid, 'SIGKILL');
  return left;
}

if (import.meta.main) await runAlone(benchContainmentOverhead);
