import { describe, expect, it } from 'vitest';
import { parseGoTestJson } from '../../../src/gates/reports/go-test-json.ts';
import { readFixture } from './read-fixture.ts';

function event(fields: Record<string, unknown>): string {
  return JSON.stringify({ Time: '2025-03-14T09:26:53.12+01:00', Package: 'example.com/shop/cart', ...fields });
}

describe('parseGoTestJson', () => {
  it('reads t.Errorf logs, subtests, testify blocks and panics', () => {
    const report = parseGoTestJson(readFixture('go-test-json/go-test.jsonl'));

    expect(report.problems).toEqual([]);
    expect(report.counts).toEqual({ total: 8, passed: 2, failed: 5, skipped: 1 });
    expect(report.failures).toEqual([
      {
        test: 'example.com/shop/cart > TestTotal',
        message: 'Total([{2 2}]) = 5, want 4',
        expected: '4',
        received: '5',
        file: 'cart_test.go',
        line: 14,
      },
      {
        test: 'example.com/shop/cart > TestParse/empty_input',
        message: 'Parse(""): got error <nil>, want ErrEmpty',
        expected: 'ErrEmpty',
        received: 'error <nil>',
        file: 'parse_test.go',
        line: 31,
      },
      {
        test: 'example.com/shop/cart > TestDiscount',
        message: 'Not equal:\nexpected: 90\nactual  : 91',
        expected: '90',
        received: '91',
        file: 'discount_test.go',
        line: 22,
      },
      {
        test: 'example.com/shop/cart > TestLast',
        message: 'panic: runtime error: index out of range [3] with length 3',
        file: '/home/dev/shop/cart/cart.go',
        line: 21,
      },
    ]);
  });

  it("reads go 1.24's build-output events as compile errors", () => {
    const report = parseGoTestJson(readFixture('go-test-json/go-build-failure.jsonl'));

    expect(report.failures).toEqual([
      {
        test: 'example.com/shop/cart',
        message: 'undefined: roundCents',
        file: 'cart/cart.go',
        line: 12,
        column: 9,
      },
      {
        test: 'example.com/shop/cart',
        message: 'declared and not used: unused',
        file: 'cart/cart_test.go',
        line: 8,
        column: 2,
      },
    ]);
    expect(report.problems).toEqual([]);
  });

  it('reads build errors printed on stderr between the events, as older go does', () => {
    const report = parseGoTestJson(readFixture('go-test-json/go-build-failure-stderr.jsonl'));

    expect(report.failures).toEqual([
      { test: 'example.com/shop/cart', message: 'undefined: roundCents', file: 'cart/cart.go', line: 12, column: 9 },
    ]);
    expect(report.problems).toEqual([]);
  });

  it('reports a package that failed outside any test', () => {
    const jsonl = [
      event({ Action: 'output', Output: 'panic: test timed out after 10m0s\n' }),
      event({ Action: 'output', Output: 'FAIL\texample.com/shop/cart\t600.012s\n' }),
      event({ Action: 'fail', Elapsed: 600.01 }),
    ].join('\n');

    expect(parseGoTestJson(jsonl).failures).toEqual([
      { test: 'example.com/shop/cart', message: 'panic: test timed out after 10m0s' },
    ]);
  });

  it('names the lines that are not JSON and reads the rest', () => {
    const lines = readFixture('go-test-json/go-test.jsonl').split('\n');
    lines.splice(3, 0, '{"Action":"output",', 'garbage');

    const report = parseGoTestJson(lines.join('\n'));

    expect(report.problems).toEqual(['lines 4, 5: not valid JSON']);
    expect(report.failures).toHaveLength(4);
  });

  it('keeps the failures before the cut of a stream that ended early', () => {
    const jsonl = readFixture('go-test-json/go-test.jsonl');
    const endOfFirstFailure = jsonl.indexOf('\n', jsonl.indexOf('"Action":"fail"')) + 1;

    const report = parseGoTestJson(`${jsonl.slice(0, endOfFirstFailure)}{"Time":"2025-03-14T09:2`);

    expect(report.failures.map((failure) => failure.test)).toEqual(['example.com/shop/cart > TestTotal']);
    expect(report.problems).toEqual(['line 7: not valid JSON']);
  });

  it('says when the report is empty', () => {
    expect(parseGoTestJson('').problems).toEqual(['report is empty']);
  });
});
