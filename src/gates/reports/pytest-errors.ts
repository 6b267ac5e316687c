import { textLines } from './text-lines.ts';

// pytest's `message` for errors outside a test's call names the phase, not the error: "collection failure",
// 'failed on setup with "KeyError: …"'. The body says what went wrong.
const vagueMessage = /^\s*(?:collection failure|failed on (?:setup|teardown) with\b)/;
const errorLine = /^E(?:\s|$)/;
const tracebackFrame = /^\s*File "[^"]+", line \d+/;
const caretOnly = /^\s*[~^]+\s*$/;

/** True for pytest's messages that name a phase rather than an error. */
export function isVaguePytestMessage(message: string): boolean {
  return vagueMessage.test(message);
}

/** The last run of `E   ` lines in a pytest body, without the `E`. */
function lastErrorBlock(lines: string[]): string[] {
  let last: string[] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (errorLine.test(line)) current.push(line.slice(1));
    else if (current.length > 0) [last, current] = [current, []];
  }
  return current.length > 0 ? current : last;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

// A SyntaxError shows its file, source and caret above "SyntaxError: …", indented deeper: the exception comes first.
function exceptionFirst(block: string[]): string[] {
  const shown = block.filter((line) => line.trim() !== '' && !caretOnly.test(line) && !tracebackFrame.test(line));
  const outermost = Math.min(...shown.map(indentOf));
  const exception = shown.findIndex((line) => indentOf(line) === outermost);
  return [shown[exception] ?? '', ...shown.filter((_, index) => index !== exception)].map((line) => line.trim());
}

// --tb=native: a plain Python traceback, the exception after its last frame and that frame's source lines.
function nativeException(lines: string[]): string[] {
  const start = lines.findIndex((line) => line.startsWith('Traceback (most recent call last):'));
  if (start < 0) return [];
  const lastFrame = Math.max(
    start,
    lines.findLastIndex((line) => tracebackFrame.test(line)),
  );
  const exception = lines.findIndex((line, index) => index > lastFrame && /^\S/.test(line));
  return exception < 0 ? [] : lines.slice(exception).filter((line) => line.trim() !== '');
}

/** The error a pytest failure body states: its last `E` lines, the exception line first, or a native traceback's. */
export function pytestErrorText(body: string): string | undefined {
  const lines = textLines(body);
  const block = lastErrorBlock(lines);
  const text = block.length > 0 ? exceptionFirst(block) : nativeException(lines);
  return text.length > 0 && text[0] !== '' ? text.join('\n') : undefined;
}
