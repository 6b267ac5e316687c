const pythonFile = /\.py$/;
// pytest's default `python_files` (test_*.py, *_test.py), and test*.py inside a tests/ or test/ folder.
const testFileName = /(^|\/)(test_[^/]*|[^/]*_test)\.py$|(^|\/)tests?\/(.*\/)?test[^/]*\.py$/;

/** Whether `path` is a Python test file by pytest's and unittest's naming conventions (conftest.py is config, not tests). */
export function isPythonTestFile(path: string): boolean {
  return pythonFile.test(path) && testFileName.test(path) && !/(^|\/)conftest\.py$/.test(path);
}
