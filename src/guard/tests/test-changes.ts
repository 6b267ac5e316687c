import type { ChangedFile } from '../changed-files.ts';
import type { TestCase } from './test-case.ts';
import { inSourceTestsOf, testLanguageOf } from './test-languages.ts';
import { withTopLevelCounterpart } from './top-level.ts';

/** A test file the change touched; `before`/`after` undefined when the file is absent on that side. */
export interface TestFileChange {
  path: string;
  before: TestCase[] | undefined;
  after: TestCase[] | undefined;
}

/** A test at the base and the same test in the working tree (same title, or same body under a new title or file). */
export interface TestPair {
  before: TestCase;
  after: TestCase;
}

/** The tests of the changed test files, matched from base to working tree. */
export interface TestChangeSet {
  /** The base as the user named it, for messages ("restore it from <base>"). */
  base: string;
  files: TestFileChange[];
  pairs: TestPair[];
  /** Base tests found nowhere in the working tree. */
  removed: TestCase[];
  /** Working-tree tests with no base counterpart. */
  added: TestCase[];
}

type Matcher = (before: TestCase, after: TestCase) => boolean;

const sameTitles = (a: TestCase, b: TestCase) => a.titles.join('\0') === b.titles.join('\0');
const sameBody = (a: TestCase, b: TestCase) => a.body.key !== '' && sameCode(a, b);
const sameTitle = (a: TestCase, b: TestCase) => a.titles.at(-1) === b.titles.at(-1);
const samePath: Matcher = (a, b) => a.path === b.path;

// Strictest first, so a loose match never takes the counterpart an exact one needs: a renamed title with
// the same body is the same test (a fixed typo); so is the same test moved to another file or suite.
const matchers: Matcher[] = [
  (a, b) => samePath(a, b) && sameTitles(a, b),
  (a, b) => samePath(a, b) && sameBody(a, b),
  sameTitles,
  sameBody,
  (a, b) => samePath(a, b) && sameTitle(a, b),
  (a, b) => sameTitle(a, b) && a.assertions.length > 0 && sameAssertions(a, b),
];

function sameAssertions(a: TestCase, b: TestCase): boolean {
  if (sameSource(a, b)) return true;
  return a.assertions.map((x) => x.key).join('\n') === b.assertions.map((x) => x.key).join('\n');
}

/** Whether two tests are written the same: then their token forms are equal too, and need not be read. */
export function sameSource(a: TestCase, b: TestCase): boolean {
  return a.source !== undefined && a.source === b.source;
}

/** Whether two tests have the same code (equal body keys); reads their token forms only when their sources differ. */
export function sameCode(a: TestCase, b: TestCase): boolean {
  return sameSource(a, b) || a.body.key === b.body.key;
}

/** Parse both sides of every changed test file and match their tests. */
export function compareTests(base: string, changed: ChangedFile[]): TestChangeSet {
  const files = changed.flatMap((file): TestFileChange[] => {
    const parse = parserOf(file);
    if (!parse) return [];
    const before = file.before === undefined ? undefined : parse(file.before);
    const after = file.after === undefined ? undefined : parse(file.after);
    return [
      {
        path: file.path,
        before: before && withTopLevelCounterpart(before, after),
        after: after && withTopLevelCounterpart(after, before),
      },
    ];
  });
  const unmatchedBefore = files.flatMap((file) => file.before ?? []);
  const unmatchedAfter = files.flatMap((file) => file.after ?? []);
  const pairs: TestPair[] = [];
  for (const matches of matchers) {
    for (const before of [...unmatchedBefore]) {
      const index = unmatchedAfter.findIndex((after) => matches(before, after));
      if (index === -1) continue;
      const [after] = unmatchedAfter.splice(index, 1);
      if (after) pairs.push({ before, after });
      unmatchedBefore.splice(unmatchedBefore.indexOf(before), 1);
    }
  }
  return { base, files, pairs, removed: unmatchedBefore, added: unmatchedAfter };
}

/**
 * How the tests of a changed file are read: a test file by its language; a source file by its language's
 * in-source tests, only when one side of it may hold some (a text check, so big diffs stay cheap to guard).
 */
function parserOf(file: ChangedFile): ((source: string) => TestCase[]) | undefined {
  const language = testLanguageOf(file.path);
  if (language) return (source) => language.parseTests(file.path, source);
  const inSource = inSourceTestsOf(file.path);
  const holds = (source: string | undefined) => source !== undefined && inSource?.holds(source) === true;
  if (!inSource || !(holds(file.before) || holds(file.after))) return undefined;
  return (source) => inSource.parseTests(file.path, source);
}

/** "suite > test", as a person reads it. */
export function testName(test: TestCase): string {
  return test.titles.join(' > ');
}
