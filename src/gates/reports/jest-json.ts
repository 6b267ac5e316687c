import { describeFailureText, type SourceLocation, summarizeMessage } from './failure-text.ts';
import { isJsonObject, numberField, readJsonDocument, stringField } from './json-document.ts';
import type { Failure, ParsedReport, TestCounts } from './report-types.ts';

function testName(assertion: Record<string, unknown>): string | undefined {
  const title = stringField(assertion, 'title');
  const ancestors = Array.isArray(assertion.ancestorTitles)
    ? assertion.ancestorTitles.filter((part): part is string => typeof part === 'string' && part !== '')
    : [];
  if (title !== undefined) return [...ancestors, title].join(' > ');
  return stringField(assertion, 'fullName');
}

function declaredLocation(assertion: Record<string, unknown>, file: string | undefined): SourceLocation | undefined {
  if (file === undefined) return undefined;
  const location = assertion.location;
  if (!isJsonObject(location)) return { file };
  const line = numberField(location, 'line');
  const column = numberField(location, 'column');
  return { file, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) };
}

function assertionFailure(assertion: Record<string, unknown>, file: string | undefined): Failure {
  const messages = Array.isArray(assertion.failureMessages)
    ? assertion.failureMessages.filter((message): message is string => typeof message === 'string')
    : [];
  const test = testName(assertion);
  const text = messages.join('\n');
  const described = describeFailureText(text, declaredLocation(assertion, file));
  return { ...(test !== undefined ? { test } : {}), ...described, message: described.message || 'test failed' };
}

// A file that failed before its tests ran (syntax error, failing import) has a message but no failed assertion.
function fileFailure(fileResult: Record<string, unknown>, file: string | undefined): Failure | undefined {
  const execError = isJsonObject(fileResult.testExecError) ? fileResult.testExecError : undefined;
  const fileMessage = stringField(fileResult, 'message') ?? '';
  // jest's testExecError.message is the bare error; its `message` adds a banner and a code frame.
  const message = summarizeMessage((execError && stringField(execError, 'message')) || fileMessage);
  if (message === '') return undefined;
  const locationText = [fileMessage, execError && stringField(execError, 'stack')].join('\n');
  return { ...describeFailureText(locationText, file === undefined ? undefined : { file }), message };
}

function readCounts(report: Record<string, unknown>): TestCounts | undefined {
  const total = numberField(report, 'numTotalTests');
  if (total === undefined) return undefined;
  const skipped = (numberField(report, 'numPendingTests') ?? 0) + (numberField(report, 'numTodoTests') ?? 0);
  return {
    total,
    passed: numberField(report, 'numPassedTests') ?? 0,
    failed: numberField(report, 'numFailedTests') ?? 0,
    skipped,
  };
}

/** Reads jest's `--json` report; vitest's `json` reporter writes the same shape. */
export function parseJestJson(text: string): ParsedReport {
  const { value, problems } = readJsonDocument(text, '{');
  const failures: Failure[] = [];
  if (value === undefined) return { format: 'jest-json', failures, problems };
  if (!isJsonObject(value) || !Array.isArray(value.testResults)) {
    problems.push('not a jest/vitest JSON report: no "testResults" list');
    return { format: 'jest-json', failures, problems };
  }
  for (const fileResult of value.testResults) {
    if (!isJsonObject(fileResult)) continue;
    const file = stringField(fileResult, 'name') ?? stringField(fileResult, 'testFilePath');
    const assertions = Array.isArray(fileResult.assertionResults) ? fileResult.assertionResults : [];
    let failedAssertions = 0;
    for (const assertion of assertions) {
      if (!isJsonObject(assertion) || assertion.status !== 'failed') continue;
      failures.push(assertionFailure(assertion, file));
      failedAssertions++;
    }
    if (failedAssertions === 0 && fileResult.status === 'failed') {
      const failure = fileFailure(fileResult, file);
      if (failure) failures.push(failure);
    }
  }
  const counts = readCounts(value);
  return { format: 'jest-json', failures, ...(counts ? { counts } : {}), problems };
}
