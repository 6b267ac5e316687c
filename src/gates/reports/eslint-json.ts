import { clip, stripAnsi } from './failure-text.ts';
import { isJsonObject, numberField, readJsonDocument, stringField } from './json-document.ts';
import type { Failure, ParsedReport } from './report-types.ts';

const errorSeverity = 2;

function lintFailure(message: Record<string, unknown>, file: string | undefined): Failure | undefined {
  const isFatal = message.fatal === true;
  if (numberField(message, 'severity') !== errorSeverity && !isFatal) return undefined;
  const ruleId = stringField(message, 'ruleId');
  const line = numberField(message, 'line');
  const column = numberField(message, 'column');
  return {
    ...(ruleId ? { test: ruleId } : isFatal ? { test: 'parse error' } : {}),
    message: clip(stripAnsi(stringField(message, 'message') ?? 'lint error').trim()),
    ...(file !== undefined ? { file } : {}),
    ...(line !== undefined ? { line } : {}),
    ...(column !== undefined ? { column } : {}),
  };
}

/** Reads ESLint's `-f json` report: one failure per error-severity message; warnings are not failures. */
export function parseEslintJson(text: string): ParsedReport {
  const { value, problems } = readJsonDocument(text, '[');
  const failures: Failure[] = [];
  if (value === undefined) return { format: 'eslint-json', failures, problems };
  if (!Array.isArray(value)) {
    problems.push('not an ESLint JSON report: expected a list of files');
    return { format: 'eslint-json', failures, problems };
  }
  for (const fileResult of value) {
    if (!isJsonObject(fileResult) || !Array.isArray(fileResult.messages)) continue;
    const file = stringField(fileResult, 'filePath');
    for (const message of fileResult.messages) {
      if (!isJsonObject(message)) continue;
      const failure = lintFailure(message, file);
      if (failure) failures.push(failure);
    }
  }
  return { format: 'eslint-json', failures, problems };
}
