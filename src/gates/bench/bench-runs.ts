import { open, stat } from 'node:fs/promises';
import { monotonicNow } from '../../clock.ts';
import type { MetricConfig } from '../../config/bench-schema.ts';
import { type ProcessResult, runProcess } from '../../process/run-process.ts';
import { cpuTimedCommand, readCpuTime } from './cpu-time.ts';
import { instructionCountedCommand, readInstructionCount } from './instruction-count.ts';
import { countsInstructions, type RunTimes, readMetric, wantsCpuTime } from './read-metric.ts';

/** Which tree a run measures: the working tree under check, or the baseline's worktree. */
export type BenchSide = 'change' | 'baseline';

/** One run of the schedule; `index` counts from 0 within its side and phase. */
export interface ScheduledRun {
  side: BenchSide;
  warmup: boolean;
  index: number;
}

/**
 * Warm-up runs, then measured runs, per side; with a baseline the sides alternate in pairs whose
 * order flips each time (B,C then C,B ...), so a machine that drifts (heats up, gets busy) weighs on
 * both sides alike.
 */
export function benchSchedule(runs: number, warmup: number, withBaseline: boolean): ScheduledRun[] {
  const schedule: ScheduledRun[] = [];
  const phase = (count: number, isWarmup: boolean) => {
    for (let index = 0; index < count; index++) {
      if (!withBaseline) {
        schedule.push({ side: 'change', warmup: isWarmup, index });
        continue;
      }
      const pair: BenchSide[] = index % 2 === 0 ? ['baseline', 'change'] : ['change', 'baseline'];
      for (const side of pair) schedule.push({ side, warmup: isWarmup, index });
    }
  };
  phase(warmup, true);
  phase(runs, false);
  return schedule;
}

export interface BenchRunsOptions {
  command: string;
  /** Working directory and log file of each side; no `baseline` entry means no baseline runs. */
  sides: Partial<Record<BenchSide, { cwd: string; logFile: string }>> & { change: { cwd: string; logFile: string } };
  env: Record<string, string>;
  runs: number;
  warmup: number;
  metrics: Record<string, MetricConfig>;
  /** The whole schedule must end by then (a `monotonicNow()` time). */
  deadline: number;
  signal?: AbortSignal;
  onProcessStart?: (group: { pgid: number; startTime: string | undefined }) => void;
}

/** The numbers of each measured run, or the first run that spoiled the measurement. */
export type BenchRunsOutcome =
  | { status: 'measured'; samples: Record<BenchSide, Record<string, number[]>> }
  | { status: 'run-failed'; run: ScheduledRun; outcome: ProcessResult }
  | { status: 'metric-unreadable'; run: ScheduledRun; metric: string; problem: string };

/** Run the schedule, one process at a time, reading every metric after each measured run. */
export async function runBenchSchedule(options: BenchRunsOptions): Promise<BenchRunsOutcome> {
  const names = Object.keys(options.metrics);
  const empty = () => Object.fromEntries(names.map((name) => [name, [] as number[]]));
  const samples: Record<BenchSide, Record<string, number[]>> = { change: empty(), baseline: empty() };
  const schedule = benchSchedule(options.runs, options.warmup, options.sides.baseline !== undefined);
  const timesCpu = wantsCpuTime(options.metrics);
  // The schema keeps instruction counts and times out of one gate: valgrind would stretch the times.
  const countsWork = countsInstructions(options.metrics) !== undefined;
  for (const run of schedule) {
    const side = options.sides[run.side];
    if (!side) continue;
    const timed = timesCpu ? cpuTimedCommand(options.command, `${side.logFile}.cpu`) : undefined;
    const counted = countsWork ? await instructionCountedCommand(options.command) : undefined;
    const started = monotonicNow();
    const outcome = await runProcess({
      command: timed ? timed.command : (counted?.command ?? options.command),
      ...(timed ? { input: timed.input } : {}),
      cwd: side.cwd,
      env: { ...options.env, SLUICE_BENCH_SIDE: run.side },
      // At least a moment, so a spent budget ends as a timeout of this run rather than never starting it.
      timeoutMs: Math.max(1, Math.round(options.deadline - started)),
      outputPath: side.logFile,
      // A run that left a server behind would slow the next one down.
      contain: true,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProcessStart ? { onStart: options.onProcessStart } : {}),
    });
    const times: RunTimes = { wallMs: monotonicNow() - started };
    if (timed) times.cpu = await readCpuTime(timed);
    if (counted) times.instructions = await readInstructionCount(counted.dir);
    if (outcome.status !== 'exited' || outcome.exitCode !== 0) return { status: 'run-failed', run, outcome };
    if (run.warmup) continue;
    const output = await readOutput(side.logFile);
    for (const name of names) {
      const reading = await readMetric(options.metrics[name] as MetricConfig, output, times);
      if (!reading.ok) return { status: 'metric-unreadable', run, metric: name, problem: reading.problem };
      samples[run.side][name]?.push(reading.value);
    }
  }
  return { status: 'measured', samples };
}

/** What a benchmark prints is small; a huge log is read from its end, where the results are. */
const maxOutputBytes = 1024 * 1024;

async function readOutput(logFile: string): Promise<string> {
  const { size } = await stat(logFile);
  const handle = await open(logFile, 'r');
  try {
    const length = Math.min(size, maxOutputBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** `change run 3 of 7`, `baseline warm-up run 1 of 1`. */
export function describeRun(run: ScheduledRun, runs: number, warmup: number): string {
  return `${run.side} ${run.warmup ? 'warm-up ' : ''}run ${run.index + 1} of ${run.warmup ? warmup : runs}`;
}
