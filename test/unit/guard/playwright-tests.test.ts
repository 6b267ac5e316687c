import { describe, expect, it } from 'vitest';
import { parseTests } from '../../../src/guard/js/parse-tests.ts';

/** Each test of a Playwright spec, by title, with the kinds of its markers. */
function markersOf(source: string): Record<string, string[]> {
  const tests = parseTests('tests/cart.spec.js', `import { expect, test } from '@playwright/test';\n${source}`);
  return Object.fromEntries(tests.map((test) => [test.titles.join(' > '), test.markers.map((marker) => marker.kind)]));
}

const body = "async ({ page }) => {\n  await expect(page).toHaveTitle('Cart');\n}";

describe('Playwright annotations', () => {
  it.each([
    ['test.skip()', 'skip'],
    ["test.skip(process.platform === 'linux', 'why')", 'skip'],
    ["test.skip(({ browserName }) => browserName === 'webkit', 'why')", 'skip'],
    ['test.fixme()', 'skip'],
    ['test.fail()', 'xfail'],
  ])('takes %s in a test body for a marker of that test, not a new test', (call, kind) => {
    const source = `test('a', async ({ page }) => {\n  ${call};\n  await expect(page).toHaveTitle('Cart');\n});\ntest('b', ${body});\n`;
    expect(markersOf(source)).toEqual({ a: [kind], b: [] });
  });

  it('marks every test of the file or the suite an annotation stands in, wherever it stands', () => {
    expect(markersOf(`test('a', ${body});\ntest.fixme();\ntest('b', ${body});\n`)).toEqual({
      a: ['skip'],
      b: ['skip'],
    });
    const suite = `test.describe('s', () => {\n  test('a', ${body});\n  test.skip();\n});\ntest('b', ${body});\n`;
    // A `test.describe` is read as a test that holds tests, as before: `s`.
    expect(markersOf(suite)).toEqual({ s: [], 's > a': ['skip'], b: [] });
    const hook = `test.describe('s', () => {\n  test.beforeEach(() => {\n    test.fail();\n  });\n  test('a', ${body});\n});\ntest('b', ${body});\n`;
    expect(markersOf(hook)).toEqual({ s: [], 's > a': ['xfail'], b: [] });
  });

  it('reads test.fixme and test.fail with a title as marked tests, and test.slow as no marker', () => {
    expect(
      markersOf(`test.fixme('a', ${body});\ntest.fail('b', ${body});\ntest.slow();\ntest('c', ${body});\n`),
    ).toEqual({ a: ['skip'], b: ['xfail'], c: [] });
  });

  it('keeps a skipped test declared with a title held in a variable a test', () => {
    expect(markersOf(`const title = 'a';\ntest.skip(title, ${body});\n`)).toEqual({ title: ['skip'] });
  });
});
