import type { TestLanguage } from '../tests/test-case.ts';
import { pythonDoctests } from './doctests.ts';
import { parseTests } from './parse-tests.ts';
import { isPythonTestFile } from './test-files.ts';

/** Python: pytest test functions and classes, unittest.TestCase subclasses. */
export const python: TestLanguage = {
  name: 'python',
  isTestFile: isPythonTestFile,
  parseTests,
  inSource: pythonDoctests,
};
