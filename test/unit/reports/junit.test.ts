import { describe, expect, it } from 'vitest';
import { parseJunit } from '../../../src/gates/reports/junit.ts';
import { readFixture } from './read-fixture.ts';

describe('parseJunit', () => {
  it('reads node:test junit: nested suites, assertion values and the assertion line', () => {
    const report = parseJunit(readFixture('junit/node-test.xml'));

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
        expected: "{ sku: 'A1', qty: 3 }",
        received: "{ sku: 'A1', qty: 2 }",
        file: '/tmp/rs/nodetest/test/cart.test.js',
        line: 11,
        column: 12,
      },
      {
        test: 'cart > parsePrice > rejects words',
        message: 'not a price: ten',
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

  it('reads a node:test file that crashed before its tests ran', () => {
    const report = parseJunit(readFixture('junit/node-test-crash.xml'));

    expect(report.failures).toEqual([{ test: 'test', message: 'test failed' }]);
    expect(report.counts).toEqual({ total: 1, passed: 0, failed: 1, skipped: 0 });
  });

  it("reads node:test's vague failure for a file that failed to load: the file is the test and the place", () => {
    const report = parseJunit(readFixture('junit/node-test-load-error.xml'));

    expect(report.failures).toEqual([
      { test: 'test/cart.test.js', message: 'test failed', file: 'test/cart.test.js' },
      { test: 'test/pricing.test.js', message: 'test failed', file: 'test/pricing.test.js' },
    ]);
    expect(report.counts).toEqual({ total: 2, passed: 0, failed: 2, skipped: 0 });
  });

  it("reads vitest's junit reporter: the ❯ code-frame location and the error type from the body", () => {
    const report = parseJunit(readFixture('junit/vitest.xml'));

    expect(report.failures.map((failure) => failure.test)).toEqual([
      'test/other.test.ts > string compare',
      'test/price.test.ts > applyDiscount > adds two',
      'test/price.test.ts > applyDiscount > takes ten percent off',
      'test/price.test.ts > applyDiscount > matches the receipt',
      'test/price.test.ts > applyDiscount > limits > rejects more than 100%',
    ]);
    expect(report.failures[1]).toEqual({
      test: 'test/price.test.ts > applyDiscount > adds two',
      message: 'AssertionError: expected 5 to be 4 // Object.is equality',
      expected: '4',
      received: '5',
      file: 'test/price.test.ts',
      line: 6,
      column: 15,
    });
    expect(report.failures[3]).toMatchObject({
      expected: '{ total: 91, lines: 2 }',
      received: '{ total: 90, lines: 2 }',
    });
  });

  it('reads Maven Surefire: CDATA bodies, <error>, JVM frames of the project only', () => {
    const report = parseJunit(readFixture('junit/surefire.xml'));

    expect(report.counts).toEqual({ total: 4, passed: 1, failed: 2, skipped: 1 });
    expect(report.failures).toEqual([
      {
        test: 'com.acme.shop.CartTest > totalAddsTax',
        message: 'org.opentest4j.AssertionFailedError: expected: <107.0> but was: <100.0>',
        expected: '107.0',
        received: '100.0',
        file: 'CartTest.java',
        line: 24,
      },
      {
        test: 'com.acme.shop.CartTest > loadsPrices',
        message: 'java.net.ConnectException: Connection refused',
        file: 'PriceClient.java',
        line: 31,
      },
    ]);
  });

  it('reads the complete testcases of a report that was cut off, and says so', () => {
    const xml = readFixture('junit/node-test.xml');
    const cut = xml.slice(0, xml.indexOf('<testcase name="parses decimals"') + 10);

    const report = parseJunit(cut);

    expect(report.failures.map((failure) => failure.test)).toEqual([
      'cart > sums prices times quantity',
      'cart > deep equals line items',
    ]);
    expect(report.problems).toEqual(['XML ended early: no closing </testsuites>']);
  });

  it('says plainly when there is nothing to read', () => {
    expect(parseJunit('').problems).toEqual(['report is empty']);
    expect(parseJunit('Segmentation fault (core dumped)').problems).toEqual([
      'no JUnit XML found: no <testsuites> or <testsuite>',
    ]);
    expect(parseJunit('<testsuites></testsuites>').problems).toEqual(['no <testcase> elements found']);
  });

  it('reports malformed XML with its line and still reads what it can', () => {
    const xml =
      '<testsuite name="s">\n<testcase name="a"><failure message="x &amp; y"/></testcase>\n</testsuitez></testsuite>';

    const report = parseJunit(xml);

    expect(report.problems[0]).toMatch(/^XML is not well-formed: line 3: /);
    expect(report.failures).toEqual([{ test: 's > a', message: 'x & y' }]);
  });

  it('skips text printed before the XML', () => {
    const report = parseJunit('> shop@1.0.0 test\n<testsuite><testcase name="a"/></testsuite>');

    expect(report.problems).toEqual(['ignored text before the XML']);
    expect(report.counts).toEqual({ total: 1, passed: 1, failed: 0, skipped: 0 });
  });
});
