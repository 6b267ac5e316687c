import { describe, expect, it } from 'vitest';
import { parseTap } from '../../../src/gates/reports/tap.ts';
import { readFixture } from './read-fixture.ts';

describe('parseTap', () => {
  it("reads node:test's TAP: subtest names, YAML values, the assertion line, summary counts", () => {
    const report = parseTap(readFixture('tap/node-test.tap'));

    expect(report.problems).toEqual([]);
    expect(report.counts).toEqual({ total: 6, passed: 1, failed: 4, skipped: 1 });
    expect(report.failures).toEqual([
      {
        test: 'cart > sums prices times quantity',
        message: 'Expected values to be strictly equal:\n5 !== 4',
        expected: '4',
        received: '5',
        file: '/tmp/rs/nodetest/test/cart.test.js',
        line: 7,
        column: 12,
      },
      {
        test: 'cart > deep equals line items',
        message: 'Expected values to be strictly deep-equal:\n+   qty: 2,\n-   qty: 3,',
        expected: '{"sku":"A1","qty":3}',
        received: '{"sku":"A1","qty":2}',
        file: '/tmp/rs/nodetest/test/cart.test.js',
        line: 11,
        column: 12,
      },
      {
        test: 'cart > parsePrice > rejects words',
        message: 'TypeError: not a price: ten',
        file: '/tmp/rs/nodetest/test/cart.test.js',
        line: 19,
        column: 20,
        origin: '/tmp/rs/nodetest/src/cart.js:5',
      },
      {
        test: 'empty cart is zero',
        message: 'empty cart should cost nothing',
        expected: 'true',
        received: 'false',
        file: '/tmp/rs/nodetest/test/cart.test.js',
        line: 27,
        column: 10,
      },
    ]);
  });

  it('takes the message of a test file that crashed from the error printed as comments', () => {
    const report = parseTap(readFixture('tap/node-test-crash.tap'));

    expect(report.failures).toEqual([
      {
        test: 'test',
        message: "Error: Cannot find module '/tmp/rs/nodetest/test'",
        file: '/tmp/rs/nodetest/test',
        line: 1,
        column: 1,
      },
    ]);
  });

  it("reads tape: the '# name' comment names the test, TODO is not a failure", () => {
    const report = parseTap(readFixture('tap/tape.tap'));

    expect(report.failures).toEqual([
      {
        test: 'cart total > should be strictly equal',
        message: 'should be strictly equal',
        expected: '4',
        received: '5',
        file: '/home/dev/shop/test/cart.js',
        line: 9,
        column: 5,
      },
    ]);
    expect(report.counts).toEqual({ total: 5, passed: 3, failed: 1, skipped: 1 });
    expect(report.problems).toEqual([]);
  });

  it('reads TAP 14 subtests, node-tap style found/wanted/at, and a bail out', () => {
    const report = parseTap(readFixture('tap/tap14-bail-out.tap'));

    expect(report.failures).toEqual([
      {
        test: 'migrations > adds indexes',
        message: 'duplicate index "orders_customer_id"',
        expected: '1',
        received: '2',
        file: 'test/migrate.js',
        line: 42,
        column: 7,
      },
      { message: 'Bail out! database went away' },
    ]);
    expect(report.counts).toEqual({ total: 4, passed: 2, failed: 1, skipped: 1 });
    expect(report.problems).toEqual(['TAP ended early: plan says 4 tests, 3 reported']);
  });

  it('does not read a YAML block as test lines', () => {
    const tap = ['1..1', 'not ok 1 - outer', '  ---', '  error: |-', '    ok 7 - looks like a test', '  ...'].join(
      '\n',
    );

    const report = parseTap(tap);

    expect(report.failures).toEqual([{ test: 'outer', message: 'ok 7 - looks like a test' }]);
    expect(report.counts).toEqual({ total: 1, passed: 0, failed: 1, skipped: 0 });
  });

  it('keeps the first failure of output cut inside the YAML block of the second', () => {
    const tap = readFixture('tap/node-test.tap');
    const cut = tap.slice(0, tap.indexOf("operator: 'deepStrictEqual'"));

    const report = parseTap(cut);

    expect(report.failures.map((failure) => failure.test)).toEqual([
      'cart > sums prices times quantity',
      'cart > deep equals line items',
    ]);
    expect(report.failures[0]?.expected).toBe('4');
    expect(report.problems).toEqual(['TAP ended early: no plan line (1..N)']);
  });

  it('says plainly when there is nothing to read', () => {
    expect(parseTap('').problems).toEqual(['report is empty']);
    expect(parseTap('npm ERR! missing script: test').problems).toEqual(['no TAP found: no "ok" / "not ok" lines']);
  });

  it('unescapes # in names and strips ANSI colours', () => {
    const report = parseTap('1..1\n\u001b[31mnot ok 1 - issue \\#12 stays fixed\u001b[39m\n');

    expect(report.failures).toEqual([{ test: 'issue #12 stays fixed', message: 'issue #12 stays fixed' }]);
  });
});
