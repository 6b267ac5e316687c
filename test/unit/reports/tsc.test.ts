import { describe, expect, it } from 'vitest';
import { parseTsc } from '../../../src/gates/reports/tsc.ts';
import { readFixture } from './read-fixture.ts';

const expectedFailures = [
  {
    test: 'TS2322',
    message: "Type 'string' is not assignable to type 'number'.",
    file: 'src/order.ts',
    line: 7,
    column: 9,
    received: 'string',
    expected: 'number',
  },
  {
    test: 'TS2353',
    message: "Object literal may only specify known properties, and 'status' does not exist in type 'Order'.",
    file: 'src/order.ts',
    line: 8,
    column: 23,
  },
  {
    test: 'TS2339',
    message: "Property 'customer' does not exist on type 'Order'.",
    file: 'src/order.ts',
    line: 12,
    column: 16,
  },
  {
    test: 'TS2322',
    message: [
      "Type '{ street: string; zip: { code: string; }; }' is not assignable to type 'Address'.",
      "The types of 'zip.code' are incompatible between these types.",
      "Type 'string' is not assignable to type 'number'.",
    ].join('\n'),
    file: 'src/ship.ts',
    line: 3,
    column: 14,
    received: 'string',
    expected: 'number',
  },
  {
    test: 'TS2322',
    message: "Type 'number' is not assignable to type 'string'.",
    file: 'src/util.ts',
    line: 1,
    column: 62,
    received: 'number',
    expected: 'string',
  },
  {
    test: 'TS2307',
    message: "Cannot find module './nowhere.js' or its corresponding type declarations.",
    file: 'src/util.ts',
    line: 2,
    column: 22,
  },
];

describe('parseTsc', () => {
  it('reads plain output with its indented continuation lines', () => {
    expect(parseTsc(readFixture('tsc/plain.txt'))).toEqual({ format: 'tsc', failures: expectedFailures, problems: [] });
  });

  it('reads --pretty output the same, colours and code frames left out', () => {
    expect(parseTsc(readFixture('tsc/pretty.txt'))).toEqual({
      format: 'tsc',
      failures: expectedFailures,
      problems: [],
    });
  });

  it('reads diagnostics without a file and leaves warnings out', () => {
    const output = [
      "error TS5058: The specified path does not exist: 'tsconfig.app.json'.",
      "src/a.ts(1,1): warning TS6133: 'x' is declared but its value is never read.",
    ].join('\n');

    expect(parseTsc(output).failures).toEqual([
      { test: 'TS5058', message: "The specified path does not exist: 'tsconfig.app.json'." },
    ]);
  });

  it('reads a clean run as no failures, and says when the summary counts more errors than it read', () => {
    expect(parseTsc('')).toEqual({ format: 'tsc', failures: [], problems: [] });
    expect(parseTsc("src/a.ts(1,1): error TS1005: ';' expected.\n\nFound 2 errors.").problems).toEqual([
      'tsc reported 2 error(s) but 1 could be read',
    ]);
  });
});
