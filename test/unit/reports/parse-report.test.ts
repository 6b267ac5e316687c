import { describe, expect, it } from 'vitest';
import { reportFormats } from '../../../src/config/schema.ts';
import { parseReport } from '../../../src/gates/reports/parse-report.ts';
import { readFixture } from './read-fixture.ts';

describe('parseReport', () => {
  it.each([
    ['junit', 'junit/node-test.xml', 'cart > sums prices times quantity'],
    ['tap', 'tap/node-test.tap', 'cart > sums prices times quantity'],
    ['jest-json', 'jest-json/jest.json', 'cart > total > adds line prices'],
    ['vitest-json', 'vitest-json/vitest.json', 'string compare'],
    ['go-test-json', 'go-test-json/go-test.jsonl', 'example.com/shop/cart > TestTotal'],
    ['eslint-json', 'eslint-json/eslint.json', 'no-unused-vars'],
    ['tsc', 'tsc/plain.txt', 'TS2322'],
    ['generic', 'generic/vitest-default-reporter.txt', 'test/price.test.ts > applyDiscount > adds two'],
  ] as const)('reads %s with its own reader', (format, fixture, firstTest) => {
    const report = parseReport(format, readFixture(fixture));

    expect(report.format).toBe(format);
    expect(report.failures[0]?.test).toBe(firstTest);
    expect(report.problems).toEqual([]);
  });

  it('falls back to reading plain text when a report could not be read at all', () => {
    const crash = [
      'Error: Cannot find module "ts-jest"',
      '    at Resolver.resolveModule (/home/dev/shop/node_modules/jest-resolve/build/resolver.js:324:11)',
      '    at loadTransformer (/home/dev/shop/jest.config.js:4:9)',
    ].join('\n');

    const report = parseReport('jest-json', crash);

    expect(report).toEqual({
      format: 'jest-json',
      failures: [
        { message: 'Error: Cannot find module "ts-jest"', file: '/home/dev/shop/jest.config.js', line: 4, column: 9 },
      ],
      problems: ['no JSON object found', 'read as plain text instead'],
    });
  });

  it('does not fall back when the report was read and simply has no failures', () => {
    expect(parseReport('eslint-json', '[]')).toEqual({ format: 'eslint-json', failures: [], problems: [] });
    expect(parseReport('tap', 'TAP version 13\n1..1\nok 1 - fine\n').failures).toEqual([]);
  });

  it.each(reportFormats)('returns a report, not an exception, for %s given binary garbage', (format) => {
    const garbage = Buffer.from([0, 255, 60, 123, 91, 10, 27, 91, 51, 49, 109, 0xc3, 0x28]).toString('latin1');

    const report = parseReport(format, garbage);

    expect(report.format).toBe(format);
    expect(Array.isArray(report.failures)).toBe(true);
    expect(Array.isArray(report.problems)).toBe(true);
  });
});
