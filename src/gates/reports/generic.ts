import {
  extractExpectedReceived,
  findLocations,
  type SourceLocation,
  summarizeMessage,
  textLines,
} from './failure-text.ts';
import { type Candidate, dropRepeats, mergeSameTests } from './generic-candidates.ts';
import { nodeExitBanner, readThrownAt, refineThrownAt } from './node-load-error.ts';
import { pytestErrorText } from './pytest-errors.ts';
import type { Failure, ParsedReport } from './report-types.ts';
import { rustPanicLine, rustPanicTrailer } from './rust-panic.ts';

/** The most failures the plain-text reader returns; past that, more lines add noise, not help. */
export const maxGenericFailures = 20;

// Lines that name a failing test: vitest/jest "FAIL", pytest "FAILED x - msg" and "___ name ___", jest "●",
// node:test "✖", go "--- FAIL:", TAP "not ok", cargo "---- name stdout ----" and "test name ... FAILED".
const headerPatterns: RegExp[] = [
  /^\s*(?:FAIL|FAILED|ERROR)\s+(.+)$/,
  /^(?:---- (\S+) stdout ----|test (\S+) \.\.\. FAILED)$/,
  /^\s*(?:✖|✗|✘|×|❌|●)\s+(.+)$/,
  /^\s*not ok\b\s*\d*\s*-?\s*(.+)$/,
  /^\s*--- FAIL:\s+(\S+)/,
  /^_{3,} (.+?) _{3,}$/,
];
// Lines that say what went wrong.
const errorPatterns: RegExp[] = [
  /^\s*(?:E\s{2,}|\S+:\d+(?::\d+)?:?\s+)?(?:[\w$]+\.)*\w*(?:Error|Exception)(?: \[\w+\])?:\s*\S/,
  /(?:^|[\s:])(?:error|ERROR|Error)(?:\[[\w-]+\])?(?: TS\d+)?:\s*\S/,
  /^\s*panic:\s|\bpanicked at\b/,
  /^\s*E\s{2,}\S/,
  /^\s*(?:assert\b|Assertion(?:Error)? failed|expect\()/i,
];
// `file:line[:col]: message`, as compilers and linters print it; warnings are not failures.
const compilerLine =
  /^((?:[A-Za-z]:)?[^\s:()'"]+\.[A-Za-z]\w*):(\d+)(?::(\d+))?(?::| -)\s+(?!(?:warning|note|info)\b)(.+)$/;
const anySeverityCompilerLine = /^(?:[A-Za-z]:)?[^\s:()'"]+\.[A-Za-z]\w*:\d+(?::\d+)?(?::| -)(?:\s|$)/;
// "src/a.ts:3:7", "src/a.ts:3", or tsc's "src/a.ts(3,7)"; URLs ("http://host:80") are not places.
const inlineReference =
  /(?<![\w/]:\/\/\S*)((?:[A-Za-z]:)?[\w./\\@~+-]*\w\.[A-Za-z]\w*)(?::(\d+)(?::(\d+))?|\((\d+),(\d+)\))/;
const locationOnlyLine = /^\s*(?:❯|→|-->|at\s)/;
const noErrorsLine = /\b(?:0|no) (?:errors?|failures?)\b/i;
const pytestSection = /^_{3,} .+ _{3,}$/;
const pytestErrorLine = /^E\s/;
const pytestFrameLine = /^[^\s:]+\.py:\d+: in \S/;
const tracebackStart = /^\s*Traceback \(most recent call last\):/;
const maxBlockLines = 16;
const maxLineLength = 2_000;
// Enough to merge a long progress tree with its detail blocks, few enough that merging stays cheap.
const maxCandidates = 500;

function locationIn(line: string): SourceLocation | undefined {
  const fromFrames = findLocations(line)[0];
  if (fromFrames) return fromFrames;
  const match = inlineReference.exec(line);
  const lineText = match?.[2] ?? match?.[4];
  const columnText = match?.[3] ?? match?.[5];
  if (!match?.[1] || !lineText || match[1].includes('node_modules')) return undefined;
  return { file: match[1], line: Number(lineText), ...(columnText ? { column: Number(columnText) } : {}) };
}

function cleanTestName(raw: string): string {
  return raw
    .replace(/\s+#\s+(?:SKIP|TODO)\b.*$/i, '')
    .replace(/\s*\(\d+(?:\.\d+)?\s*m?s\)\s*$/, '')
    .replace(/\s+\d+(?:\.\d+)?\s*m?s$/, '')
    .replace(/^ERROR (?:at (?:setup|teardown) of |collecting )/, '')
    .replaceAll(' › ', ' > ')
    .trim();
}

function readHeader(line: string): Candidate | undefined {
  for (const pattern of headerPatterns) {
    const match = pattern.exec(line);
    const raw = (match?.[1] ?? match?.[2])?.trim();
    // "✖ failing tests:" and similar are section titles, not tests.
    if (raw === undefined || raw.endsWith(':')) continue;
    const [name = raw, inlineMessage] = raw.split(/ - (.*)/s);
    const test = cleanTestName(name);
    const headerLine = line.trim();
    if (inlineMessage?.trim()) return { test, message: inlineMessage.trim(), quality: 1, headerLine };
    return { test, quality: 0, headerLine };
  }
  return undefined;
}

function isErrorLine(line: string): boolean {
  return errorPatterns.some((pattern) => pattern.test(line)) && !noErrorsLine.test(line);
}

interface ErrorBlock {
  text: string;
  /** Index of the first line after the block. */
  end: number;
  location?: SourceLocation;
}

/** The lines that explain an error: from its first line to the next location, header or error, or a few lines on. */
function errorBlock(lines: string[], start: number): ErrorBlock {
  const first = lines[start] ?? '';
  const startsWithPlace = anySeverityCompilerLine.test(first);
  const isRustPanic = rustPanicLine.test(first);
  const block = [first];
  let index = start + 1;
  for (; index < lines.length && index <= start + maxBlockLines; index++) {
    const line = lines[index] ?? '';
    const continuesPytestBlock = pytestErrorLine.test(first) && pytestErrorLine.test(line);
    if (readHeader(line) || nodeExitBanner.test(line) || (isErrorLine(line) && !continuesPytestBlock)) break;
    // A panic's message ends at the backtrace or its hint, or at a blank line when neither is printed.
    if (isRustPanic && (line.trim() === '' || rustPanicTrailer.test(line))) break;
    const namesPlace = anySeverityCompilerLine.test(line);
    // The next compiler diagnostic starts a new entry; below a test failure, "file:line:" is where it happened.
    if (namesPlace && startsWithPlace) break;
    const location = locationOnlyLine.test(line) || namesPlace ? locationIn(line) : undefined;
    if (location) return { text: block.join('\n'), end: index + 1, location };
    block.push(line);
  }
  return { text: block.join('\n'), end: index };
}

function tracebackFailure(lines: string[], start: number): { candidate: Candidate; end: number } {
  let location: SourceLocation | undefined;
  let end = start + 1;
  for (; end < lines.length; end++) {
    const line = lines[end] ?? '';
    const frame = /^\s*File "([^"]+)", line (\d+)/.exec(line);
    if (frame?.[1] && !/site-packages|\/lib\/python\d/.test(frame[1])) {
      location = { file: frame[1], line: Number(frame[2]) };
    }
    if (/^\S/.test(line)) break;
  }
  const message = (lines[end] ?? 'Python traceback').trim();
  return { candidate: { message, quality: 2, ...(location ? { location } : {}) }, end };
}

function toFailure(candidate: Candidate): Failure {
  return {
    ...(candidate.test ? { test: candidate.test } : {}),
    message: candidate.message ?? candidate.headerLine ?? '',
    ...(candidate.expected !== undefined ? { expected: candidate.expected } : {}),
    ...(candidate.received !== undefined ? { received: candidate.received } : {}),
    ...candidate.location,
  };
}

/** Reads plain text for lines that look like failures and the `file:line` places they name; at most 20. */
export function parseGeneric(text: string): ParsedReport {
  // Long lines (minified code in a stack trace) are cut so the patterns below stay fast.
  const lines = textLines(text).map((line) => line.slice(0, maxLineLength));
  const candidates: Candidate[] = [];
  let current: Candidate | undefined;
  // A file that failed to load: where node says it threw, the error read below that, and then the file's ✖ line.
  let loadError: { location: SourceLocation; candidate?: Candidate } | undefined;
  let awaitingFile: Candidate | undefined;
  for (let index = 0; index < lines.length && candidates.length < maxCandidates; index++) {
    const line = lines[index] ?? '';
    const thrownAt = readThrownAt(lines, index);
    if (thrownAt) {
      // What follows belongs to the file named after it, not to the test read before.
      current = undefined;
      loadError = { location: thrownAt.location };
      index = thrownAt.end - 1;
      continue;
    }
    if (nodeExitBanner.test(line)) {
      awaitingFile = loadError?.candidate;
      loadError = undefined;
      continue;
    }
    if (tracebackStart.test(line)) {
      const { candidate, end } = tracebackFailure(lines, index);
      if (current && current.quality < 2) Object.assign(current, { ...candidate, test: current.test });
      else candidates.push(candidate);
      index = end;
      continue;
    }
    const header = readHeader(line);
    if (header && awaitingFile) {
      current = Object.assign(awaitingFile, { test: header.test });
      awaitingFile = undefined;
      continue;
    }
    if (line.trim() !== '') awaitingFile = undefined;
    if (header) {
      current = header;
      candidates.push(header);
      continue;
    }
    // In a pytest section, indented and ">" lines are the test's source ("    assert total == 5"), not its error.
    if (current?.headerLine && pytestSection.test(current.headerLine) && /^[\s>]/.test(line)) continue;
    // pytest's short tracebacks ("tests/test_a.py:1: in <module>") come before the E lines; the first is the test's.
    if (current && current.quality < 2 && !current.location && pytestFrameLine.test(line)) {
      const frame = findLocations(line)[0];
      if (frame) current.location = frame;
    }
    const compiled = current ? null : compilerLine.exec(line);
    if (!isErrorLine(line) && !compiled) continue;
    if (current && current.quality === 2) continue;
    const block = errorBlock(lines, index);
    const pytestError = pytestErrorLine.test(line) ? pytestErrorText(block.text) : undefined;
    // A compiler line's place is in its fields; the message is what follows "file:line:col: ".
    const messageText = compiled?.[4] ?? pytestError ?? block.text;
    const found: Candidate = {
      message: summarizeMessage(messageText) || line.trim(),
      quality: 2,
      ...extractExpectedReceived(block.text),
    };
    const location = locationIn(line) ?? block.location;
    if (loadError && !loadError.candidate && !current) {
      found.location = refineThrownAt(loadError.location, location);
      loadError.candidate = found;
    } else if (location) found.location = location;
    if (current) Object.assign(current, found);
    else {
      candidates.push(found);
      index = block.end - 1;
    }
  }
  const kept = dropRepeats(mergeSameTests(candidates));
  const informative = kept.some((candidate) => candidate.quality > 0)
    ? kept.filter((candidate) => candidate.quality > 0)
    : kept;
  const failures = informative.slice(0, maxGenericFailures).map(toFailure);
  return { format: 'generic', failures, problems: [] };
}
