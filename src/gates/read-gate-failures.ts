import { open, readFile, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { GateConfig } from '../config/schema.ts';
import { createRedactor, type Redact } from './redact-secrets.ts';
import { isSameFile, stripAnsi } from './reports/failure-text.ts';
import type { Failure, ParsedReport, TestCounts } from './reports/report-types.ts';

/** The most of a log that is parsed; failures are usually at the end, so the tail is kept. */
const maxLogBytes = 4 * 1024 * 1024;

/**
 * The most of a report that is parsed. A report's structure (XML, JSON) needs the whole file, and the
 * parsers hold several copies of it (a 200 MB JUnit file took 1.7 GB); a bigger one is not read at
 * all, and the failures come from the log, which is read with its own cap.
 */
export const maxReportBytes = 16 * 1024 * 1024;

export interface GateFailures {
  failures: Failure[];
  counts?: TestCounts;
  problems: string[];
  outputTail?: string[];
  /** The report the gate names was not there to read after its command (absent, or not a regular file). */
  reportAbsent?: true;
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
 * When the report says too little (no failure, "test failed", no place), the log is read too.
 */
export async function readGateFailures(options: ReadOptions): Promise<GateFailures> {
  const { gate, logFile, reportFile, passed, root, cwd } = options;
  // Loaded on demand: a check answered from the cache never pays for the parsers.
  const { parseReport } = await import('./reports/parse-report.ts');
  const problems: string[] = [];
  let report: ParsedReport | undefined;
  let reportAbsent = false;
  if (gate.report && reportFile) {
    const read = await readReport(reportFile);
    const name = relative(root, reportFile);
    reportAbsent = read.kind === 'missing' || read.kind === 'not-a-file';
    if (read.kind === 'missing') problems.push(`report ${name} was not written`);
    else if (read.kind === 'not-a-file') problems.push(`report ${name} is not a regular file; it was not read`);
    else if (read.kind === 'too-big') {
      problems.push(
        `report ${name} is too big to read (more than ${maxReportBytes / 1024 / 1024} MB); failures are read from the log instead`,
      );
    } else report = parseReport(gate.report.format, read.text);
  } else if (gate.report) {
    report = parseReport(gate.report.format, await readLogTail(logFile));
  }
  if (report) problems.push(...report.problems);
  let failures = report?.failures ?? [];
  let outputTail: string[] | undefined;
  const saysTooLittle = failures.length === 0 || failures.some(isVague) || failures.every((f) => !f.file);
  if (!passed && saysTooLittle) {
    const log = await readLogTail(logFile);
    const fromLog = parseReport('generic', log).failures.filter((failure) => !isVague(failure));
    if (failures.length === 0) failures = fromLog;
    else if (failures.some(isVague)) failures = explainVagueFailures(failures, fromLog);
    // Nothing names a place: a crash the parsers cannot see, so keep the end of the output.
    if (failures.every((failure) => !failure.file)) {
      outputTail = lastLines(log, failures.length === 0 ? tailLineCount : crashTailLineCount);
    }
  }
  const redact = createRedactor({ ...process.env, ...gate.env });
  return {
    failures: failures.map((failure) => redactFailure(relativizeFailure(failure, root, cwd), redact)),
    ...(report?.counts ? { counts: report.counts } : {}),
    problems,
    ...(outputTail ? { outputTail: outputTail.map(redact) } : {}),
    ...(reportAbsent ? { reportAbsent: true as const } : {}),
  };
}

function redactFailure(failure: Failure, redact: Redact): Failure {
  const redacted: Failure = { ...failure, message: redact(failure.message) };
  if (failure.expected !== undefined) redacted.expected = redact(failure.expected);
  if (failure.received !== undefined) redacted.received = redact(failure.received);
  if (failure.test !== undefined) redacted.test = redact(failure.test);
  return redacted;
}

const vagueMessages = new Set(['test failed', 'failed', 'error', 'collection failure', 'test failed.']);

/** "test failed" and the like: the runner knows something broke, but not what. */
function isVague(failure: Failure): boolean {
  const message = failure.message.trim().toLowerCase();
  return vagueMessages.has(message) || message === failure.test?.trim().toLowerCase();
}

/**
 * Replace each vague report failure by what the log says about the same test or file, and add the
 * log's errors that no test claims (a helper that threw while a test file was loading).
 */
function explainVagueFailures(fromReport: Failure[], fromLog: Failure[]): Failure[] {
  const unclaimed = [...fromLog];
  const explained: Failure[] = [];
  for (const failure of fromReport) {
    const matches = isVague(failure)
      ? unclaimed.filter(
          (candidate) =>
            (failure.test !== undefined && candidate.test === failure.test) ||
            (failure.file !== undefined && candidate.file !== undefined && isSameFile(candidate.file, failure.file)),
        )
      : [];
    if (matches.length === 0) {
      explained.push(failure);
      continue;
    }
    for (const match of matches) {
      unclaimed.splice(unclaimed.indexOf(match), 1);
      explained.push({ ...match, ...(failure.test ? { test: failure.test } : {}) });
    }
  }
  return [...explained, ...unclaimed.slice(0, maxUnclaimedLogFailures)];
}

const maxUnclaimedLogFailures = 10;
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

type ReportRead = { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'not-a-file' } | { kind: 'too-big' };

/**
 * Read at most `maxReportBytes` + 1 bytes: the size is judged by what is read, not by a stat that a
 * file still growing (or /dev/zero behind a symlink) would make wrong. A FIFO or device is not opened
 * for reading at all: a FIFO with no writer would block the check forever.
 */
async function readReport(path: string): Promise<ReportRead> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return { kind: 'missing' };
  if (!info.isFile()) return { kind: 'not-a-file' };
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch {
    return { kind: 'missing' };
  }
  try {
    // One byte more than the size seen: reading it proves the file grew since.
    let buffer = Buffer.alloc(Math.min(info.size, maxReportBytes) + 1);
    let length = 0;
    for (;;) {
      if (length > maxReportBytes) return { kind: 'too-big' };
      if (length === buffer.length) {
        const bigger = Buffer.alloc(Math.min(buffer.length * 2, maxReportBytes + 1));
        buffer.copy(bigger);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return { kind: 'text', text: buffer.toString('utf8', 0, length) };
  } finally {
    await handle.close();
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
