import { describe, expect, it } from 'vitest';
import { parseAva } from '../../../src/gates/reports/ava.ts';
import { parseReport } from '../../../src/gates/reports/parse-report.ts';
import { parseTap } from '../../../src/gates/reports/tap.ts';
import { readFixture } from './read-fixture.ts';

describe('parseAva (the default reporter)', () => {
  it('reads each failure with its file:line, the assertion line and the values, in file order', () => {
    const report = parseAva(readFixture('ava/ava-default.txt'));

    expect(report.problems).toEqual([]);
    expect(report.counts).toEqual({ total: 8, passed: 1, failed: 6, skipped: 1 });
    expect(report.failures).toEqual([
      {
        test: 'multi-line strings',
        message: "t.is('line one\\nline two\\nline three', 'line one\\nline 2\\nline three');",
        expected: 'line 2',
        received: 'line two',
        file: 'test/sub/b.test.js',
        line: 3,
      },
      {
        test: 'objects',
        message: 't.deepEqual({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] });',
        expected: '3',
        received: '2',
        file: 'test/sub/b.test.js',
        line: 6,
      },
      {
        test: 'throws a TypeError',
        message: "TypeError: Cannot read properties of undefined (reading 'call')",
        file: '/home/dev/cart/test/a.test.js',
        line: 8,
      },
      {
        test: 'is true',
        message: 't.true(1 === 2);',
        expected: 'true',
        received: 'false',
        file: 'test/a.test.js',
        line: 12,
      },
      {
        test: 'throws the right class',
        message: "t.throws(() => { throw new TypeError('bad'); }, { instanceOf: RangeErr…",
        expected: 'RangeError',
        received: 'TypeError: bad',
        file: 'test/a.test.js',
        line: 16,
      },
      {
        test: 'with a message',
        message: "strings differ\nt.is('abc', 'abd', 'strings differ');",
        expected: "'abd'",
        received: "'abc'",
        file: 'test/a.test.js',
        line: 20,
      },
    ]);
  });

  it('adds no failure of its own reading when it found the failures (no plain-text fallback)', () => {
    const report = parseReport('ava', readFixture('ava/ava-default.txt'));
    expect(report.failures).toHaveLength(6);
    expect(report.problems).toEqual([]);
  });

  it('reads a passing run as counts without failures', () => {
    const report = parseAva(
      '\n  ✔ adds\n  ✔ [expected fail] known bug\n  - [skip] later\n  ─\n\n  2 tests passed\n  1 known failure\n',
    );
    expect(report).toEqual({
      format: 'ava',
      failures: [],
      counts: { total: 3, passed: 2, failed: 0, skipped: 1 },
      problems: [],
    });
  });

  it('names a file that failed to load, with the error and where it was thrown', () => {
    expect(parseAva(readFixture('ava/ava-load-error.txt')).failures).toEqual([
      {
        message: "SyntaxError: The requested module '../src/cart.js' does not provide an export named 'missing'",
        file: '/home/dev/cart/test/cart.test.js',
        line: 2,
      },
    ]);
  });

  it('keeps a failure whose details never came (the run was cut short)', () => {
    expect(parseAva('  ✘ [fail]: cart › total counts every unit Timed out\n').failures).toEqual([
      { test: 'cart > total counts every unit Timed out', message: 'test failed' },
    ]);
  });

  it('says so when the text is not ava output, so the plain-text reader gets a turn', () => {
    expect(parseAva('npm ERR! missing script: test\n').problems).toEqual(['no ava output found: no ✔ or ✘ lines']);
  });
});

describe("ava's TAP (`ava --tap`)", () => {
  it('reads the values under details:, the assertion, the thrown error; hook and log comments name no test', () => {
    const report = parseTap(readFixture('ava/ava.tap'));
    expect(report.counts).toEqual({ total: 8, passed: 1, failed: 6, skipped: 1 });
    expect(
      report.failures.map(({ test, message, expected, received }) => ({ test, message, expected, received })),
    ).toEqual([
      { test: 'sub › b › multi-line strings', message: 't.is()', expected: 'line 2', received: 'line two' },
      { test: 'sub › b › objects', message: 't.deepEqual()', expected: '3', received: '2' },
      {
        test: 'a › throws a TypeError',
        message: "TypeError: Cannot read properties of undefined (reading 'call')",
        expected: undefined,
        received: undefined,
      },
      { test: 'a › is true', message: 't.true()', expected: 'true', received: 'false' },
      { test: 'a › throws the right class', message: 't.throws()', expected: 'RangeError', received: 'TypeError: bad' },
      { test: 'a › with a message', message: 'strings differ', expected: "'abd'", received: "'abc'" },
    ]);
    // ava's TAP points into ava itself for failed assertions; only a thrown error has the test's own place.
    expect(report.failures[2]).toMatchObject({ file: '/home/dev/cart/test/a.test.js', line: 8 });
    expect(report.failures[0]?.file).toBeUndefined();
  });
});
