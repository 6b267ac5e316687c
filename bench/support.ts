// Shared by the benchmarks: running and timing child processes, temp dirs, figures and tables.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

export const repoRoot = resolve(import.meta.dirname, '..');
export const sluiceBin = join(repoRoot, 'bin', 'sluice.js');
/** The Node that runs the benchmarks (22, via npm's PATH) runs Sluice and every gate too. */
export const nodeBin = process.execPath;

/** What a benchmark hands to run-all: its figures as a table, its targets, and how it measured. */
export interface BenchReport {
  title: string;
  method: string;
  table: MarkdownTable;
  targets: TargetResult[];
  /** Correctness checks the figures depend on (all gates cached, feedback names every failure...). */
  checks: CheckOutcome[];
  notes: string[];
  /** Optional Markdown after the method line (an example output, say). */
  appendix?: string;
}

export interface TargetResult {
  target: string;
  measured: string;
  met: boolean;
}

export interface CheckOutcome {
  check: string;
  ok: boolean;
  detail?: string;
}

export interface MarkdownTable {
  headers: string[];
  rows: string[][];
}

export interface CommandResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time of the whole child process, spawn to close. */
  wallMs: number;
}

export interface CommandOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the child's whole process group after this long (a hung run must not hang the benchmark). */
  timeoutMs?: number;
}

/**
 * Environment for every child: the benchmark's Node first on PATH (so `node` in a gate is Node 22),
 * no colours, and Node's compile cache inside the benchmark's temp dir so nothing is left behind.
 */
export function childEnv(tempDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: [dirname(nodeBin), join(repoRoot, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter),
    NO_COLOR: '1',
    NODE_COMPILE_CACHE: join(tempDir, '.node-compile-cache'),
    // The hooks' session records and gate caches (the user's state folder) stay in the benchmark's folder.
    XDG_STATE_HOME: join(tempDir, '.state'),
    ...extra,
  };
}

/** Run a command to completion and time it from spawn to close. */
export function runCommand(file: string, args: string[], options: CommandOptions): Promise<CommandResult> {
  return new Promise((resolveRun, rejectRun) => {
    const started = performance.now();
    // Its own process group, so a timeout can kill the child and everything it started.
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) killGroup(child.pid);
    }, options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      rejectRun(error);
    });
    child.on('close', (exitCode, signal) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      resolveRun({
        exitCode,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        wallMs,
      });
    });
  });
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Run `node bin/sluice.js <args>` with the benchmark's Node. */
export function runSluice(args: string[], options: CommandOptions): Promise<CommandResult> {
  return runCommand(nodeBin, [sluiceBin, ...args], options);
}

/** A command that must succeed (or exit with `expectedExit`); throws with its output otherwise. */
export async function mustRun(
  file: string,
  args: string[],
  options: CommandOptions & { expectedExit?: number },
): Promise<CommandResult> {
  const result = await runCommand(file, args, options);
  const expected = options.expectedExit ?? 0;
  if (result.exitCode !== expected) {
    throw new Error(
      `${[file, ...args].join(' ')} exited ${result.exitCode ?? result.signal}, expected ${expected}\n` +
        `--- stdout ---\n${tail(result.stdout)}\n--- stderr ---\n${tail(result.stderr)}`,
    );
  }
  return result;
}

function tail(text: string, lines = 30): string {
  return text.split('\n').slice(-lines).join('\n');
}

/** Wall times of repeated runs of one variant. */
export interface Timing {
  label: string;
  samplesMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
}

export function summarize(label: string, samplesMs: number[]): Timing {
  if (samplesMs.length === 0) throw new Error(`no samples for ${label}`);
  return {
    label,
    samplesMs,
    medianMs: median(samplesMs),
    minMs: Math.min(...samplesMs),
    maxMs: Math.max(...samplesMs),
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

/** One timed variant: a run that returns its wall time (and throws when the run is not valid). */
export interface Variant {
  label: string;
  run: () => Promise<number>;
}

/**
 * Time several variants round-robin (A B C, A B C, ...) so drift in machine load hits all of them
 * alike; `warmups` untimed rounds first fill the OS file cache and Node's compile cache.
 */
export async function timeInterleaved(
  variants: Variant[],
  options: { rounds: number; warmups: number },
): Promise<Timing[]> {
  const samples = variants.map(() => [] as number[]);
  for (let round = 0; round < options.warmups + options.rounds; round++) {
    for (const [index, variant] of variants.entries()) {
      const wallMs = await variant.run();
      if (round >= options.warmups) samples[index]?.push(wallMs);
    }
  }
  return variants.map((variant, index) => summarize(variant.label, samples[index] ?? []));
}

/** A fresh temp dir under os.tmpdir(), removed afterwards whatever happens. */
export async function withTempDir<T>(prefix: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), `sluice-bench-${prefix}-`));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export function formatRatio(ratio: number): string {
  return `${ratio < 10 ? ratio.toFixed(2) : ratio.toFixed(1)}x`;
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction < 0.1 ? 2 : 1)}%`;
}

export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** "median (min–max)" of a timing. */
export function formatTiming(timing: Timing): string {
  return `${formatMs(timing.medianMs)} (${formatMs(timing.minMs)}–${formatMs(timing.maxMs)})`;
}

/** A Markdown table with padded columns (the layout Biome's formatter gives it). */
export function markdownTable(table: MarkdownTable): string {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|');
  const rows = [table.headers, ...table.rows].map((row) => row.map(escapeCell));
  const widths = table.headers.map((_, column) => Math.max(3, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${widths.map((width, column) => (cells[column] ?? '').padEnd(width)).join(' | ')} |`;
  const [header = [], ...body] = rows;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}

export function machineDescription(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${availableParallelism()} cores (${model}), ${process.platform} ${process.arch}, Node ${process.version}`;
}

/** The report as Markdown: table, targets, checks, notes. Used by each benchmark alone and by run-all. */
export function renderReport(report: BenchReport, headingLevel = 2): string {
  const heading = '#'.repeat(headingLevel);
  const parts = [`${heading} ${report.title}`, '', markdownTable(report.table), ''];
  if (report.targets.length > 0) {
    parts.push(
      markdownTable({
        headers: ['Target', 'Measured', 'Met'],
        rows: report.targets.map((target) => [target.target, target.measured, target.met ? 'yes' : '**NO**']),
      }),
      '',
    );
  }
  for (const check of report.checks) {
    parts.push(`- ${check.ok ? 'ok' : '**FAIL**'}: ${check.check}${check.detail ? ` — ${check.detail}` : ''}`);
  }
  if (report.checks.length > 0) parts.push('');
  for (const note of report.notes) parts.push(`- ${note}`);
  if (report.notes.length > 0) parts.push('');
  parts.push(`Method: ${report.method}`);
  if (report.appendix) parts.push('', report.appendix);
  return parts.join('\n');
}

/**
 * Entry point of a benchmark run alone: print its report; exit 1 when a correctness check failed
 * (a missed target is a finding, not an error).
 */
export async function runAlone(benchmark: () => Promise<BenchReport>): Promise<void> {
  console.log(`Machine: ${machineDescription()}\n`);
  const report = await benchmark();
  console.log(renderReport(report));
  const failed = report.checks.filter((check) => !check.ok);
  if (failed.length > 0) {
    console.error(`\nFAIL: ${failed.map((check) => check.check).join('; ')}`);
    process.exitCode = 1;
  }
}
