import { describe, expect, it } from 'vitest';
import { parseTests } from '../../../src/guard/js/parse-tests.ts';
import type { TestCase } from '../../../src/guard/tests/test-case.ts';

const skipsOf = (tests: TestCase[]) =>
  Object.fromEntries(
    tests.map((test) => [test.titles.join(' > '), test.markers.map((marker) => `${marker.text} @${marker.line}`)]),
  );

describe('async describe bodies (mocha does not wait for them)', () => {
  it('marks the tests after the first own await of an async suite body, nested suites included', () => {
    const tests = parseTests(
      'test/cart.spec.js',
      `const assert = require('node:assert');
describe('cart', async () => {
  it('starts empty', () => { assert.equal(new Cart().size, 0); });
  const prices = await loadPrices();
  it('adds', async () => { await add(); assert.equal(total(), 3); });
  describe('discounts', () => {
    it('rounds', () => { assert.equal(round(1.005), 1.01); });
  });
});
`,
    );
    expect(skipsOf(tests)).toEqual({
      'cart > starts empty': [],
      'cart > adds': ['await loadPrices() in an async describe @4'],
      'cart > discounts > rounds': ['await loadPrices() in an async describe @4'],
    });
  });

  it('reads a `for await` and the await of a nested suite body', () => {
    const tests = parseTests(
      'test/feed.test.js',
      `describe('feed', function () {
  describe('items', async function () {
    for await (const item of stream()) seen.push(item);
    it('parses', function () { assert.ok(parse(seen)); });
  });
  it('stays', function () { assert.ok(true); });
});
`,
    );
    expect(skipsOf(tests)).toEqual({
      'feed > items > parses': ['for await (const item of stream()) seen.… in an async describe @3'],
      'feed > stays': [],
    });
  });

  it('leaves out awaits in tests and hooks, async bodies that await nothing, and the runners that wait or refuse', () => {
    const inTests = `describe('cart', async () => {
  before(async () => { await seed(); });
  it('adds', async () => { await add(); expect(total()).to.equal(3); });
  it('removes', () => { expect(remove()).to.equal(0); });
});
`;
    expect(Object.values(skipsOf(parseTests('test/cart.spec.js', inTests))).flat()).toEqual([]);
    const awaited = `describe('cart', async () => {
  const prices = await loadPrices();
  it('adds', () => { expect(add(prices)).toBe(3); });
});
`;
    for (const header of [
      "import { describe, expect, it } from 'vitest';\n",
      "import { describe, it } from 'node:test';\n",
      "const { describe, it } = require('node:test');\n",
      "import { describe, expect, it } from '@jest/globals';\n",
      "import { describe, it } from 'bun:test';\n",
      "vi.mock('./prices');\n",
      "jest.mock('./prices');\n",
    ]) {
      expect(Object.values(skipsOf(parseTests('test/cart.test.ts', header + awaited))).flat(), header).toEqual([]);
    }
    expect(Object.values(skipsOf(parseTests('test/cart.test.ts', awaited))).flat()).toHaveLength(1);
  });
});
