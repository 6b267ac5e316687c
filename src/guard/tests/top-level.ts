import type { Assertion, TestCase } from './test-case.ts';
import { emptyTokenForm, joinTokenForms } from './token-form.ts';

/**
 * The title of the assertions a test file makes outside any test (a script run by `node x.js`, a Python module
 * with plain `assert` statements, helpers): they run with the file, so they count like a test of their own.
 */
export const topLevelTitle = '(top level)';

/**
 * The test case standing for a file's assertions outside its tests, or undefined when there are none. Its body
 * is its assertions, so that a changed value among them reads as a changed test.
 */
export function topLevelTest(
  path: string,
  source: string | undefined,
  assertions: () => Assertion[],
  count: number,
): TestCase | undefined {
  if (count === 0) return undefined;
  let computed: Assertion[] | undefined;
  const read = () => {
    computed ??= assertions();
    return computed;
  };
  return Object.defineProperties(
    { path, titles: [topLevelTitle], line: 1, source, markers: [] } as unknown as TestCase,
    {
      assertions: { get: read, enumerable: true },
      body: { get: () => joinTokenForms(read()), enumerable: true },
    },
  );
}

/**
 * `tests` with an empty top-level test when `other` (the file on the other side of the change) has one and
 * `tests` has none: the assertions removed from the top level then read as removed assertions, not a removed test.
 */
export function withTopLevelCounterpart(tests: TestCase[], other: readonly TestCase[] | undefined): TestCase[] {
  const isTopLevel = (test: TestCase) => test.titles.length === 1 && test.titles[0] === topLevelTitle;
  const theirs = other?.find(isTopLevel);
  if (!theirs || tests.some(isTopLevel)) return tests;
  const empty: TestCase = {
    path: theirs.path,
    titles: [topLevelTitle],
    line: 1,
    source: undefined,
    body: emptyTokenForm,
    assertions: [],
    markers: [],
  };
  return [...tests, empty];
}
