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

  it("reads pytest's plain output, merging each failure with its short-summary line", () => {
    const report = parseGeneric(readFixture('generic/pytest.txt'));

    expect(report.failures).toEqual([
      {
        test: 'tests/test_inventory.py::test_uses_fixture',
        message: 'RuntimeError: database not reachable',
        file: 'tests/test_inventory.py',
        line: 23,
      },
      {
        test: 'tests/test_inventory.py::test_restock_adds',
        message: 'assert 6 == 5\n+  where 6 = restock(3, 2)',
        expected: '5',
        received: '6',
        file: 'tests/test_inventory.py',
        line: 6,
      },
      {
        test: 'tests/test_inventory.py::test_restock_rejects_negative',
        message: 'ValueError: negative amount: -1',
        file: 'inventory.py',
        line: 3,
      },
      {
        test: 'tests/test_inventory.py::TestNames::test_sku_upper',
        message: "AssertionError: sku should be upper-cased\nassert 'AB-1' == 'AB-2'\n- AB-2",
        expected: "'AB-2'",
        received: "'AB-1'",
        file: 'tests/test_inventory.py',
        line: 15,
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

  it('reads a Python traceback: the exception line and the innermost project frame', () => {
    expect(parseGeneric(readFixture('generic/python-traceback.txt')).failures).toEqual([
      { message: "KeyError: 'items'", file: '/tmp/rs/py/checkout.py', line: 4 },
    ]);
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
        message:
          "thread 'tests::sums' (16364) panicked at src/main.rs:14:9:\nassertion `left == right` failed\nleft: 4",
        file: 'src/main.rs',
        line: 14,
        column: 9,
      },
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
