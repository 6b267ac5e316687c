import type { TestLanguage } from '../tests/test-case.ts';
import { parseGoTests } from './parse-tests.ts';
import { isGoTestFile } from './test-files.ts';

/** Go: the `testing` package (tests, subtests, fuzz targets, examples) and testify's assert/require. */
export const go: TestLanguage = { name: 'go', isTestFile: isGoTestFile, parseTests: parseGoTests };
