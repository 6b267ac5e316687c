import { parse as parseYaml } from 'yaml';
import { type AvaDetails, avaThrownError, avaValues } from './ava-details.ts';
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
  // ava: at: 'file:///a/test.js:8:9' when a test threw (and a stack frame of its own when an assertion failed).
  const bareAt = typeof at === 'string' ? /^(?:file:\/\/)?(\/\S+?):(\d+):(\d+)$/.exec(at.trim()) : null;
  if (bareAt?.[1]) return { file: bareAt[1], line: Number(bareAt[2]), column: Number(bareAt[3]) };
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

// node:test leaves out `actual` (or `expected`) when it is undefined: its YAML cannot hold undefined.
const comparingOperator = /^(?:(?:deep|notDeep)?(?:Strict)?Equal|notStrictEqual|notEqual|==|===|!=|!==)$/i;

function comparedValues(diagnostics: Diagnostics): { expected?: string; received?: string } {
  const expected = scalarText(diagnostics.expected ?? diagnostics.wanted);
  const received = scalarText(diagnostics.actual ?? diagnostics.found);
  const compares = typeof diagnostics.operator === 'string' && comparingOperator.test(diagnostics.operator);
  if (!compares || (expected === undefined && received === undefined)) {
    return { ...(expected !== undefined ? { expected } : {}), ...(received !== undefined ? { received } : {}) };
  }
  const hasActual = 'actual' in diagnostics || 'found' in diagnostics;
  const hasExpected = 'expected' in diagnostics || 'wanted' in diagnostics;
  return {
    expected: hasExpected ? (expected ?? 'null') : 'undefined',
    received: hasActual ? (received ?? 'null') : 'undefined',
  };
}

// ava's TAP: `details` maps its labels ("Difference (- actual, + expected):") to their text.
function avaDetails(diagnostics: Diagnostics): AvaDetails {
  const details = diagnostics.details;
  if (!isJsonObject(details)) return [];
  return Object.entries(details).map(([label, value]) => ({ label, value: scalarText(value) ?? '' }));
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
  const details = avaDetails(diagnostics);
  // ava: "Error thrown in test" says less than the error; an empty message, less than the assertion ("t.is()").
  message = avaThrownError(details) ?? message;
  if (message === '' && typeof diagnostics.assertion === 'string') message = diagnostics.assertion;
  const { expected, received } = comparedValues(diagnostics);
  const values =
    expected !== undefined || received !== undefined
      ? {
          ...(expected !== undefined ? { expected: clip(expected) } : {}),
          ...(received !== undefined ? { received: clip(received) } : {}),
        }
      : details.length > 0
        ? avaValues(details)
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
