import { clip, textLines } from './failure-text.ts';
import type { Failure, ParsedReport } from './report-types.ts';

// `src/a.ts(3,7): error TS2322: msg` (plain) and `src/a.ts:3:7 - error TS2322: msg` (--pretty).
const plainHeader = /^(.+?)\((\d+),(\d+)\): (error|warning|message) (TS\d+): (.*)$/;
const prettyHeader = /^(.+?):(\d+):(\d+) - (error|warning|message) (TS\d+): (.*)$/;
// Diagnostics without a file: `error TS5058: The specified path does not exist: 'x'.`
const globalHeader = /^(error|warning|message) (TS\d+): (.*)$/;
const summaryLine = /^Found (\d+) errors?\b/;
const notAssignable = /^(?:Type|Argument of type) '(.+)' is not assignable to (?:type|parameter of type) '(.+)'\.?$/;
const maxMessageLines = 3;

interface Diagnostic {
  failure: Failure;
  lines: string[];
}

function readHeader(line: string): { category: string; failure: Failure } | undefined {
  const located = plainHeader.exec(line) ?? prettyHeader.exec(line);
  if (located) {
    const [, file = '', lineText, columnText, category = '', code, message = ''] = located;
    return {
      category,
      failure: { test: code, message, file, line: Number(lineText), column: Number(columnText) },
    };
  }
  const global = globalHeader.exec(line);
  if (!global) return undefined;
  const [, category = '', code, message = ''] = global;
  return { category, failure: { test: code, message } };
}

// For "Type 'A' is not assignable to type 'B'" chains the innermost pair is the one to fix.
function assignability(lines: string[]): Pick<Failure, 'expected' | 'received'> {
  for (const line of [...lines].reverse()) {
    const match = notAssignable.exec(line);
    if (match?.[1] && match[2]) return { received: clip(match[1]), expected: clip(match[2]) };
  }
  return {};
}

function finish(diagnostic: Diagnostic): Failure {
  const lines = diagnostic.lines.map((line) => clip(line.trim())).filter((line) => line !== '');
  return { ...diagnostic.failure, message: lines.slice(0, maxMessageLines).join('\n'), ...assignability(lines) };
}

/** Reads tsc's output, plain or `--pretty`: one failure per error, with the chained explanation lines. */
export function parseTsc(text: string): ParsedReport {
  const failures: Failure[] = [];
  const problems: string[] = [];
  let current: Diagnostic | undefined;
  let reportedErrorCount: number | undefined;
  for (const line of textLines(text)) {
    const header = readHeader(line);
    if (header) {
      if (current) failures.push(finish(current));
      current = header.category === 'error' ? { failure: header.failure, lines: [header.failure.message] } : undefined;
      continue;
    }
    const summary = summaryLine.exec(line.trim());
    if (summary) reportedErrorCount = Number(summary[1]);
    // Chained explanations are indented and follow the header directly; a blank line ends them.
    if (current && /^\s+\S/.test(line) && current.lines.length > 0) {
      current.lines.push(line);
    } else if (current) {
      failures.push(finish(current));
      current = undefined;
    }
  }
  if (current) failures.push(finish(current));
  if (reportedErrorCount !== undefined && reportedErrorCount !== failures.length) {
    problems.push(`tsc reported ${reportedErrorCount} error(s) but ${failures.length} could be read`);
  }
  return { format: 'tsc', failures, problems };
}
