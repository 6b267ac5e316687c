import type { TestLanguage } from '../tests/test-case.ts';
import { parseTests } from './parse-tests.ts';
import { isJsTestFile } from './test-files.ts';

/** JavaScript and TypeScript: vitest, jest, mocha, node:test. */
export const javascript: TestLanguage = { name: 'javascript', isTestFile: isJsTestFile, parseTests };
