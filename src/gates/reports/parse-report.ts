import type { ReportFormat } from '../../config/schema.ts';
import { parseAva } from './ava.ts';
import { parseEslintJson } from './eslint-json.ts';
import { parseGeneric } from './generic.ts';
import { parseGoTestJson } from './go-test-json.ts';
import { parseJestJson } from './jest-json.ts';
import { parseJunit } from './junit.ts';
import { parseMochaJson } from './mocha-json.ts';
import type { Failure, ParsedReport, ReportParser } from './report-types.ts';
import { parseTap } from './tap.ts';
import { parseTsc } from './tsc.ts';

const parsers: Record<ReportFormat, ReportParser> = {
  junit: parseJunit,
  tap: parseTap,
  'jest-json': parseJestJson,
  'vitest-json': parseJestJson,
  'go-test-json': parseGoTestJson,
  'eslint-json': parseEslintJson,
  tsc: parseTsc,
  'mocha-json': parseMochaJson,
  ava: parseAva,
  generic: parseGeneric,
};

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function genericFailures(text: string): ParsedReport['failures'] {
  try {
    return parseGeneric(text).failures;
  } catch {
    return [];
  }
}

/**
 * Reads a gate's report in the given format. Never throws: a parser bug becomes a problem plus what the plain-text
 * reader finds, and a report that could not be read at all (no failures, no counts, problems) gets the same fallback,
 * so a runner that crashed before writing its report still shows its error.
 */
export function parseReport(format: ReportFormat, text: string): ParsedReport {
  const parser = parsers[format] ?? parseGeneric;
  let parsed: ParsedReport;
  try {
    parsed = parser(text);
  } catch (error) {
    return {
      format,
      failures: genericFailures(text),
      problems: [`the ${format} reader failed (${describeError(error)}); read as plain text instead`],
    };
  }
  const unreadable = parsed.failures.length === 0 && parsed.counts === undefined && parsed.problems.length > 0;
  if (format !== 'generic' && unreadable) {
    const fallback = genericFailures(text);
    if (fallback.length > 0) {
      return { ...parsed, format, failures: fallback, problems: [...parsed.problems, 'read as plain text instead'] };
    }
  }
  return { ...parsed, format, failures: finishOrder.has(format) ? inSourceOrder(parsed.failures) : parsed.failures };
}

// Reports whose order is the order in which parallel workers finished.
const finishOrder = new Set<ReportFormat>(['junit', 'vitest-json', 'ava']);
const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;

/**
 * Runners that run files in parallel (vitest, jest, ava) report them in the order they finished; by file and line,
 * the same failures read the same way every run. Failures without a file keep their order, after the others.
 */
function inSourceOrder(failures: Failure[]): Failure[] {
  return [...failures].sort(
    (a, b) =>
      (a.file === undefined ? 1 : 0) - (b.file === undefined ? 1 : 0) ||
      (a.file !== undefined && b.file !== undefined ? naturalOrder(a.file, b.file) : 0) ||
      (a.line ?? 0) - (b.line ?? 0),
  );
}
