import type { TestLanguage } from '../tests/test-case.ts';
import { parseInSourceTests, parseTests } from './parse-tests.ts';
import { isJsTestFile, isScriptFile } from './test-files.ts';

/** JavaScript and TypeScript: vitest, jest, mocha, node:test, ava. */
export const javascript: TestLanguage = {
  name: 'javascript',
  isTestFile: isJsTestFile,
  parseTests,
  // vitest's in-source tests: `if (import.meta.vitest) { const { it, expect } = import.meta.vitest; ... }`.
  inSource: {
    mayHold: (path) => isScriptFile(path),
    holds: (source) => source.includes('import.meta.vitest'),
    parseTests: parseInSourceTests,
  },
};
