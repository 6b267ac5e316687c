import { parse as parseYaml } from 'yaml';
import {
  chooseLocation,
  clip,
  extractExpectedReceived,
  type SourceLocation,
  summarizeMessage,
} from './failure-text.ts';
import { isJsonObject } from './json-document.ts';
import type { Failure } from './report-types.ts';

type Diagnostics = Record<string, unknown>;

// Runner words that say a test failed without saying why; a preceding error printed as comments says more.
const vagueErrorPattern = /^(?:test failed|\d+ subtests? failed)$/;
const errorLinePattern = /^(?:\w*Error\b|Uncaught\b|panic:)/;
const maxYamlRetries = 3;

/** Reads a TAP YAML diagnostics block (already dedented); a block cut off early loses only its last lines. */
export function readDiagnostics(yamlText: string): Diagnostics {
  let lines = yamlText.split('\n');
  for (let attempt = 0; attempt <= maxYamlRetries && lines.length > 0; attempt++) {
    try {
      const value: unknown = parseYaml(lines.join('\n'), { logLevel: 'silent' });
      return isJsonObject(value) ? value : {};
    } catch {
      lines = lines.slice(0, -1);
    }
  }
  return {};
}

function scalarText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

// node:test: location: '/a/test.js:6:3'; node-tap: at: { file, line, column }; tape: at: 'fn (/a/test.js:5:5)'.
function reportedLocation(diagnostics: Diagnostics): SourceLocation | undefined {
  const location = diagnostics.location;
  if (typeof location === 'string') {
    const match = /^(.+?):(\d+)(?::(\d+))?$/.exec(location.trim());
    if (match?.[1]) {
      return { file: match[1], line: Number(match[2]), ...(match[3] ? { column: Number(match[3]) } : {}) };
    }
  }
  const at = diagnostics.at;
  if (isJsonObject(at)) {
    const file = at.file ?? at.fileName;
    const line = Number(at.line ?? at.lineNumber);
    const column = Number(at.column ?? at.columnNumber);
    if (typeof file === 'string') {
      return {
        file,
        ...(Number.isInteger(line) ? { line } : {}),
        ...(Number.isInteger(column) ? { column } : {}),
      };
    }
  }
  return undefined;
}

function messageFromComments(comments: string[]): string {
  const start = comments.findIndex((line) => errorLinePattern.test(line.trim()));
  return start < 0 ? '' : summarizeMessage(comments.slice(start).join('\n'));
}

/** The failure a `not ok` line and its diagnostics describe; `comments` are the lines printed just before it. */
export function failureFromDiagnostics(
  test: string,
  description: string,
  diagnostics: Diagnostics,
  comments: string[],
): Failure {
  const errorText = scalarText(diagnostics.error ?? diagnostics.message) ?? '';
  let message = summarizeMessage(errorText);
  // node:test puts the error class apart (`name: 'TypeError'`); it says what kind of failure this is.
  const errorName = typeof diagnostics.name === 'string' ? diagnostics.name : '';
  if (
    /^\w*Error$/.test(errorName) &&
    errorName !== 'AssertionError' &&
    message !== '' &&
    !message.startsWith(errorName)
  ) {
    message = `${errorName}: ${message}`;
  }
  if (message === '' || vagueErrorPattern.test(message)) message = messageFromComments(comments) || message;
  const expected = scalarText(diagnostics.expected ?? diagnostics.wanted);
  const received = scalarText(diagnostics.actual ?? diagnostics.found);
  const values =
    expected !== undefined || received !== undefined
      ? {
          ...(expected !== undefined ? { expected: clip(expected) } : {}),
          ...(received !== undefined ? { received: clip(received) } : {}),
        }
      : extractExpectedReceived(errorText);
  const stack = [scalarText(diagnostics.stack), typeof diagnostics.at === 'string' ? diagnostics.at : undefined]
    .filter((part) => part !== undefined)
    .join('\n');
  return {
    test,
    message: message || description || 'test failed',
    ...values,
    ...chooseLocation(reportedLocation(diagnostics), `${stack}\n${comments.join('\n')}`),
  };
}
