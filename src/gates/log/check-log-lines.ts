import type { LogAssertions } from '../../config/log-schema.ts';
import type { Failure } from '../reports/report-types.ts';
import { clip } from '../reports/text-lines.ts';
import { compileTextPattern, type TextPattern } from '../text-pattern.ts';
import { type LogLine, readLogLines } from './read-log-lines.ts';

/** The failures of a log block, counted the way the gate's reason tells them. */
export interface LogCheck {
  failures: Failure[];
  /** `must` patterns no line matched. */
  missing: number;
  /** Lines that matched a `must_not` pattern. */
  forbiddenLines: number;
  /** Patterns that are not valid regular expressions. */
  invalidPatterns: number;
  /** Why the log could not be read at all (`the log of service "app" is missing`). */
  unreadable?: string;
}

const shownLines = 3;
const maxShownLength = 120;

/** Lines that must appear and must not: a Failure per missing `must` and per matching `must_not`. */
export async function checkLogLines(config: LogAssertions, logFile: string, label: string): Promise<Failure[]> {
  return (await checkLog(config, logFile, label)).failures;
}

/** As checkLogLines, with the counts for the gate's reason. */
export async function checkLog(config: LogAssertions, logFile: string, label: string): Promise<LogCheck> {
  const read = await readLogLines(logFile);
  if (!read.ok) {
    const unreadable = read.missing ? `${label} is missing` : `${label} cannot be read`;
    return {
      failures: [{ message: `${unreadable} (${read.missing ? 'no file' : read.error} ${logFile})` }],
      missing: 0,
      forbiddenLines: 0,
      invalidPatterns: 0,
      unreadable,
    };
  }
  const check: LogCheck = { failures: [], missing: 0, forbiddenLines: 0, invalidPatterns: 0 };
  const forbidden = new Set<number>();
  for (const [source, must] of [
    ...config.must.map((source) => [source, true] as const),
    ...config.must_not.map((source) => [source, false] as const),
  ]) {
    const pattern = compile(source);
    if (typeof pattern === 'string') {
      check.failures.push({ message: pattern });
      check.invalidPatterns++;
      continue;
    }
    const matches = read.lines.filter((line) => pattern.test(line.text));
    if (must && matches.length === 0) {
      check.failures.push({ message: missingMessage(pattern, read.lines, label) });
      check.missing++;
    } else if (!must && matches.length > 0) {
      check.failures.push({ message: forbiddenMessage(pattern, matches, label) });
      for (const line of matches) forbidden.add(line.number);
    }
  }
  check.forbiddenLines = forbidden.size;
  return check;
}

function compile(source: string): TextPattern | string {
  try {
    return compileTextPattern(source);
  } catch (error) {
    return (error as Error).message;
  }
}

function missingMessage(pattern: TextPattern, lines: LogLine[], label: string): string {
  const message = `missing: ${quote(pattern)} (no line of ${label} matches)`;
  if (isRegex(pattern)) return message;
  // A line that differs only in case is almost always the one that was meant.
  const wanted = pattern.source.toLowerCase();
  const near = lines.find((line) => line.text.toLowerCase().includes(wanted));
  return near ? `${message}\nonly if case is ignored: ${showLine(near)}` : message;
}

function forbiddenMessage(pattern: TextPattern, matches: LogLine[], label: string): string {
  const count = matches.length === 1 ? '1 line' : `${matches.length} lines`;
  const shown = matches.slice(0, shownLines).map(showLine);
  const more = matches.length > shownLines ? [`… and ${matches.length - shownLines} more`] : [];
  return [`forbidden: ${quote(pattern)} matches ${count} of ${label}`, ...shown, ...more].join('\n');
}

function showLine(line: LogLine): string {
  return `line ${line.number}: ${clip(line.text.trim(), maxShownLength)}`;
}

function quote(pattern: TextPattern): string {
  return isRegex(pattern) ? pattern.source : JSON.stringify(pattern.source);
}

function isRegex(pattern: TextPattern): boolean {
  // The same test compileTextPattern makes.
  return /^\/(.+)\/([dgimsuvy]*)$/s.test(pattern.source);
}
