import { go } from '../go/go-language.ts';
import { javascript } from '../js/js-language.ts';
import { python } from '../python/python-language.ts';
import { rust } from '../rust/rust-language.ts';
import type { TestLanguage } from './test-case.ts';

/** Every language whose tests the guard reads. */
export const testLanguages: readonly TestLanguage[] = [javascript, python, go, rust];

/** The language whose test file `path` is, or undefined when it is no test file. */
export function testLanguageOf(path: string): TestLanguage | undefined {
  return testLanguages.find((language) => language.isTestFile(path));
}

export function isTestFile(path: string): boolean {
  return testLanguageOf(path) !== undefined;
}
