import { go } from '../go/go-language.ts';
import { javascript } from '../js/js-language.ts';
import { python } from '../python/python-language.ts';
import { rust } from '../rust/rust-language.ts';
import type { InSourceTests, TestLanguage } from './test-case.ts';

/** Every language whose tests the guard reads. */
export const testLanguages: readonly TestLanguage[] = [javascript, python, go, rust];

/** The language whose test file `path` is, or undefined when it is no test file. */
export function testLanguageOf(path: string): TestLanguage | undefined {
  return testLanguages.find((language) => language.isTestFile(path));
}

export function isTestFile(path: string): boolean {
  return testLanguageOf(path) !== undefined;
}

/**
 * The language whose source file `path` is when it is no test file but may hold tests of its own (Rust unit
 * tests in `#[cfg(test)]` modules, vitest in-source tests, doctests). Only tests: `protect_tests` keeps to test files.
 */
export function inSourceTestsOf(path: string): InSourceTests | undefined {
  if (isTestFile(path)) return undefined;
  return testLanguages.find((language) => language.inSource?.mayHold(path))?.inSource;
}

/** Whether the guard reads `path` for tests: a test file, or a source file that may hold some. */
export function mayHoldTests(path: string): boolean {
  return isTestFile(path) || inSourceTestsOf(path) !== undefined;
}
