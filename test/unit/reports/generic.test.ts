import { describe, expect, it } from 'vitest';
import { maxGenericFailures, parseGeneric } from '../../../src/gates/reports/generic.ts';
import { readFixture } from './read-fixture.ts';

describe('parseGeneric', () => {
  it("reads vitest's default reporter: one failure per test, the tree and details merged", () => {
    const report = parseGeneric(readFixture('generic/vitest-default-reporter.txt'));

    expect(report.failures).toEqual([
      {
        test: 'test/price.test.ts > applyDiscount > adds two',
        message: 'AssertionError: expected 5 to be 4 // Object.is equality\n- 4\n+ 5',
        expected: '4',
        received: '5',
        file: 'test/price.test.ts',
        line: 6,
        column: 15,
      },
      {
        test: 'test/price.test.ts > applyDiscount > takes ten percent off',
        message: 'AssertionError: expected 91 to be 90 // Object.is equality\n- 90\n+ 91',
        expected: '90',
        received: '91',
        file: 'test/price.test.ts',
        line: 10,
        column: 36,
      },
      {
        test: 'test/price.test.ts > applyDiscount > matches the receipt',
        message:
          'AssertionError: expected { total: 90, lines: 2 } to deeply equal { total: 91, lines: 2 }\n-   "total": 91,\n+   "total": 90,',
        expected: '{ total: 91, lines: 2 }',
        received: '{ total: 90, lines: 2 }',
        file: 'test/price.test.ts',
        line: 14,
        column: 37,
      },
      {
        test: 'test/price.test.ts > applyDiscount > limits > rejects more than 100%',
        message: 'RangeError: discount over 100%: 150',
        file: 'src/price.ts',
        line: 2,
        column: 28,
      },
      {
        test: 'test/other.test.ts > string compare',
        message:
          'AssertionError: expected \'hello world\' to contain \'bye\'\nExpected: "bye"\nReceived: "hello world"',
        expected: '"bye"',
        received: '"hello world"',
        file: 'test/other.test.ts',
        line: 3,
        column: 25,
      },
    ]);
  });

  it("reads node:test's spec reporter, leaving out the suites that failed only through their tests", () => {
    const report = parseGeneric(readFixture('generic/node-test-spec.txt'));

    expect(report.failures.map((failure) => failure.test)).toEqual([
      'sums prices times quantity',
      'deep equals line items',
      'rejects words',
      'empty cart is zero',
    ]);
    expect(report.failures[0]).toEqual({
      test: 'sums prices times quantity',
      message: 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n5 !== 4',
      expected: '4',
      received: '5',
      file: '/tmp/rs/nodetest/test/cart.test.js',
      line: 7,
      column: 12,
    });
  });

  it('reads compiler errors and leaves warnings and notes out', () => {
    expect(parseGeneric(readFixture('generic/gcc.txt')).failures).toEqual([
      { message: 'error: expected ‘;’ before ‘}’ token', file: 'cart.c', line: 4, column: 15 },
    ]);
    expect(parseGeneric(readFixture('generic/cargo-build.txt')).failures[0]).toEqual({
      message: 'error[E0308]: mismatched types',
      file: 'src/main.rs',
      line: 6,
      column: 22,
    });
  });

  it('reads a failed cargo test with the place it panicked', () => {
    expect(parseGeneric(readFixture('generic/cargo-test.txt')).failures).toEqual([
      {
        test: 'tests::sums',
        message: 'assertion `left == right` failed\nleft: 4, right: 5',
        expected: '5',
        received: '4',
        file: 'src/main.rs',
        line: 14,
        column: 9,
      },
    ]);
  });

  it("reads cargo test's assert_eq!/assert_ne! panics: the assertion, both sides and the place, not the thread line", () => {
    // assert_eq!(actual, expected) is the common idiom: left is what the code returned.
    const expected = [
      {
        test: 'tests::differs',
        message: 'assertion `left != right` failed: sum must not be 3\nleft: 3, right: 3',
        expected: '3',
        received: '3',
        file: 'src/lib.rs',
        line: 33,
        column: 9,
      },
      {
        test: 'tests::greets',
        message: 'assertion `left == right` failed\nleft: "abc", right: "abd"',
        expected: '"abd"',
        received: '"abc"',
        file: 'src/lib.rs',
        line: 20,
        column: 9,
      },
      {
        test: 'tests::it_works',
        message: 'assertion `left == right` failed\nleft: 5, right: 4',
        expected: '4',
        received: '5',
        file: 'src/lib.rs',
        line: 15,
        column: 9,
      },
      { test: 'tests::restocks', message: 'stock went negative: -1', file: 'src/lib.rs', line: 27, column: 13 },
    ];
    const byTest = (report: ReturnType<typeof parseGeneric>) =>
      report.failures.toSorted((a, b) => (a.test ?? '').localeCompare(b.test ?? ''));

    expect(byTest(parseGeneric(readFixture('generic/cargo-test-asserts.txt')))).toEqual(expected);
    expect(byTest(parseGeneric(readFixture('generic/cargo-test-backtrace.txt')))).toEqual(expected);
  });

  it("attributes node:test's load errors to the file whose ✖ line follows them, at the line node points to", () => {
    expect(parseGeneric(readFixture('generic/node-test-load-error.txt')).failures).toEqual([
      {
        test: 'test/cart.test.js',
        message: 'TypeError: helper exploded',
        file: '/tmp/bs2/test/helper-that-throws.js',
        line: 1,
        column: 7,
      },
      {
        test: 'test/pricing.test.js',
        message: "SyntaxError: The requested module '../src/pricing.js' does not provide an export named 'nothere'",
        file: '/tmp/bs2/test/pricing.test.js',
        line: 3,
      },
    ]);
  });

  it('never gives a load error to the test read before it, even without the banner that names its file', () => {
    const output = [
      '✖ test/cart.test.js (3.1ms)',
      "  'test failed'",
      'file:///repo/test/pricing.test.js:3',
      "import { nothere } from '../src/pricing.js';",
      '         ^^^^^^^',
      "SyntaxError: The requested module '../src/pricing.js' does not provide an export named 'nothere'",
    ].join('\n');

    expect(parseGeneric(output).failures).toEqual([
      {
        message: "SyntaxError: The requested module '../src/pricing.js' does not provide an export named 'nothere'",
        file: '/repo/test/pricing.test.js',
        line: 3,
      },
    ]);
  });

  it('keeps the order and columns of gcc errors, through make and an included header', () => {
    expect(parseGeneric(readFixture('generic/gcc-make.txt')).failures).toEqual([
      { message: 'error: unknown type name ‘money’', file: 'shop.c', line: 3, column: 1 },
      {
        message: 'error: ‘undefined_count’ undeclared (first use in this function)',
        file: 'shop.c',
        line: 8,
        column: 11,
      },
      { message: 'error: expected ‘;’ before ‘return’', file: 'shop.c', line: 9, column: 30 },
      { message: 'error: expected ‘;’ before ‘int’', file: 'money.h', line: 1, column: 21 },
    ]);
  });

  it(`returns at most ${maxGenericFailures} failures`, () => {
    const output = Array.from({ length: 50 }, (_, index) => `src/file${index}.c:${index + 1}:1: error: broken`).join(
      '\n',
    );

    const report = parseGeneric(output);

    expect(report.failures).toHaveLength(maxGenericFailures);
    expect(report.failures[0]).toEqual({ message: 'error: broken', file: 'src/file0.c', line: 1, column: 1 });
  });

  it('reads an error that follows its file:line without a colon', () => {
    expect(parseGeneric('test/a.test.ts:4 AssertionError: boom\n').failures).toEqual([
      { message: 'test/a.test.ts:4 AssertionError: boom', file: 'test/a.test.ts', line: 4 },
    ]);
  });

  it('finds nothing in output without errors', () => {
    const output = 'Compiling...\nDone in 2.1s, 0 errors, no failures\nsee http://localhost:3000/index.html:80';

    expect(parseGeneric(output)).toEqual({ format: 'generic', failures: [], problems: [] });
  });
});
