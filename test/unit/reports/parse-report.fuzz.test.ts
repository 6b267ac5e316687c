import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ReportFormat, reportFormats } from '../../../src/config/schema.ts';
import { parseReport } from '../../../src/gates/reports/parse-report.ts';
import type { ParsedReport } from '../../../src/gates/reports/report-types.ts';
import { readFixture } from './read-fixture.ts';

const sampleFiles: Array<{ format: ReportFormat; fixture: string }> = [
  { format: 'junit', fixture: 'junit/node-test.xml' },
  { format: 'junit', fixture: 'junit/pytest.xml' },
  { format: 'junit', fixture: 'junit/pytest-errors.xml' },
  { format: 'junit', fixture: 'junit/surefire.xml' },
  { format: 'junit', fixture: 'junit/vitest.xml' },
  { format: 'tap', fixture: 'tap/node-test.tap' },
  { format: 'tap', fixture: 'tap/tape.tap' },
  { format: 'tap', fixture: 'tap/tap14-bail-out.tap' },
  { format: 'jest-json', fixture: 'jest-json/jest.json' },
  { format: 'vitest-json', fixture: 'vitest-json/vitest.json' },
  { format: 'go-test-json', fixture: 'go-test-json/go-test.jsonl' },
  { format: 'go-test-json', fixture: 'go-test-json/go-build-failure.jsonl' },
  { format: 'eslint-json', fixture: 'eslint-json/eslint.json' },
  { format: 'tsc', fixture: 'tsc/pretty.txt' },
  { format: 'generic', fixture: 'generic/pytest.txt' },
  { format: 'generic', fixture: 'generic/vitest-default-reporter.txt' },
  { format: 'generic', fixture: 'generic/node-test-load-error.txt' },
  { format: 'generic', fixture: 'generic/cargo-test-backtrace.txt' },
];
const samples = sampleFiles.map((sample) => ({ ...sample, text: readFixture(sample.fixture) }));

const optionalFields = ['test', 'file', 'expected', 'received'] as const;
const numberFields = ['line', 'column'] as const;

/** Fails unless the report has the ParsedReport shape, with the format that was asked for. */
function expectReportShape(report: ParsedReport, format: ReportFormat): void {
  expect(report.format).toBe(format);
  expect(report.problems.every((problem) => typeof problem === 'string')).toBe(true);
  for (const failure of report.failures) {
    expect(typeof failure.message).toBe('string');
    for (const field of optionalFields) expect(['undefined', 'string']).toContain(typeof failure[field]);
    for (const field of numberFields) {
      const value = failure[field];
      if (value !== undefined) expect(Number.isInteger(value)).toBe(true);
    }
  }
  if (report.counts) {
    for (const count of Object.values(report.counts)) expect(Number.isInteger(count) && count >= 0).toBe(true);
  }
}

function cutPoints(length: number, count: number): number[] {
  return Array.from({ length: count + 1 }, (_, index) => Math.floor((index * length) / count));
}

describe('parseReport never throws', () => {
  it.each(samples)('on truncated $fixture', ({ format, text }) => {
    for (const cut of cutPoints(text.length, 120)) expectReportShape(parseReport(format, text.slice(0, cut)), format);
    fc.assert(
      fc.property(fc.nat({ max: text.length }), (cut) => {
        expectReportShape(parseReport(format, text.slice(0, cut)), format);
      }),
      { numRuns: 60 },
    );
  });

  it.each(samples)('on $fixture with random text spliced in', ({ format, text }) => {
    fc.assert(
      fc.property(fc.nat({ max: text.length }), fc.string({ maxLength: 40, unit: 'binary' }), (at, junk) => {
        expectReportShape(parseReport(format, text.slice(0, at) + junk + text.slice(at)), format);
      }),
      { numRuns: 60 },
    );
  });

  it.each(samples)('on $fixture with a stretch deleted', ({ format, text }) => {
    fc.assert(
      fc.property(fc.nat({ max: text.length }), fc.nat({ max: 200 }), (at, length) => {
        expectReportShape(parseReport(format, text.slice(0, at) + text.slice(at + length)), format);
      }),
      { numRuns: 40 },
    );
  });

  it.each(reportFormats)('on arbitrary strings, JSON and bytes read as %s', (format) => {
    const anyText = fc.oneof(
      fc.string({ maxLength: 300, unit: 'binary' }),
      fc.json({ maxDepth: 4 }),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('utf8')),
      fc
        .array(
          fc.constantFrom('<testsuite>', '<testcase name="a">', '<failure>', 'not ok 1 - x', '  ---', '{"Action":'),
        )
        .map((parts) => parts.join('\n')),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        expectReportShape(parseReport(format, text), format);
      }),
      { numRuns: 150 },
    );
  });
});

// Where the first failure of each sample is complete: the end of its TAP YAML block, JSONL fail event, or XML element.
const firstFailureEnds: Array<{ format: ReportFormat; fixture: string; end: (text: string) => number }> = [
  { format: 'tap', fixture: 'tap/node-test.tap', end: (text) => text.indexOf('      ...\n') + '      ...\n'.length },
  {
    format: 'go-test-json',
    fixture: 'go-test-json/go-test.jsonl',
    end: (text) => text.indexOf('\n', text.indexOf('"Action":"fail"')) + 1,
  },
  {
    format: 'junit',
    fixture: 'junit/node-test.xml',
    end: (text) => text.indexOf('</testcase>') + '</testcase>'.length,
  },
  {
    format: 'vitest-json',
    fixture: 'vitest-json/vitest.json',
    end: (text) => text.indexOf('"benchmarks":[]}') + '"benchmarks":[]}'.length,
  },
];

describe('truncated reports keep what came before the cut', () => {
  it.each(firstFailureEnds)('$fixture: any prefix holding the first failure yields it', ({ format, fixture, end }) => {
    const text = readFixture(fixture);
    const complete = parseReport(format, text).failures[0];
    const firstEnd = end(text);
    expect(complete).toBeDefined();
    expect(firstEnd).toBeGreaterThan(0);

    expect(parseReport(format, text.slice(0, firstEnd)).failures[0]).toEqual(complete);
    fc.assert(
      fc.property(fc.integer({ min: firstEnd, max: text.length }), (cut) => {
        expect(parseReport(format, text.slice(0, cut)).failures[0]).toEqual(complete);
      }),
      { numRuns: 80 },
    );
  });
});
