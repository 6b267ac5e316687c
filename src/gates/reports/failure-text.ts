import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import type { Failure } from './report-types.ts';

/** A place in the source, as precise as the text allows. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export interface ExpectedReceived {
  expected?: string;
  received?: string;
}

const maxLineLength = 300;
// Error texts can be huge (snapshot diffs, minified code); what we read is at their start.
const maxScannedLength = 20_000;
const maxScannedLineLength = 2_000;

/** Removes ANSI colour and cursor codes. */
export function stripAnsi(text: string): string {
  return stripVTControlCharacters(text);
}

/** Shortens one value or line to a length an agent can read at a glance. */
export function clip(text: string, maxLength = maxLineLength): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}

/** Splits text into lines, ANSI stripped, without the trailing carriage returns. */
export function textLines(text: string): string[] {
  return stripAnsi(text).split(/\r?\n/);
}

/** The start of a text, lines shortened, so that pattern searches stay fast on any input. */
function scannedLines(text: string): string[] {
  return textLines(text.slice(0, maxScannedLength)).map((line) => line.slice(0, maxScannedLineLength));
}

/** True for a stack frame line: "    at fn (file:1:2)", or node:test's "fn (file:1:2)" without "at". */
function isStackFrameLine(line: string): boolean {
  return (
    /^\s*at\s+\S/.test(line) || /^\s*\S[^()]*\((?:[^()]*:\d+:\d+|<anonymous>|native|index \d+)\)\s*\{?$/.test(line)
  );
}

// Headers of the diffs printed by node:assert, jest, vitest and pytest; they carry no content.
const diffHeaderPattern = /^(?:[+-] (?:actual|expected|received)(?:\s+[+-] \d+)?\s*)+$/i;
const bracketOnlyPattern = /^[{}[\]()]+,?$/;
// Source excerpts under an error: "4 |   return a + b", ">  6 |   expect(5).toBe(4);", "  |   ^".
const codeFramePattern = /^(?:>\s*)?\d*\s*\|/;
const diffLinePattern = /^([+-])\s+(.*\S)\s*$/;

/** The first meaningful lines of an error text: no stack, blank lines or diff headers; diff lines preferred. */
export function summarizeMessage(text: string, maxLines = 3): string {
  const meaningful: string[] = [];
  let hasDiffHeader = false;
  for (const rawLine of scannedLines(text)) {
    if (isStackFrameLine(rawLine)) {
      if (meaningful.length > 0) break;
      continue;
    }
    const line = rawLine.trim().replace(/^E(?:\s{2,}|$)/, '');
    if (line === '' || bracketOnlyPattern.test(line) || codeFramePattern.test(line)) continue;
    if (diffHeaderPattern.test(line)) {
      hasDiffHeader = true;
      continue;
    }
    meaningful.push(clip(meaningful.length === 0 ? line.replace(/^Error: (?=expect\()/, '') : line));
  }
  const [first, ...rest] = meaningful;
  if (first === undefined) return '';
  const diffLines = hasDiffHeader ? rest.filter((line) => diffLinePattern.test(line)) : [];
  const chosen = diffLines.length > 0 ? diffLines : rest;
  return [first, ...chosen].slice(0, maxLines).join('\n');
}

function cleanValue(value: string): string {
  return clip(value.trim().replace(/,$/, ''));
}

const labelledExpected =
  /^\s*(?:E\s+)?expected(?: value| substring| string| length| pattern| path| constructor)?\s*:\s*(\S.*)$/im;
const labelledReceived =
  /^\s*(?:E\s+)?(?:received|actual)(?: value| string| length| object| array| function)?\s*:\s*(\S.*)$/im;
const nodeComparison = /^\s*(.+?) (?:!==|!=) (.+?)\s*$/m;
const chaiAssertion =
  /\bexpected (.+?) to (?:not )?(?:deeply equal|strictly equal|equal|eql|be close to|be above|be below|be at least|be at most|be an instance of|be|contain|include|match|have a length of|have length of|have property|have been called with)\s+(.+?)(?:\s+\/\/ .*)?$/m;
const junitAssertion = /expected:?\s*<(.*?)> but was:?\s*<(.*?)>/;
const pytestAssertion = /^\s*(?:E\s+)?assert (.+?) == (.+?)\s*$/m;
const rustExpectedFound = /expected `(.+?)`, found `(.+?)`/;
const goGotWant = /(?:\bgot:?|=)\s*(.+?),?\s+want(?:ed)?:?\s+(.+?)\s*$/im;

function diffSides(lines: string[]): ExpectedReceived {
  const headerIndex = lines.findIndex((line) => diffHeaderPattern.test(line.trim()));
  if (headerIndex < 0) return {};
  const expected: string[] = [];
  const received: string[] = [];
  for (const line of lines.slice(headerIndex + 1)) {
    if (isStackFrameLine(line)) break;
    const match = diffLinePattern.exec(line.trim());
    if (!match?.[2] || diffHeaderPattern.test(line.trim())) continue;
    (match[1] === '-' ? expected : received).push(match[2]);
  }
  return {
    ...(expected.length > 0 ? { expected: clip(expected.join('\n')) } : {}),
    ...(received.length > 0 ? { received: clip(received.join('\n')) } : {}),
  };
}

/** The expected and received values an assertion text states, in whichever of the common phrasings it uses. */
export function extractExpectedReceived(text: string): ExpectedReceived {
  const plain = scannedLines(text).join('\n');
  const expectedLine = labelledExpected.exec(plain)?.[1];
  const receivedLine = labelledReceived.exec(plain)?.[1];
  if (expectedLine !== undefined && receivedLine !== undefined) {
    return { expected: cleanValue(expectedLine), received: cleanValue(receivedLine) };
  }
  const comparison = /Expected values to be (?:strictly |loosely )?equal:/.test(plain)
    ? nodeComparison.exec(plain)
    : null;
  if (comparison?.[1] && comparison[2]) {
    return { expected: cleanValue(comparison[2]), received: cleanValue(comparison[1]) };
  }
  const phrased = phrasedValues(plain);
  // chai shortens big values with "…"; then the diff below the message says more.
  if (phrased && !`${phrased.expected}${phrased.received}`.includes('…')) return phrased;
  const diff = diffSides(plain.split(/\r?\n/));
  if (diff.expected !== undefined || diff.received !== undefined) return diff;
  return phrased ?? {};
}

const phrasings: Array<[RegExp, 'received-first' | 'expected-first']> = [
  [chaiAssertion, 'received-first'],
  [junitAssertion, 'expected-first'],
  [rustExpectedFound, 'expected-first'],
  [pytestAssertion, 'received-first'],
  [goGotWant, 'received-first'],
];

// "expected 5 to be 4", "expected:<4> but was:<5>", "assert 5 == 4", "got 5, want 4".
function phrasedValues(plain: string): Required<ExpectedReceived> | undefined {
  for (const [pattern, order] of phrasings) {
    const match = pattern.exec(plain);
    if (match?.[1] === undefined || match[2] === undefined) continue;
    const [first, second] = [cleanValue(match[1]), cleanValue(match[2])];
    return order === 'received-first' ? { expected: second, received: first } : { expected: first, received: second };
  }
  return undefined;
}

function normalizePath(path: string): string {
  if (!path.startsWith('file://')) return path;
  try {
    return fileURLToPath(path);
  } catch {
    return path.slice('file://'.length);
  }
}

/** True for code that is not the project's own: dependencies, runtimes, test-runner internals. */
function isLibraryPath(path: string): boolean {
  return (
    /(^|\/)node_modules\//.test(path) ||
    path.includes('\\node_modules\\') ||
    /^(?:node:|internal\/|<anonymous>|native$)/.test(path) ||
    /\/src\/(?:runtime|testing|reflect|sync)\/[^/]+\.go$/.test(path) ||
    /\/(?:site-packages|dist-packages)\/|\/lib\/python\d/.test(path)
  );
}

const locationPatterns: RegExp[] = [
  // JavaScript stack frames: "at fn (file:///a.js:1:2)", "at /a.ts:1:2", node:test's "fn (/a.js:1:2)".
  /(?:^\s*at\s+(?:async\s+)?|\()((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?\s*\{?$/,
  // Compiler and test-log prefixes: "src/a.c:3:4: error", pytest's "tests/a.py:6: AssertionError", go's "a_test.go:12: msg".
  /^\s*(?:E\s+)?([^\s:()'"]+\.[A-Za-z0-9]+):(\d+)(?::(\d+))?:(?:\s|$)/,
  // JVM stack frames: "at com.acme.CartTest.total(CartTest.java:24)"; runtime and test-framework frames are skipped.
  /^\s*at\s+(?!(?:java|javax|jdk|sun|kotlin|junit|org\.junit|org\.opentest4j|org\.testng|org\.gradle|org\.apache\.maven)[./])[\w$./<>]+\(([\w$]+\.(?:java|kt|scala|groovy)):(\d+)\)/,
  // Python tracebacks: File "a.py", line 3, in f
  /^\s*File "([^"]+)", line (\d+)/,
  // Go panic stacks: "\t/home/dev/shop/cart.go:9 +0x1d"
  /^\s+(\/\S+\.go):(\d+)(?: \+0x[0-9a-f]+)?$/,
  // vitest's code frames: " ❯ test/a.test.ts:6:15", " ❯ fn src/a.ts:2:28"
  /^\s*❯\s+(?:\S+\s+)?([^\s()]+):(\d+):(\d+)\s*$/,
];

/** The source locations a text names, in order, library and runtime frames left out. */
export function findLocations(text: string): SourceLocation[] {
  const found: SourceLocation[] = [];
  for (const line of scannedLines(text)) {
    for (const pattern of locationPatterns) {
      const match = pattern.exec(line);
      if (!match?.[1] || !match[2]) continue;
      const file = normalizePath(match[1]);
      if (!isLibraryPath(file)) {
        found.push({ file, line: Number(match[2]), ...(match[3] ? { column: Number(match[3]) } : {}) });
      }
      break;
    }
  }
  return found;
}

/** True when two spellings of a path name the same file (absolute vs relative, or a bare file name). */
export function isSameFile(left: string, right: string): boolean {
  const [a, b] = [normalizePath(left).replaceAll('\\', '/'), normalizePath(right).replaceAll('\\', '/')];
  return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
}

/**
 * The best location for a failure: the report's own file, with the line of the first stack frame in that file
 * (the assertion rather than the test's declaration); else the report's location; else the first user frame.
 */
export function chooseLocation(reported: SourceLocation | undefined, text: string): ChosenLocation | undefined {
  const candidates = findLocations(text);
  const chosen = pickLocation(reported, candidates);
  const thrownAt = candidates[0];
  if (!chosen || !thrownAt || isSameFile(thrownAt.file, chosen.file)) return chosen;
  return { ...chosen, origin: `${thrownAt.file}:${thrownAt.line ?? ''}`.replace(/:$/, '') };
}

/** A location plus, when the error was raised in another file than the test's, where. */
export type ChosenLocation = SourceLocation & { origin?: string };

function pickLocation(reported: SourceLocation | undefined, candidates: SourceLocation[]): SourceLocation | undefined {
  if (reported) {
    const inReportedFile = candidates.find((candidate) => isSameFile(candidate.file, reported.file));
    if (inReportedFile) return { ...inReportedFile, file: reported.file };
    if (reported.line !== undefined || candidates.length === 0) return reported;
  }
  // An error thrown by the code under test: the agent needs the test's line too, so prefer the test file.
  return candidates.find((candidate) => looksLikeTestFile(candidate.file)) ?? candidates[0];
}

const testFilePattern =
  /(^|\/)(tests?|__tests__|spec)\/|\.(test|spec)\.[cm]?[jt]sx?$|_test\.(go|py)$|(^|\/)test_[^/]*\.py$|_spec\.rb$/;

/** True for paths that follow the test-file conventions of JS/TS, Python, Go and Ruby. */
export function looksLikeTestFile(path: string): boolean {
  return testFilePattern.test(path.replaceAll('\\', '/'));
}

/** Message, expected/received and location read out of a raw failure text (error message plus stack). */
export function describeFailureText(text: string, reported?: SourceLocation): Failure {
  const location = chooseLocation(reported, text);
  return { message: summarizeMessage(text), ...extractExpectedReceived(text), ...location };
}
