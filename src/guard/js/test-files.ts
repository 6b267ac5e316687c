import { Lang } from '@ast-grep/napi';

const scriptExtension = /\.([cm]?[jt]sx?)$/;
// vitest/jest (*.test.*, *.spec.*, __tests__/), mocha (test/), node:test (test.js, test-*.js, *-test.js, *_test.js),
// ava's defaults (all of these); files named by ava's `files` setting are found by run-guard's avaTestFiles.
const testFileName = /(^|\/)(__tests__|tests?)\/|[._-](test|spec)\.[cm]?[jt]sx?$|(^|\/)test(-[^/]*)?\.[cm]?[jt]sx?$/;

/** Whether `path` is a JavaScript or TypeScript test file by the conventions of vitest, jest, mocha and node:test. */
export function isJsTestFile(path: string): boolean {
  return scriptExtension.test(path) && testFileName.test(path) && !path.endsWith('.d.ts');
}

/** Whether `path` is a JavaScript or TypeScript file (declaration files aside), test file or not. */
export function isScriptFile(path: string): boolean {
  return scriptExtension.test(path) && !path.endsWith('.d.ts');
}

/** The ast-grep language that parses `path`. */
export function languageOf(path: string): Lang {
  const extension = scriptExtension.exec(path)?.[1] ?? 'js';
  if (extension === 'tsx') return Lang.Tsx;
  if (extension.endsWith('ts')) return Lang.TypeScript;
  return Lang.JavaScript;
}
