import type { ChangedFile } from '../changed-files.ts';
import { javascript } from '../js/js-language.ts';
import { matchTables, tableDriving } from '../tables/compare-tables.ts';
import type { DrivingTable } from '../tables/driving-table.ts';
import { tablesOf } from '../tables/tables-of.ts';
import { cachedBaseTests } from './base-tests-cache.ts';
import type { TestCase } from './test-case.ts';
import { inSourceTestsOf, testLanguageOf } from './test-languages.ts';
import { withTopLevelCounterpart } from './top-level.ts';

/** A test file the change touched; `before`/`after` undefined when the file is absent on that side. */
export interface TestFileChange {
  path: string;
  before: TestCase[] | undefined;
  after: TestCase[] | undefined;
  /** The tables that drive its tests (`test.each`, parametrize, Go tables), read when the file is on both sides. */
  tables: { before: DrivingTable[]; after: DrivingTable[] };
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
  (a, b) => samePath(a, b) && dynamicTitle(a) && dynamicTitle(b) && renamedOnly(a, b),
];

const sourceTokens = new WeakMap<TestCase, string[] | undefined>();

/**
 * The same test with names renamed one to one (the loop variable `t` became `row`, so `t.name` became
 * `row.name`): token for token the same code but for identifiers, each always replaced by the same other one.
 * Such a test is paired, so that the rules compare its assertions, rather than reported removed and added.
 */
function renamedOnly(a: TestCase, b: TestCase): boolean {
  const [x, y] = [tokensOf(a), tokensOf(b)];
  if (!x || !y || x.length !== y.length) return false;
  const forward = new Map<string, string>();
  const backward = new Map<string, string>();
  return x.every((token, index) => {
    const other = y[index] ?? '';
    if (!identifier.test(token) || !identifier.test(other)) return token === other;
    if ((forward.get(token) ?? other) !== other || (backward.get(other) ?? token) !== token) return false;
    forward.set(token, other);
    backward.set(other, token);
    return true;
  });
}

const identifier = /^[A-Za-z_$]/;

/**
 * A title built from a loop's variable (`t.name`, `tt.name`, `` `slug(${t.input})` ``): only such tests change
 * title when a variable is renamed. Tests with written titles are matched by title or body, never by renaming,
 * so a test replaced by another of the same shape is still reported removed.
 */
function dynamicTitle(test: TestCase): boolean {
  const title = test.titles.at(-1) ?? '';
  return /\$\{/.test(title) || /^[A-Za-z_$][\w$]*(?:\.[\w$]+|\[[^\]]+\])+$/.test(title);
}

function tokensOf(test: TestCase): string[] | undefined {
  if (!sourceTokens.has(test)) sourceTokens.set(test, test.source?.match(/[A-Za-z_$][\w$]*|\d[\w.]*|\S/g) ?? undefined);
  return sourceTokens.get(test);
}

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
export function compareTests(
  base: string,
  changed: ChangedFile[],
  /** JS test files by the runner's configuration rather than their names (ava's `files`). */
  configuredJsTests?: (path: string) => boolean,
): TestChangeSet {
  const files = changed.flatMap((file): TestFileChange[] => {
    const parser = parserOf(file, configuredJsTests);
    if (!parser) return [];
    const { name, parse } = parser;
    const atBase = file.before;
    const before = atBase === undefined ? undefined : cachedBaseTests(name, file.path, atBase, () => parse(atBase));
    const after = file.after === undefined ? undefined : parse(file.after);
    const both = file.before !== undefined && file.after !== undefined && file.before !== file.after;
    return [
      {
        path: file.path,
        before: before && withTopLevelCounterpart(before, after),
        after: after && withTopLevelCounterpart(after, before),
        tables: {
          before: both && file.before ? tablesOf(file.path, file.before) : [],
          after: both && file.after ? tablesOf(file.path, file.after) : [],
        },
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
  for (const file of files) pairTableDrivenTests(file, unmatchedBefore, unmatchedAfter, pairs);
  return { base, files, pairs, removed: unmatchedBefore, added: unmatchedAfter };
}

/**
 * Pair the tests a table drives that no other matcher paired: the loop variable renamed (`t.name` became
 * `c.name`), a loop turned into `test.each` over the same table. Their titles and bodies differ, but they run
 * the same rows, which the table rule compares; the n-th such test of a table pairs with the n-th of its
 * counterpart.
 */
function pairTableDrivenTests(
  file: TestFileChange,
  unmatchedBefore: TestCase[],
  unmatchedAfter: TestCase[],
  pairs: TestPair[],
): void {
  if (file.tables.before.length === 0 || file.tables.after.length === 0) return;
  const driven = (tests: TestCase[], tables: DrivingTable[], table: DrivingTable) =>
    tests.filter((test) => test.path === file.path && tableDriving(tables, test.line) === table);
  for (const { before: was, after: now } of matchTables(file.tables.before, file.tables.after).pairs) {
    const befores = driven(unmatchedBefore, file.tables.before, was);
    const afters = driven(unmatchedAfter, file.tables.after, now);
    befores.slice(0, afters.length).forEach((before, index) => {
      const after = afters[index];
      if (!after) return;
      pairs.push({ before, after });
      unmatchedBefore.splice(unmatchedBefore.indexOf(before), 1);
      unmatchedAfter.splice(unmatchedAfter.indexOf(after), 1);
    });
  }
}

/**
 * How the tests of a changed file are read: a test file by its language; a source file by its language's
 * in-source tests, only when one side of it may hold some (a text check, so big diffs stay cheap to guard).
 */
function parserOf(
  file: ChangedFile,
  configuredJsTests: ((path: string) => boolean) | undefined,
): { name: string; parse: (source: string) => TestCase[] } | undefined {
  const language = testLanguageOf(file.path) ?? (configuredJsTests?.(file.path) ? javascript : undefined);
  if (language) return { name: language.name, parse: (source) => language.parseTests(file.path, source) };
  const inSource = inSourceTestsOf(file.path);
  const holds = (source: string | undefined) => source !== undefined && inSource?.holds(source) === true;
  if (!inSource || !(holds(file.before) || holds(file.after))) return undefined;
  return { name: 'in-source', parse: (source) => inSource.parseTests(file.path, source) };
}

/** "suite > test", as a person reads it. */
export function testName(test: TestCase): string {
  return test.titles.join(' > ');
}
