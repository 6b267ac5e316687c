import type { Failure } from './report-types.ts';
import { joinRustSides, rustAssertionSides, rustPanicLine, rustPanicTrailer } from './rust-panic.ts';
import { chooseLocation, type SourceLocation } from './source-locations.ts';
import { clip, scannedLines } from './text-lines.ts';

// The helpers the parsers share, in one place for them and for the rest of sluice.
export {
  type ChosenLocation,
  chooseLocation,
  findLocations,
  isSameFile,
  looksLikeTestFile,
  type SourceLocation,
} from './source-locations.ts';
export { clip, stripAnsi, textLines } from './text-lines.ts';

export interface ExpectedReceived {
  expected?: string;
  received?: string;
}

/** True for a stack frame line: "    at fn (file:1:2)", or node:test's "fn (file:1:2)" without "at". */
function isStackFrameLine(line: string): boolean {
  return (
    /^\s*at\s+\S/.test(line) || /^\s*\S[^()]*\((?:[^()]*:\d+:\d+|<anonymous>|native|index \d+)\)\s*\{?$/.test(line)
  );
}

// Headers of the diffs printed by node:assert, jest, vitest and pytest; they carry no content.
const diffHeaderPattern = /^(?:[+-] (?:actual|expected|received|snapshot):?(?:\s+[+-] \d+)?\s*)+$/i;
const bracketOnlyPattern = /^[{}[\]()]+,?$/;
// Source excerpts under an error: "4 |   return a + b", ">  6 |   expect(5).toBe(4);", "  |   ^".
const codeFramePattern = /^(?:>\s*)?\d*\s*\|/;
const diffLinePattern = /^([+-])\s+(.*\S)\s*$/;

/** The first meaningful lines of an error text: no stack, blank lines or diff headers; diff lines preferred. */
export function summarizeMessage(text: string, maxLines = 3): string {
  const meaningful: string[] = [];
  let hasDiffHeader = false;
  let hasValueBlocks = false;
  for (const rawLine of joinRustSides(scannedLines(text))) {
    if (isStackFrameLine(rawLine) || rustPanicTrailer.test(rawLine)) {
      if (meaningful.length > 0) break;
      continue;
    }
    if (rustPanicLine.test(rawLine)) continue;
    const line = rawLine.trim().replace(/^E(?:\s{2,}|$)/, '');
    if (line === '' || bracketOnlyPattern.test(line) || codeFramePattern.test(line)) continue;
    if (diffHeaderPattern.test(line)) {
      hasDiffHeader = true;
      hasValueBlocks ||= line.endsWith(':');
      continue;
    }
    meaningful.push(clip(meaningful.length === 0 ? line.replace(/^Error: (?=expect\()/, '') : line));
  }
  const [first, ...rest] = meaningful;
  if (first === undefined) return '';
  const diffLines = hasDiffHeader ? rest.filter((line) => diffLinePattern.test(line)) : [];
  // vitest's "- Expected:" / "+ Received:" blocks hold whole values, read as expected/received rather than shown.
  const chosen = diffLines.length > 0 || hasValueBlocks ? diffLines : rest;
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
  const lines = scannedLines(text);
  const rustSides = rustAssertionSides(lines);
  // assert_eq!(actual, expected) is the common Rust idiom, so left is taken as received; the message keeps both sides.
  if (rustSides) return { expected: cleanValue(rustSides.right), received: cleanValue(rustSides.left) };
  const plain = lines.join('\n');
  const thrown = thrownValues(plain);
  if (thrown) return thrown;
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

// jest: "Expected constructor: RangeError / Received constructor: TypeError / Received message: "bad"";
// vitest: "expected error to be instance of RangeError", then "+ Received:" and the error inspected as an object.
const jestExpectedClass = /^\s*Expected constructor: (\S+)/m;
const jestReceivedClass = /^\s*Received constructor: (\S+)/m;
const jestReceivedMessage = /^\s*Received message: +(.*\S)/m;
const vitestExpectedClass = /\bexpected error to be instance of (\w+)/;
const vitestReceivedError = /^\+ Received:\s*\n\s*(\w+) \{\s*\n\s*"message": "((?:[^"\\]|\\.)*)"/m;
const noThrow = /^\s*Received function did not throw\b/m;

/** For a toThrow(ErrorClass) failure: the class it expected, and the error it got (class and message). */
function thrownValues(plain: string): ExpectedReceived | undefined {
  const expected = jestExpectedClass.exec(plain)?.[1] ?? vitestExpectedClass.exec(plain)?.[1];
  if (expected === undefined) return undefined;
  const jestClass = jestReceivedClass.exec(plain)?.[1];
  const jestMessage = jestReceivedMessage.exec(plain)?.[1];
  const vitestError = vitestReceivedError.exec(plain);
  let received = noThrow.test(plain) ? 'no error thrown' : undefined;
  const message = jestMessage?.replace(/^"(.*)"$/, '$1').replaceAll('\\"', '"');
  if (jestClass) received = message ? `${jestClass}: ${message}` : jestClass;
  else if (vitestError?.[1]) received = `${vitestError[1]}: ${vitestError[2]?.replaceAll('\\"', '"')}`;
  // vitest's JSON report has the class it expected but not the error it got: better unknown than "error".
  if (received === undefined) return { expected: clip(expected) };
  return { expected: clip(expected), received: clip(received) };
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

/** Message, expected/received and location read out of a raw failure text (error message plus stack). */
export function describeFailureText(text: string, reported?: SourceLocation): Failure {
  const location = chooseLocation(reported, text);
  return { message: summarizeMessage(text), ...extractExpectedReceived(text), ...location };
}
