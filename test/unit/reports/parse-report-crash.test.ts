import { describe, expect, it, vi } from 'vitest';
import { parseReport } from '../../../src/gates/reports/parse-report.ts';

// Stand in for a bug in one reader, to see what parseReport makes of it.
vi.mock('../../../src/gates/reports/tap.ts', () => ({
  parseTap: () => {
    throw new TypeError("Cannot read properties of undefined (reading 'indent')");
  },
}));

describe('parseReport when a reader throws', () => {
  it('turns the exception into a problem and reads the text as plain text', () => {
    const report = parseReport('tap', 'not ok 1 - checkout\nError: payment declined\n    at pay (src/pay.js:9:3)\n');

    expect(report).toEqual({
      format: 'tap',
      failures: [{ test: 'checkout', message: 'Error: payment declined', file: 'src/pay.js', line: 9, column: 3 }],
      problems: [
        "the tap reader failed (Cannot read properties of undefined (reading 'indent')); read as plain text instead",
      ],
    });
  });
});
