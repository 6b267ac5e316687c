import { describe, expect, it } from 'vitest';
import { parseEslintJson } from '../../../src/gates/reports/eslint-json.ts';
import { readFixture } from './read-fixture.ts';

describe('parseEslintJson', () => {
  it('reports errors and parse errors with rule, file and place; warnings are not failures', () => {
    const report = parseEslintJson(readFixture('eslint-json/eslint.json'));

    expect(report.problems).toEqual([]);
    expect(report.counts).toBeUndefined();
    expect(report.failures).toEqual([
      {
        test: 'no-unused-vars',
        message: "'tax' is assigned a value but never used.",
        file: '/home/dev/shop/src/cart.js',
        line: 3,
        column: 9,
      },
      {
        test: 'parse error',
        message: 'Parsing error: Unexpected token )',
        file: '/home/dev/shop/src/broken.js',
        line: 4,
        column: 18,
      },
      {
        test: 'no-undef',
        message: "'fetchOrders' is not defined.",
        file: '/home/dev/shop/src/orders.js',
        line: 2,
        column: 10,
      },
      {
        test: 'prefer-const',
        message: "'orders' is never reassigned. Use 'const' instead.",
        file: '/home/dev/shop/src/orders.js',
        line: 1,
        column: 5,
      },
    ]);
  });

  it('reads a clean run as no failures and no problems', () => {
    expect(parseEslintJson('[{"filePath":"/a.js","messages":[],"errorCount":0}]')).toEqual({
      format: 'eslint-json',
      failures: [],
      problems: [],
    });
  });

  it('keeps the files before the cut of a report that was cut off', () => {
    const json = readFixture('eslint-json/eslint.json');
    const cut = json.slice(0, json.indexOf('"filePath":"/home/dev/shop/src/orders.js"'));

    const report = parseEslintJson(cut);

    expect(report.failures.map((failure) => failure.test)).toEqual(['no-unused-vars', 'parse error']);
    expect(report.problems).toHaveLength(1);
  });

  it('says plainly what it could not read', () => {
    expect(parseEslintJson('').problems).toEqual(['report is empty']);
    expect(parseEslintJson('Oops! Something went wrong! :(').problems).toEqual(['no JSON array found']);
    expect(parseEslintJson('{"filePath":"/a.js"}').problems).toEqual(['no JSON array found']);
    expect(parseEslintJson('[{"filePath": }]').problems).toEqual([expect.stringMatching(/^not valid JSON: /)]);
  });
});
