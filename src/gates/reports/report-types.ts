import type { ReportFormat } from '../../config/schema.ts';

/** One thing that went wrong, as exactly as the report lets us say it. */
export interface Failure {
  /** Full test name ("suite > case"), or the rule/diagnostic code for linters and compilers. */
  test?: string;
  /** The assertion or error message, first line(s) only. */
  message: string;
  file?: string;
  line?: number;
  column?: number;
  expected?: string;
  received?: string;
  /** Where the error was raised ("src/cart.js:16"), when that is outside the test's own file. */
  origin?: string;
}

export interface TestCounts {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
}

/** What a parser could read; `problems` says what it could not (never throws). */
export interface ParsedReport {
  format: ReportFormat;
  failures: Failure[];
  counts?: TestCounts;
  problems: string[];
}

export type ReportParser = (text: string) => ParsedReport;
