import { describe, expect, it } from 'vitest';
import { parseJestJson } from '../../../src/gates/reports/jest-json.ts';
import { readFixture } from './read-fixture.ts';

describe('parseJestJson with vitest --reporter=json', () => {
  it('reads names, chai-style expected/received and the assertion line from the stack', () => {
    const report = parseJestJson(readFixture('vitest-json/vitest.json'));

    expect(report.problems).toEqual([]);
    expect(report.counts).toEqual({ total: 8, passed: 2, failed: 5, skipped: 1 });
    expect(report.failures).toEqual([
      {
        test: 'string compare',
        message: "AssertionError: expected 'hello world' to contain 'bye'",
        expected: "'bye'",
        received: "'hello world'",
        file: '/tmp/rs/vt/test/other.test.ts',
        line: 3,
        column: 25,
      },
      {
        test: 'applyDiscount > adds two',
        message: 'AssertionError: expected 5 to be 4 // Object.is equality',
        expected: '4',
        received: '5',
        file: '/tmp/rs/vt/test/price.test.ts',
        line: 6,
        column: 15,
      },
      {
        test: 'applyDiscount > takes ten percent off',
        message: 'AssertionError: expected 91 to be 90 // Object.is equality',
        expected: '90',
        received: '91',
        file: '/tmp/rs/vt/test/price.test.ts',
        line: 10,
        column: 36,
      },
      {
        test: 'applyDiscount > matches the receipt',
        message: 'AssertionError: expected { total: 90, lines: 2 } to deeply equal { total: 91, lines: 2 }',
        expected: '{ total: 91, lines: 2 }',
        received: '{ total: 90, lines: 2 }',
        file: '/tmp/rs/vt/test/price.test.ts',
        line: 14,
        column: 37,
      },
      {
        test: 'applyDiscount > limits > rejects more than 100%',
        message: 'RangeError: discount over 100%: 150',
        file: '/tmp/rs/vt/test/price.test.ts',
        line: 19,
        column: 14,
        origin: '/tmp/rs/vt/src/price.ts:2',
      },
    ]);
  });

  it('finds the same places without --includeTaskLocation', () => {
    const withLocation = parseJestJson(readFixture('vitest-json/vitest.json'));
    const withoutLocation = parseJestJson(readFixture('vitest-json/vitest-no-location.json'));

    expect(withoutLocation.failures).toEqual(withLocation.failures);
  });

  it('reports a test file that failed to import', () => {
    const report = parseJestJson(readFixture('vitest-json/vitest-import-error.json'));

    expect(report.failures[0]).toEqual({
      message: "Cannot find module '../src/missing.ts' imported from /tmp/rs/vt/test/broken.test.ts",
      file: '/tmp/rs/vt/test/broken.test.ts',
    });
    expect(report.failures).toHaveLength(2);
  });
});

describe('parseJestJson with jest --json', () => {
  it('strips colours and reads Expected:/Received:, the diff, thrown errors and suites that failed to run', () => {
    const report = parseJestJson(readFixture('jest-json/jest.json'));

    expect(report.problems).toEqual([]);
    expect(report.counts).toEqual({ total: 7, passed: 2, failed: 3, skipped: 2 });
    expect(report.failures).toEqual([
      {
        test: 'cart > total > adds line prices',
        message: 'expect(received).toBe(expected) // Object.is equality\nExpected: 4\nReceived: 5',
        expected: '4',
        received: '5',
        file: '/home/dev/shop/src/cart.test.js',
        line: 6,
        column: 29,
      },
      {
        test: 'cart > keeps line items',
        message: 'expect(received).toEqual(expected) // deep equality\n-   "qty": 3,\n+   "qty": 2,',
        expected: '"qty": 3,',
        received: '"qty": 2,',
        file: '/home/dev/shop/src/cart.test.js',
        line: 14,
        column: 25,
      },
      {
        test: 'cart > prices missing items',
        message: "TypeError: Cannot read properties of undefined (reading 'price')",
        file: '/home/dev/shop/src/cart.test.js',
        line: 20,
        column: 12,
        origin: '/home/dev/shop/src/cart.js:3',
      },
      {
        message: "Cannot find module './missing' from 'src/broken.test.js'",
        file: '/home/dev/shop/src/broken.test.js',
        line: 1,
        column: 23,
      },
    ]);
  });

  it('reads the complete results of a report that was cut off', () => {
    const json = readFixture('jest-json/jest.json');
    const cut = json.slice(0, json.indexOf('"title":"prices missing items"'));

    const report = parseJestJson(cut);

    expect(report.failures.map((failure) => failure.test)).toEqual([
      'cart > total > adds line prices',
      'cart > keeps line items',
    ]);
    expect(report.problems).toEqual([
      expect.stringMatching(/^JSON is cut off or broken after character \d+ of \d+; read the entries before it$/),
    ]);
  });

  it('skips an npm banner before the JSON', () => {
    const report = parseJestJson('\n> shop@1.0.0 test\n> jest --json\n\n{"numTotalTests":0,"testResults":[]}');

    expect(report.problems).toEqual(['ignored 4 line(s) before the JSON']);
    expect(report.counts).toEqual({ total: 0, passed: 0, failed: 0, skipped: 0 });
  });

  it('says plainly what it could not read', () => {
    expect(parseJestJson('').problems).toEqual(['report is empty']);
    expect(parseJestJson('{"numTotalTests": 3}').problems).toEqual([
      'not a jest/vitest JSON report: no "testResults" list',
    ]);
    expect(parseJestJson('{"testResults": [}').problems).toEqual([expect.stringMatching(/^not valid JSON: /)]);
  });
});
