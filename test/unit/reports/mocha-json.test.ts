import { describe, expect, it } from 'vitest';
import { parseMochaJson } from '../../../src/gates/reports/mocha-json.ts';
import { parseReport } from '../../../src/gates/reports/parse-report.ts';
import { readFixture } from './read-fixture.ts';

describe('parseMochaJson', () => {
  it("reads mocha's --reporter json: suite > title, the test's line, and the values mocha kept apart", () => {
    const report = parseMochaJson(readFixture('mocha-json/mocha.json'));
    expect(report.problems).toEqual([]);
    expect(report.counts).toEqual({ total: 4, passed: 2, failed: 2, skipped: 0 });
    expect(report.failures).toEqual([
      {
        test: 'compare > compares numbers, not text',
        message: 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:',
        file: '/home/dev/semver-lite/test/compare.spec.js',
        line: 18,
        column: 12,
        expected: '1',
        received: '-1',
      },
      {
        test: 'sortVersions > sorts ascending',
        message: 'AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal:',
        file: '/home/dev/semver-lite/test/compare.spec.js',
        line: 24,
        column: 12,
        expected: '[ "1.2.0" "1.9.0" "1.10.0" ]',
        received: '[ "1.10.0" "1.2.0" "1.9.0" ]',
      },
    ]);
  });

  it('reads the report after lines the tests printed to stdout, and a thrown non-assertion error', () => {
    const report = parseMochaJson(
      `debug: starting\n${JSON.stringify({
        stats: { tests: 1, passes: 0, failures: 1, pending: 0 },
        failures: [
          {
            title: 'loads',
            fullTitle: 'config loads',
            file: '/repo/test/config.spec.js',
            err: {
              message: 'boom',
              stack:
                'Error: boom\n    at load (lib/config.js:4:9)\n    at Context.<anonymous> (test/config.spec.js:7:5)',
            },
          },
        ],
      })}`,
    );
    expect(report.failures).toEqual([
      {
        test: 'config > loads',
        message: 'Error: boom',
        file: '/repo/test/config.spec.js',
        line: 7,
        column: 5,
        origin: 'lib/config.js:4',
      },
    ]);
  });

  it('is registered as mocha-json, and says what is wrong with something else', () => {
    expect(parseReport('mocha-json', readFixture('mocha-json/mocha.json')).failures).toHaveLength(2);
    expect(parseMochaJson('{"testResults": []}').problems).toEqual(['not a mocha JSON report: no "failures" list']);
  });
});
