import { type AvaDetails, avaValues, isAvaLabel } from './ava-details.ts';
import { chooseLocation, type SourceLocation, summarizeMessage, textLines } from './failure-text.ts';
import type { Failure, ParsedReport, TestCounts } from './report-types.ts';

// ava's default reporter, which alone has both the test's file:line and the values (its TAP has no location):
//   ✘ [fail]: cart › total counts every unit            (progress; the error message may follow the title)
//   ─
//   cart › total counts every unit                      (the failure's title)
//   test/cart.test.js:19                                (where the assertion is)
//    19:   t.is(cartTotal(cart), 1050);                 (code excerpt)
//   Difference (- actual, + expected):  - 350  + 1050   (labelled details)
//   › file://test/cart.test.js:19:5                     (stack)
const failedLine = /^\s*✘ \[(?:fail|unexpected pass)\]: (.+)$/;
const passedLine = /^\s*✔ (?:\[expected fail\] )?\S/;
const skippedLine = /^\s*- \[(?:skip|todo)\] /;
const separatorLine = /^\s*─+\s*$/;
const fileErrorLine =
  /^\s*(?:(?:Uncaught exception|Unhandled rejection) in (\S+)|✘ (\S+) exited due to an error:|✘ (?:No tests found in|Exiting due to process\.exit\(\) when running) (\S+?),?(?: make sure.*)?)\s*$/;
const locationLine = /^\s*(?:file:\/\/)?([^\s:]+\.[cm]?[jt]sx?):(\d+)\s*$/;
// A SyntaxError is printed under the code it points at; the error line says more than the code.
const errorLine = /^(?:\w*Error|Uncaught\b)/;
const excerptLine = /^\s*(\d+):\s(.*)$/;
const stackLine = /^\s*›\s(.*)$/;
const logLine = /^\s*ℹ\s/;
const summaryLine = /^\s*(\d+) (tests?|known failures?|hooks?) (passed|failed|skipped|todo)?/;
const maxFileErrorLines = 40;

interface Block {
  location?: SourceLocation;
  code?: string;
  messageLines: string[];
  details: AvaDetails;
  stack: string[];
}

function readBlock(lines: string[]): Block {
  const block: Block = { messageLines: [], details: [], stack: [] };
  const excerpt = new Map<number, string>();
  let label: { label: string; value: string[] } | undefined;
  const closeLabel = () => {
    if (label) block.details.push({ label: label.label, value: label.value.join('\n') });
    label = undefined;
  };
  for (const line of lines) {
    const trimmed = line.trim();
    const location = block.location ? null : locationLine.exec(line);
    const stack = stackLine.exec(line);
    if (location?.[1]) block.location = { file: location[1], line: Number(location[2]) };
    else if (stack?.[1]) {
      closeLabel();
      block.stack.push(stack[1]);
    } else if (isAvaLabel(line)) {
      closeLabel();
      label = { label: trimmed, value: [] };
    } else if (label) {
      // A label's value starts after one blank line and ends at the next.
      if (trimmed === '' && label.value.length > 0) closeLabel();
      else if (trimmed !== '') label.value.push(line.replace(/^ {2}/, ''));
    } else {
      const code = excerptLine.exec(line);
      if (code?.[1] && block.stack.length === 0 && block.messageLines.length === 0) {
        excerpt.set(Number(code[1]), (code[2] ?? '').trim());
      } else if (trimmed !== '' && !logLine.test(line)) block.messageLines.push(trimmed);
    }
  }
  closeLabel();
  const code = block.location?.line === undefined ? undefined : excerpt.get(block.location.line);
  if (code) block.code = code;
  return block;
}

/** ava names a test "sub › b › title" after its file (test/sub/b.test.js); the location already says the file. */
function testName(label: string, file: string | undefined): string {
  const parts = label.split(' › ');
  if (file !== undefined) {
    const stem = file
      .replace(/\.(?:spec|test)\./, '.')
      .replace(/\.[^./]+$/, '')
      .replace(/(^|\/)test-/, '$1');
    for (let count = parts.length - 1; count >= 1; count--) {
      const prefix = parts.slice(0, count).join('/');
      if (stem === prefix || stem.endsWith(`/${prefix}`)) return parts.slice(count).join(' > ');
    }
  }
  return parts.join(' > ');
}

function failureOf(label: string | undefined, lines: string[], fileHint?: string): Failure {
  const block = readBlock(lines);
  const stackText = block.stack.map((frame) => `    at ${frame}`).join('\n');
  // Errors thrown in a test have no excerpt; their stack, printed as message lines, says where.
  const location =
    block.location ??
    chooseLocation(fileHint === undefined ? undefined : { file: fileHint }, `${stackText}\n${lines.join('\n')}`);
  const errorStart = block.messageLines.findIndex((line) => errorLine.test(line));
  const summary = summarizeMessage(block.messageLines.slice(Math.max(errorStart, 0)).join('\n'), 2);
  const message = [summary, block.code].filter(Boolean).join('\n') || block.details[0]?.label.replace(/:$/, '');
  return {
    ...(label !== undefined ? { test: testName(label, location?.file) } : {}),
    message: message || 'test failed',
    ...avaValues(block.details),
    ...(location ? { file: location.file, ...(location.line !== undefined ? { line: location.line } : {}) } : {}),
  };
}

function readCounts(lines: string[]): TestCounts | undefined {
  const counts: TestCounts = { total: 0, passed: 0, failed: 0, skipped: 0 };
  const summary: TestCounts = { total: 0, passed: 0, failed: 0, skipped: 0 };
  for (const line of lines) {
    if (failedLine.test(line)) counts.failed++;
    else if (passedLine.test(line)) counts.passed++;
    else if (skippedLine.test(line)) counts.skipped++;
    const match = summaryLine.exec(line);
    if (match?.[2]?.startsWith('test')) {
      const count = Number(match[1]);
      if (match[3] === 'passed') summary.passed = count;
      else if (match[3] === 'failed') summary.failed = count;
      else if (match[3] !== undefined) summary.skipped += count;
    }
  }
  const chosen = counts.passed + counts.failed + counts.skipped > 0 ? counts : summary;
  chosen.total = chosen.passed + chosen.failed + chosen.skipped;
  return chosen.total > 0 ? chosen : undefined;
}

/** Where each failure's block starts: a title line that some "✘ [fail]: title …" progress line announced. */
function titleStarts(lines: string[], from: number, failedLabels: string[]): Array<{ index: number; label: string }> {
  const starts: Array<{ index: number; label: string }> = [];
  for (let index = from; index < lines.length; index++) {
    const title = (lines[index] ?? '').trim();
    if (title === '' || (lines[index - 1] ?? '').trim() !== '') continue;
    if (failedLabels.some((label) => label === title || label.startsWith(`${title} `)))
      starts.push({ index, label: title });
  }
  return starts;
}

/** Reads ava's default reporter output (what `ava` prints without `--tap`): each failure with file:line and values. */
export function parseAva(text: string): ParsedReport {
  const lines = textLines(text);
  const failures: Failure[] = [];
  const failedLabels: string[] = [];
  let detailsStart = -1;
  let detailsEnd = lines.length;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const failed = failedLine.exec(line);
    if (failed?.[1]) failedLabels.push(failed[1].trim());
    if (separatorLine.test(line)) {
      if (detailsStart < 0) detailsStart = index + 1;
      else if (detailsEnd === lines.length) detailsEnd = index;
    }
    const fileError = fileErrorLine.exec(line);
    const file = fileError?.[1] ?? fileError?.[2] ?? fileError?.[3];
    if (file !== undefined && (detailsStart < 0 || index >= detailsEnd)) {
      let end = index + 1;
      while (end < lines.length && end < index + maxFileErrorLines && !isProgressLine(lines[end] ?? '')) end++;
      failures.push(failureOf(undefined, lines.slice(index + 1, end), file));
      index = end - 1;
    }
  }
  const starts = detailsStart < 0 ? [] : titleStarts(lines.slice(0, detailsEnd), detailsStart, failedLabels);
  starts.forEach((start, position) => {
    const end = starts[position + 1]?.index ?? detailsEnd;
    failures.push(failureOf(start.label, lines.slice(start.index + 1, end)));
  });
  // A failure announced but never detailed (the run was cut short) still counts, with what its line says.
  for (const label of failedLabels) {
    if (!starts.some((start) => label === start.label || label.startsWith(`${start.label} `))) {
      failures.push({ test: testName(label, undefined), message: 'test failed' });
    }
  }
  const counts = readCounts(lines);
  const problems: string[] = [];
  if (text.trim() === '') problems.push('report is empty');
  else if (failures.length === 0 && counts === undefined) problems.push('no ava output found: no ✔ or ✘ lines');
  return { format: 'ava', failures, ...(counts ? { counts } : {}), problems };
}

function isProgressLine(line: string): boolean {
  return /^\s*[✘✔] /.test(line) || skippedLine.test(line) || separatorLine.test(line) || fileErrorLine.test(line);
}
