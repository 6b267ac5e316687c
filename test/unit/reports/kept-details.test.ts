import { describe, expect, it } from 'vitest';
import { parseGeneric } from '../../../src/gates/reports/generic.ts';
import { parseJestJson } from '../../../src/gates/reports/jest-json.ts';
import { parseJunit } from '../../../src/gates/reports/junit.ts';
import { parseReport } from '../../../src/gates/reports/parse-report.ts';
import { parseTap } from '../../../src/gates/reports/tap.ts';
import { readFixture } from './read-fixture.ts';

// What issue 13 found the parsers dropping, each read from a real runner's output.
describe('what the parsers keep for the agent', () => {
  it("node:test TAP: an undefined actual is 'undefined' (node:test writes no actual: for it), not unknown", () => {
    const [failure] = parseTap(readFixture('tap/node-test-undefined.tap')).failures;
    expect(failure).toMatchObject({ expected: 'postgres://localhost/app', received: 'undefined', line: 12 });
  });

  it('node:test TAP: an expected undefined is named too, and values of non-comparing asserts are not made up', () => {
    const tap = (yaml: string[]) =>
      parseTap(
        ['TAP version 13', 'not ok 1 - t', '  ---', ...yaml.map((line) => `  ${line}`), '  ...', '1..1'].join('\n'),
      ).failures[0];
    expect(tap(["error: 'differ'", "actual: 'x'", "operator: 'strictEqual'"])).toMatchObject({
      expected: 'undefined',
      received: 'x',
    });
    expect(tap(["error: 'no'", "operator: 'fail'"])).not.toHaveProperty('received');
    expect(tap(["error: 'nope'", 'expected: 3', "operator: 'throws'"])).toMatchObject({ expected: '3' });
    expect(tap(["error: 'nope'", 'expected: 3', "operator: 'throws'"])).not.toHaveProperty('received');
  });

  it('jest toThrow(Class): the class it expected and the error it got; or that nothing was thrown', () => {
    const failures = parseJestJson(readFixture('jest-json/jest-to-throw.json')).failures;
    expect(failures.map(({ test, expected, received }) => ({ test, expected, received }))).toEqual([
      { test: 'rejects bad text', expected: 'RangeError', received: 'TypeError: not a duration: "soon"' },
      { test: 'throws at all', expected: 'RangeError', received: 'no error thrown' },
    ]);
  });

  it('vitest toThrow(Class) in JUnit: the expected class and the thrown error, not "instance of X" / "error"', () => {
    const failures = parseJunit(readFixture('junit/vitest-to-throw.xml')).failures;
    expect(failures.find((failure) => failure.line === 14)).toMatchObject({
      message: 'AssertionError: expected error to be instance of RangeError',
      expected: 'RangeError',
      received: 'TypeError: not a duration: "soon"',
    });
  });

  it('vitest JUnit: failures by file, then line, whatever order the workers finished in; no diff lines repeated', () => {
    const report = parseReport('junit', readFixture('junit/vitest-to-throw.xml'));
    expect(report.failures.map((failure) => `${failure.file}:${failure.line}`)).toEqual([
      'test/fallback.test.js:16',
      'test/parse.test.js:14',
    ]);
    expect(report.failures[0]?.message).toBe('AssertionError: expected -1 to be 30 // Object.is equality');
  });

  it('jest snapshot: the diff header is dropped and the received value kept', () => {
    const snapshot = [
      'Error: expect(received).toMatchSnapshot()',
      '',
      'Snapshot name: `receipt 1`',
      '',
      '- Snapshot  - 1',
      '+ Received  + 1',
      '',
      '  Order #42',
      '- Tea         $7.00',
      '+ Tea         $70.00',
      '    at Object.toMatchSnapshot (/repo/__tests__/receipt.test.js:18:34)',
    ].join('\n');
    const report = parseJestJson(
      JSON.stringify({
        numTotalTests: 1,
        testResults: [
          {
            name: '/repo/__tests__/receipt.test.js',
            assertionResults: [{ title: 'receipt', status: 'failed', failureMessages: [snapshot] }],
          },
        ],
      }),
    );
    expect(report.failures[0]).toMatchObject({
      message: 'expect(received).toMatchSnapshot()\n- Tea         $7.00\n+ Tea         $70.00',
      expected: 'Tea         $7.00',
      received: 'Tea         $70.00',
      line: 18,
    });
  });

  it('the plain-text reader gives an error printed three times once', () => {
    const once = 'src/cart.ts:4:7: error: Cannot find name total\nError: boom\n    at run (/repo/src/b.js:3:4)\n';
    const report = parseGeneric(once.repeat(3));
    expect(report.failures).toEqual([
      { message: 'error: Cannot find name total', file: 'src/cart.ts', line: 4, column: 7 },
      { message: 'Error: boom', file: '/repo/src/b.js', line: 3, column: 4 },
    ]);
  });

  it('the plain-text reader keeps one error at two places, or two tests failing the same way', () => {
    const report = parseGeneric(
      'src/a.ts:1:1: error: Cannot find name x\nsrc/a.ts:9:1: error: Cannot find name x\n' +
        '--- FAIL: TestA\n    panic: boom\n--- FAIL: TestB\n    panic: boom\n',
    );
    expect(report.failures.map((failure) => `${failure.test ?? ''}@${failure.file}:${failure.line}`)).toEqual([
      '@src/a.ts:1',
      '@src/a.ts:9',
      'TestA@undefined:undefined',
      'TestB@undefined:undefined',
    ]);
  });
});
