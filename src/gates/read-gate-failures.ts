import { open, readFile, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { GateConfig } from '../config/schema.ts';
import { stripAnsi } from './reports/failure-text.ts';
import type { Failure, ParsedReport, TestCounts } from './reports/report-types.ts';

/** The most of a log that is parsed; failures are usually at the end, so the tail is kept. */
const maxLogBytes = 4 * 1024 * 1024;

export interface GateFailures {
  failures: Failure[];
  counts?: TestCounts;
  problems: string[];
  outputTail?: string[];
}

interface ReadOptions {
  gate: GateConfig;
  logFile: string;
  reportFile: string | undefined;
  passed: boolean;
  root: string;
  /** The gate's working directory: relative paths in its output are relative to it. */
  cwd: string;
}

/**
 * Failures of a finished gate: from its report when it has one, else from its own output.
 * When a failed gate's report names no failure (it crashed before writing one), the log is read too.
 */
export async function readGateFailures(options: ReadOptions): Promise<GateFailures> {
  const { gate, logFile, reportFile, passed, root, cwd } = options;
  // Loaded on demand: a check answered from the cache never pays for the parsers.
  const { parseReport } = await import('./reports/parse-report.ts');
  const problems: string[] = [];
  let parsed: ParsedReport | undefined;
  if (gate.report && reportFile) {
    const text = await readFile(reportFile, 'utf8').catch(() => undefined);
    if (text === undefined) problems.push(`report ${relative(root, reportFile)} was not written`);
    else parsed = parseReport(gate.report.format, text);
  } else if (gate.report) {
    parsed = parseReport(gate.report.format, await readLogTail(logFile));
  }
  if (parsed) problems.push(...parsed.problems);
  let outputTail: string[] | undefined;
  if (!passed && (!parsed || parsed.failures.length === 0)) {
    const log = await readLogTail(logFile);
    const fromLog = parseReport('generic', log);
    parsed = { ...fromLog, ...(parsed?.counts ? { counts: parsed.counts } : {}) };
    if (fromLog.failures.length === 0) outputTail = lastLines(log, tailLineCount);
  }
  // Failures that name no place ("test failed") usually mean a crash the report cannot see: keep the output's end.
  if (!passed && !outputTail && parsed?.failures.every((failure) => failure.file === undefined)) {
    outputTail = lastLines(await readLogTail(logFile), crashTailLineCount);
  }
  const failures = (parsed?.failures ?? []).map((failure) => relativizeFailure(failure, root, cwd));
  return {
    failures,
    ...(parsed?.counts ? { counts: parsed.counts } : {}),
    problems,
    ...(outputTail ? { outputTail } : {}),
  };
}

const tailLineCount = 12;
const crashTailLineCount = 6;

function lastLines(text: string, count: number): string[] {
  return stripAnsi(text)
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(-count);
}

async function readLogTail(logFile: string): Promise<string> {
  try {
    const { size } = await stat(logFile);
    if (size <= maxLogBytes) return await readFile(logFile, 'utf8');
    const handle = await open(logFile, 'r');
    try {
      const buffer = Buffer.alloc(maxLogBytes);
      await handle.read(buffer, 0, maxLogBytes, size - maxLogBytes);
      return buffer.toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}

/** Paths in feedback are relative to the config folder, which is where the agent works. */
function relativizeFailure(failure: Failure, root: string, cwd: string): Failure {
  const relativized = { ...failure };
  if (failure.file) relativized.file = relativePath(failure.file, root, cwd);
  const origin = failure.origin ? /^(.*?)((?::\d+)*)$/.exec(failure.origin) : null;
  if (origin?.[1]) relativized.origin = `${relativePath(origin[1], root, cwd)}${origin[2] ?? ''}`;
  return relativized;
}

function relativePath(file: string, root: string, cwd: string): string {
  const inside = relative(root, resolve(cwd, file));
  return inside.startsWith('..') ? file : inside;
}
