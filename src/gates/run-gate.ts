import { mkdirSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { gatePathOutsideRepository } from '../config/config-paths.ts';
import type { GateConfig } from '../config/schema.ts';
import { type ProcessResult, runProcess } from '../process/run-process.ts';
import type { BaselineWorktrees } from './bench/baseline-worktrees.ts';
import { describeGate, type GateResult } from './gate-results.ts';
import { judgeOutput } from './judge-output.ts';
import { readGateFailures } from './read-gate-failures.ts';
import { reportContradictsExit } from './report-contradicts-exit.ts';
import type { ServiceSet } from './services/service-set.ts';

export interface GateRunContext {
  /** Folder of sluice.yaml. */
  root: string;
  /** `.sluice/` under the root. */
  sluiceDir: string;
  signal?: AbortSignal;
  /** Told each gate's process group as it starts, so a successor can reap it if Sluice dies. */
  onProcessStart?: (group: { pgid: number; startTime: string | undefined }) => void;
  /** The check's services (already started for this gate); log gates read their logs. */
  services?: ServiceSet;
  /** The ref bench gates compare with unless they name their own `baseline`. */
  baseRef?: string;
  /** Where bench gates check their baseline out. */
  baselines?: BaselineWorktrees;
}

/** Run one gate: its command (judged by exit, report, invariant and log lines), or its bench, http or browser block. */
export async function runGate(name: string, gate: GateConfig, context: GateRunContext): Promise<GateResult> {
  const cwd = resolve(context.root, gate.cwd);
  // Synchronous: two metadata calls take microseconds, and through the thread pool each cost a round trip,
  // paid per gate (500 trivial gates spent more on these than on their own work).
  mkdirSync(join(context.sluiceDir, 'logs'), { recursive: true });
  if (!isDirectory(cwd)) {
    const reason = `its working directory ${relative(context.root, cwd) || '.'} does not exist`;
    return { ...describeGate(name, gate), status: 'failed', durationMs: 0, reason, failures: [], problems: [] };
  }
  const outside = await gatePathOutsideRepository(context.root, gate);
  if (outside)
    return {
      ...describeGate(name, gate),
      status: 'failed',
      durationMs: 0,
      reason: outside,
      failures: [],
      problems: [],
    };
  // Loaded when a gate needs them: most checks have none, and every check pays for what it loads.
  if (gate.bench) return (await import('./bench/run-bench-gate.ts')).runBenchGate(name, gate, context);
  if (gate.http) return (await import('./http/run-http-gate.ts')).runHttpGate(name, gate, context);
  if (gate.browser) return (await import('./browser/run-browser-gate.ts')).runBrowserGate(name, gate, context);
  const logFile = join(context.sluiceDir, 'logs', `${name}.log`);
  const result =
    gate.run === undefined
      ? { ...describeGate(name, gate), status: 'passed' as const, durationMs: 0, failures: [], problems: [] }
      : await runCommandGate(name, { ...gate, run: gate.run }, context, logFile);
  return judgeOutput(result, gate, { cwd, logFile, ...(context.services ? { services: context.services } : {}) });
}

/** The exit, report and output of a gate's command. */
async function runCommandGate(
  name: string,
  gate: GateConfig & { run: string },
  context: GateRunContext,
  logFile: string,
): Promise<GateResult> {
  const cwd = resolve(context.root, gate.cwd);
  const reportFile = gate.report?.path ? resolve(cwd, gate.report.path) : undefined;
  // Nor may an invariant judge the JSON an earlier run left behind.
  if (gate.invariant?.from) await rm(resolve(cwd, gate.invariant.from), { force: true });
  if (reportFile) {
    // A report left over from an earlier run must never be read as this run's result.
    await rm(reportFile, { force: true });
    await mkdir(resolve(reportFile, '..'), { recursive: true });
  }
  const outcome = await runProcess({
    command: gate.run,
    cwd,
    env: { ...gate.env, SLUICE_GATE: name },
    timeoutMs: gate.timeout,
    outputPath: logFile,
    // Nothing a gate started may outlive it (or a `sluice check` killed with -9).
    contain: true,
    ...(context.signal ? { signal: context.signal } : {}),
    ...(context.onProcessStart ? { onStart: context.onProcessStart } : {}),
  });
  const base = {
    ...describeGate(name, gate),
    durationMs: outcome.durationMs,
    logPath: relative(context.root, logFile),
  };
  const exitedZero = outcome.status === 'exited' && outcome.exitCode === 0;
  const shouldRead = !exitedZero || gate.report !== undefined;
  const read = shouldRead
    ? await readGateFailures({ gate, logFile, reportFile, passed: exitedZero, root: context.root, cwd })
    : { failures: [], problems: [] };
  const reportName = reportFile ? relative(context.root, reportFile) : '(read from its output)';
  const contradiction = exitedZero ? reportContradictsExit(gate, read, reportName) : undefined;
  const passed = exitedZero && contradiction === undefined;
  return {
    ...base,
    ...outcomeFields(outcome, gate.timeout),
    ...(contradiction ? { status: 'failed' as const, reason: contradiction } : {}),
    failures: passed ? [] : read.failures,
    ...(read.counts ? { counts: read.counts } : {}),
    problems: read.problems,
    ...(read.outputTail && !passed ? { outputTail: read.outputTail } : {}),
  };
}

function outcomeFields(outcome: ProcessResult, timeoutMs: number): Pick<GateResult, 'status' | 'exitCode' | 'reason'> {
  switch (outcome.status) {
    case 'exited': {
      const status = outcome.exitCode === 0 ? 'passed' : 'failed';
      const hint = shellExitHints[outcome.exitCode];
      return { status, exitCode: outcome.exitCode, ...(hint ? { reason: `exit ${outcome.exitCode}: ${hint}` } : {}) };
    }
    case 'signalled':
      return { status: 'failed', reason: `killed by ${outcome.signal}` };
    case 'timed-out':
      return {
        status: 'timed-out',
        reason: `timed out after ${formatSeconds(timeoutMs)}; its process group was killed`,
      };
    case 'cancelled':
      return { status: 'skipped', reason: 'cancelled' };
    case 'spawn-failed':
      return { status: 'failed', reason: `could not start: ${outcome.message}` };
  }
}

// What /bin/sh means by these codes, so the feedback does not just say "exit 127".
const shellExitHints: Record<number, string> = { 126: 'command not executable', 127: 'command not found' };

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
