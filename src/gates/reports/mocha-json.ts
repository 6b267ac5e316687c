import { clip, describeFailureText, type SourceLocation } from './failure-text.ts';
import { isJsonObject, numberField, readJsonDocument, stringField } from './json-document.ts';
import type { Failure, ParsedReport, TestCounts } from './report-types.ts';

/**
 * mocha prints values through its own stringify: strings bare, arrays and objects over several lines without
 * commas. One line reads better in feedback: `[ "1.2.0" "1.9.0" ]`.
 */
function compactValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return undefined;
  const lines = text.split('\n').map((line) => line.trim());
  return clip(lines.length > 1 ? lines.filter(Boolean).join(' ') : text);
}

// fullTitle joins the suites and the title with spaces ("compare orders by major"); " > " shows where they part.
// Hooks fail as `"before each" hook for "test"`; the title says which test it stopped.
function testName(entry: Record<string, unknown>): string | undefined {
  const title = stringField(entry, 'title');
  const fullTitle = stringField(entry, 'fullTitle');
  if (title === undefined) return fullTitle;
  if (fullTitle === undefined || fullTitle === title || !fullTitle.endsWith(` ${title}`)) return fullTitle ?? title;
  return `${fullTitle.slice(0, -title.length - 1)} > ${title}`;
}

function failureOf(entry: Record<string, unknown>): Failure {
  const error = isJsonObject(entry.err) ? entry.err : {};
  const file = stringField(entry, 'file');
  const message = stringField(error, 'message') ?? '';
  const stack = stringField(error, 'stack') ?? '';
  // The stack starts with "Name: message"; without it (a thrown string) the message is all there is.
  const text = stack.includes(message.split('\n')[0] ?? '') ? stack : `${message}\n${stack}`;
  const reported: SourceLocation | undefined = file === undefined ? undefined : { file };
  const described = describeFailureText(text, reported);
  const expected = compactValue(error.expected);
  const received = compactValue(error.actual);
  const test = testName(entry);
  return {
    ...(test !== undefined ? { test } : {}),
    ...described,
    // With the values apart, the diff under the message only says them again.
    message:
      (expected !== undefined || received !== undefined ? described.message.split('\n')[0] : described.message) ||
      stringField(error, 'name') ||
      'test failed',
    // mocha keeps the compared values apart (node:assert, chai); they beat anything read out of the message.
    ...(expected !== undefined || received !== undefined
      ? { expected: expected ?? '?', received: received ?? '?' }
      : {}),
  };
}

function readCounts(stats: unknown): TestCounts | undefined {
  if (!isJsonObject(stats)) return undefined;
  const total = numberField(stats, 'tests');
  if (total === undefined) return undefined;
  return {
    total,
    passed: numberField(stats, 'passes') ?? 0,
    failed: numberField(stats, 'failures') ?? 0,
    skipped: numberField(stats, 'pending') ?? 0,
  };
}

/** Reads mocha's `--reporter json` output: `stats` and a `failures` list, each with `err` and the test's file. */
export function parseMochaJson(text: string): ParsedReport {
  const { value, problems } = readJsonDocument(text, '{');
  const failures: Failure[] = [];
  if (value === undefined) return { format: 'mocha-json', failures, problems };
  if (!isJsonObject(value) || !Array.isArray(value.failures)) {
    problems.push('not a mocha JSON report: no "failures" list');
    return { format: 'mocha-json', failures, problems };
  }
  for (const entry of value.failures) {
    if (isJsonObject(entry)) failures.push(failureOf(entry));
  }
  const counts = readCounts(value.stats);
  return { format: 'mocha-json', failures, ...(counts ? { counts } : {}), problems };
}
