import {
  describeFailureText,
  extractExpectedReceived,
  findLocations,
  summarizeMessage,
  textLines,
} from './failure-text.ts';
import { isJsonObject, stringField } from './json-document.ts';
import type { Failure, ParsedReport, TestCounts } from './report-types.ts';

interface TestEvent {
  action: string;
  /** `Package`, or `ImportPath` for go 1.24's build events. */
  packageName: string;
  test?: string;
  output?: string;
  failedBuild?: string;
}

// The runner's own lines around a test's log: "=== RUN   TestX", "--- FAIL: TestX (0.00s)", a bare "FAIL".
const runnerLine =
  /^\s*(?:=== (?:RUN|PAUSE|CONT|NAME)\b|--- (?:FAIL|PASS|SKIP):|(?:FAIL|PASS|ok)(?:\s|$)|exit status \d+$)/;
// Test logs start with "file_test.go:42: message".
const logLocation = /^\s*([^\s:]+\.go):(\d+): ?(.*)$/;
const compilerError = /^([^\s:]+\.go):(\d+):(\d+): (.+)$/;
// Build output printed to stderr (before go 1.24) may sit between the events; it is expected, not a problem.
const buildOutputLine = /^(?:# \S|[^\s:]+\.go:\d+:\d+: )/;
const maxListedBadLines = 3;

function toEvent(line: string): TestEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isJsonObject(value)) return undefined;
  const action = stringField(value, 'Action');
  if (action === undefined) return undefined;
  const test = stringField(value, 'Test');
  const output = stringField(value, 'Output');
  const failedBuild = stringField(value, 'FailedBuild');
  return {
    action,
    packageName: stringField(value, 'Package') ?? stringField(value, 'ImportPath') ?? '',
    ...(test !== undefined ? { test } : {}),
    ...(output !== undefined ? { output } : {}),
    ...(failedBuild !== undefined ? { failedBuild } : {}),
  };
}

// testify's block: keep "Not equal:", "expected: 4", "actual  : 5" and the user's message, drop the trace.
function withoutTestifyLabels(lines: string[]): string[] {
  const kept: string[] = [];
  let inTrace = false;
  for (const line of lines) {
    const trimmed = line.trim();
    if (/^Error Trace:/.test(trimmed)) inTrace = true;
    else if (inTrace && /^\S+\.go:\d+$/.test(trimmed)) continue;
    else inTrace = false;
    if (inTrace || /^Test:\s/.test(trimmed)) continue;
    kept.push(trimmed.replace(/^(?:Error|Messages):\s*/, ''));
  }
  return kept;
}

function logLines(output: string[]): string[] {
  return output
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '' && !runnerLine.test(line));
}

/** The failure of one test from its log lines, or undefined when it only failed through its subtests. */
function testFailure(test: string, output: string[], hasFailedSubtest: boolean): Failure | undefined {
  const ownLines = logLines(output);
  if (ownLines.length === 0 && hasFailedSubtest) return undefined;
  const panicLine = ownLines.find((line) => line.startsWith('panic: '));
  if (panicLine) {
    const location = findLocations(ownLines.join('\n'))[0];
    return { test, message: panicLine.replace(/ \[recovered\]$/, ''), ...location };
  }
  const logIndex = ownLines.findIndex((line) => logLocation.test(line));
  if (logIndex < 0) {
    const described = describeFailureText(ownLines.join('\n'));
    return { test, ...described, message: described.message || 'test failed' };
  }
  const [, file = '', lineText, firstMessage = ''] = logLocation.exec(ownLines[logIndex] ?? '') ?? [];
  const logText = withoutTestifyLabels([firstMessage, ...ownLines.slice(logIndex + 1)]).join('\n');
  return {
    test,
    message: summarizeMessage(logText) || 'test failed',
    ...extractExpectedReceived(logText),
    file,
    line: Number(lineText),
  };
}

/** A package that failed without a failing test: its compile errors, or whatever it printed. */
function packageFailures(packageName: string, lines: string[]): Failure[] {
  const compileErrors = lines.flatMap((line): Failure[] => {
    const match = compilerError.exec(line.trim());
    if (!match) return [];
    const [, file = '', lineText, columnText, message = ''] = match;
    return [{ test: packageName, message, file, line: Number(lineText), column: Number(columnText) }];
  });
  if (compileErrors.length > 0) return compileErrors;
  const ownLines = logLines(lines.map((line) => `${line}\n`)).filter((line) => !/^#\s/.test(line));
  const described = describeFailureText(ownLines.join('\n'));
  return [{ test: packageName, ...described, message: described.message || `package ${packageName} failed` }];
}

function appendTo(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Reads `go test -json` events: failing tests with their log lines, failed builds, and counts. */
export function parseGoTestJson(text: string): ParsedReport {
  const failures: Failure[] = [];
  const problems: string[] = [];
  const testOutput = new Map<string, string[]>();
  const buildOutput = new Map<string, string[]>();
  const failedTests: Array<{ packageName: string; test: string }> = [];
  const failedPackages: TestEvent[] = [];
  const packagesWithFailedTests = new Set<string>();
  const strayLines: string[] = [];
  const badLineNumbers: number[] = [];
  const counts: TestCounts = { total: 0, passed: 0, failed: 0, skipped: 0 };
  textLines(text).forEach((line, index) => {
    if (line.trim() === '') return;
    const event = toEvent(line.trim());
    if (!event) {
      strayLines.push(line);
      if (!buildOutputLine.test(line)) badLineNumbers.push(index + 1);
      return;
    }
    const key = `${event.packageName}\u0000${event.test ?? ''}`;
    if (event.action === 'build-output') appendTo(buildOutput, event.packageName, event.output ?? '');
    else if (event.output !== undefined) appendTo(testOutput, key, event.output);
    if (event.test === undefined) {
      if (event.action === 'fail') failedPackages.push(event);
      return;
    }
    if (event.action === 'pass') counts.passed++;
    else if (event.action === 'skip') counts.skipped++;
    else if (event.action === 'fail') {
      counts.failed++;
      failedTests.push({ packageName: event.packageName, test: event.test });
      packagesWithFailedTests.add(event.packageName);
    }
  });
  for (const { packageName, test } of failedTests) {
    const hasFailedSubtest = failedTests.some(
      (other) => other.packageName === packageName && other.test.startsWith(`${test}/`),
    );
    const output = testOutput.get(`${packageName}\u0000${test}`) ?? [];
    const failure = testFailure(packageName ? `${packageName} > ${test}` : test, output, hasFailedSubtest);
    if (failure) failures.push(failure);
  }
  // Lines that are not events (build errors on stderr before go 1.24) explain the first failed package.
  let unclaimedStrayLines = strayLines;
  for (const failedPackage of failedPackages) {
    if (packagesWithFailedTests.has(failedPackage.packageName) && !failedPackage.failedBuild) continue;
    const buildLines = buildOutput.get(failedPackage.failedBuild ?? '') ?? [];
    const packageLines = testOutput.get(`${failedPackage.packageName}\u0000`) ?? [];
    const allLines = [...buildLines.join('').split('\n'), ...unclaimedStrayLines, ...packageLines.join('').split('\n')];
    unclaimedStrayLines = [];
    failures.push(...packageFailures(failedPackage.packageName, allLines));
  }
  if (text.trim() === '') problems.push('report is empty');
  if (badLineNumbers.length > 0) {
    const listed = badLineNumbers.slice(0, maxListedBadLines).join(', ');
    const more =
      badLineNumbers.length > maxListedBadLines ? ` and ${badLineNumbers.length - maxListedBadLines} more` : '';
    problems.push(`${badLineNumbers.length === 1 ? 'line' : 'lines'} ${listed}${more}: not valid JSON`);
  }
  counts.total = counts.passed + counts.failed + counts.skipped;
  return { format: 'go-test-json', failures, ...(counts.total > 0 ? { counts } : {}), problems };
}
