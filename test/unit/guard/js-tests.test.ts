import { describe, expect, it } from 'vitest';
import { parseTests } from '../../../src/guard/js/parse-tests.ts';
import type { TestCase } from '../../../src/guard/tests/test-case.ts';

const parseJs = (source: string, path = 'test/calc.test.js') => parseTests(path, source);
const titlesOf = (tests: TestCase[]) => tests.map((test) => test.titles.join(' > '));
const markersOf = (test: TestCase | undefined) =>
  test?.markers.map(({ kind, text, line }) => `${kind} ${text} @${line}`);

describe('parseTests (JS/TS)', () => {
  it('reads tests in the body functions of suites and tests only, not in titles, options or tables', () => {
    const tests = parseJs(`describe('calc', () => {
  it('adds', () => {
    expect(add(1, 2)).toBe(3);
    it('nested', () => { expect(add(0, 0)).toBe(0); });
  });
  test.each([it('in a table', () => {})])('row %s', (row) => { expect(row).toBeTruthy(); });
  test(\`\${it('in a title', () => {})}\`, { skip: it('in options', () => {}) }, () => {});
});
it('top', () => expect(1).toBe(1));
`);
    expect(titlesOf(tests)).toEqual([
      'calc > adds',
      'calc > adds > nested',
      'calc > row %s',
      `calc > \${it('in a title', () => {})}`,
      'top',
    ]);
    expect(tests.map((test) => test.assertions.map((assertion) => assertion.text))).toEqual([
      ['expect(add(1, 2)).toBe(3)'],
      ['expect(add(0, 0)).toBe(0)'],
      ['expect(row).toBeTruthy()'],
      [],
      ['expect(1).toBe(1)'],
    ]);
  });

  it('puts a skip in a before-hook on every test of the hook suite only, and none for other hook calls', () => {
    const tests = parseJs(`describe('outer', () => {
  it('outer test', () => { expect(1).toBe(1); });
  describe('inner', () => {
    before(function () { this.skip(); });
    it('inner test', () => { expect(2).toBe(2); });
    describe('deeper', () => {
      it('deeper test', () => { expect(3).toBe(3); });
    });
  });
  describe('sibling', () => {
    beforeEach(function () { this.timeout(5000); cache.skip(); });
    it('sibling test', () => { expect(4).toBe(4); });
  });
});
beforeEach((ctx) => { ctx.skip(); });
it('top test', () => { expect(5).toBe(5); });
`);
    expect(tests.map((test) => [test.titles.join(' > '), markersOf(test)])).toEqual([
      ['outer > outer test', ['skip ctx.skip() in a hook @15']],
      ['outer > inner > inner test', ['skip this.skip() in a hook @4', 'skip ctx.skip() in a hook @15']],
      ['outer > inner > deeper > deeper test', ['skip this.skip() in a hook @4', 'skip ctx.skip() in a hook @15']],
      ['outer > sibling > sibling test', ['skip ctx.skip() in a hook @15']],
      ['top test', ['skip ctx.skip() in a hook @15']],
    ]);
  });

  it('marks a test or suite whose .each table has no row, and no other table', () => {
    const tests = parseJs(`describe.each([])('empty %s', () => { it('a', () => { expect(1).toBe(1); }); });
test.each([/* none yet */])('b %s', (x) => { expect(x).toBe(1); });
test.each\`
  x | y
\`('c', ({ x }) => { expect(x).toBe(1); });
test.each([[1]])('d %s', (x) => { expect(x).toBe(1); });
test.each(rows)('e %s', (x) => { expect(x).toBe(1); });
test.each\`
  x | y
  \${1} | \${2}
\`('f', ({ x }) => { expect(x).toBe(1); });
`);
    expect(tests.map((test) => test.markers.map((marker) => marker.kind))).toEqual([
      ['skip'],
      ['skip'],
      ['skip'],
      [],
      [],
      [],
    ]);
  });

  it('takes in-body skips as markers, also for the tests nested after them, but no call that merely looks like one', () => {
    const [outer, inner] = parseJs(`it('outer', (t) => {
  t.skip();
  expect(value.toString()).toBe('1');
  value.constructor();
  it('inner', () => {});
});
`);
    expect(markersOf(outer)).toEqual(['skip t.skip() @2']);
    expect(markersOf(inner)).toEqual(['skip t.skip() @2']);
  });

  it('knows a test by its source: the same code in another file, unless the file asserts otherwise or does not parse', () => {
    const test = "it('adds', () => { assert.throws(() => add('x'), 'rejects'); });\n";
    const [plain] = parseJs(test);
    const [moved] = parseJs(`// moved\n\n${test}`, 'test/other.test.js');
    const [nodeAssert] = parseJs(`import assert from 'node:assert';\n${test}`);
    const [typed] = parseJs(test, 'test/calc.test.ts');
    const [broken] = parseJs(`${test}const x = ;\n`);
    expect(plain?.source).toBeDefined();
    expect(moved?.source).toBe(plain?.source);
    expect(moved?.assertions[0]?.line).toBe(3);
    expect(nodeAssert?.source).not.toBe(plain?.source);
    // node:assert reads 'rejects' as a failure message, chai's assert as the error message expected.
    expect(nodeAssert?.body.key).not.toBe(plain?.body.key);
    expect(typed?.source).not.toBe(plain?.source);
    expect(broken?.source).toBeUndefined();
    expect(broken?.body).toEqual(plain?.body);
  });

  it('reads the forms of a test once, when first asked', () => {
    const [test] = parseJs("it('adds', () => { expect(add(2, 3)).toBe(5); });\n");
    expect(test?.body).toBe(test?.body);
    expect(test?.assertions).toBe(test?.assertions);
    expect(test?.assertions.map((assertion) => assertion.key)).toEqual(['expect ( add ( 2 3 ) ) . toBe ( 5 )']);
  });
});
