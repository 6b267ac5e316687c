import type { TestLanguage } from '../tests/test-case.ts';
import { rustInSourceTests } from './in-source-tests.ts';
import { parseRustTests } from './parse-tests.ts';
import { isRustTestFile } from './test-files.ts';

/** Rust: `#[test]` and the attribute macros that wrap it (tokio, rstest, test-case), with the assert macros. */
export const rust: TestLanguage = {
  name: 'rust',
  isTestFile: isRustTestFile,
  parseTests: parseRustTests,
  inSource: rustInSourceTests,
};
