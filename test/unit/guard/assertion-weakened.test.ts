import { describe, expect, it } from 'vitest';
import type { ChangedFile } from '../../../src/guard/changed-files.ts';
import type { Finding, GuardContext } from '../../../src/guard/finding.ts';
import { assertionWeakened } from '../../../src/guard/rules/assertion-weakened.ts';
import { assertionShadows } from '../../../src/guard/tests/assertion-shadows.ts';
import { compareTests } from '../../../src/guard/tests/test-changes.ts';

/** The guard's context for one test file changed from `before` to `after`, parsed as the guard parses it, based on `main`. */
function contextFor(path: string, before: string | undefined, after: string): GuardContext {
  const changed: ChangedFile[] = [{ path, status: before === undefined ? 'added' : 'modified', before, after }];
  return { ...compareTests('main', changed), changed, protectedBy: () => undefined };
}

function findingsFor(path: string, before: string | undefined, after: string): Finding[] {
  return assertionWeakened.check(contextFor(path, before, after));
}

const vitestFile = (assertion: string, head = "import { expect, it } from 'vitest';\n") =>
  `${head}import { sum } from './sum.js';\n\nit('adds', () => {\n  const got = sum(1, 2);\n  ${assertion};\n});\n`;

describe('assertion-weakened', () => {
  it('names the test, file:line, what was checked and what to restore', () => {
    const [finding, ...rest] = findingsFor(
      'src/sum.test.ts',
      vitestFile('expect(got).toBe(3)'),
      vitestFile('expect(got).toBeDefined()'),
    );
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ rule: 'assertion-weakened', path: 'src/sum.test.ts', line: 6, severity: 'block' });
    expect(finding?.message).toBe(
      'test "adds" (src/sum.test.ts:6) now asserts `expect(got).toBeDefined()`, which only checks `toBeDefined`, not ' +
        'the value; at main it asserted `expect(got).toBe(3)` (line 6 of src/sum.test.ts), which checks the value. ' +
        'Restore `expect(got).toBe(3)`.',
    );
  });

  it('says the expected value is now the call under test', () => {
    const [finding] = findingsFor(
      'src/sum.test.ts',
      vitestFile('expect(sum(1, 2)).toBe(3)'),
      vitestFile('expect(sum(1, 2)).toBe(sum(1, 2))'),
    );
    expect(finding?.message).toContain('which compares `sum(1, 2)` with itself');
  });

  it('is quiet for an equivalent or stricter matcher, swapped operands and reformatting', () => {
    const before = vitestFile('expect(got).toBeTruthy()');
    for (const after of [
      vitestFile('expect(got).toBe(3)'),
      vitestFile('expect(3).toStrictEqual(got)'),
      vitestFile('expect(got).toBeGreaterThan(0)'),
      vitestFile('expect(\n    got,\n  ).toBeTruthy()'),
    ]) {
      expect(findingsFor('src/sum.test.ts', before, after)).toEqual([]);
    }
    expect(
      findingsFor('src/sum.test.ts', vitestFile('expect(got).toBe(3)'), vitestFile('expect(3).toEqual(got)')),
    ).toEqual([]);
  });

  it('matches rewritten assertions strongest with strongest, so reordering them is no finding', () => {
    const before = vitestFile('expect(got).toBe(3);\n  expect(sum).toBeDefined()');
    const after = vitestFile('expect(sum).toBeTruthy();\n  expect(3).toStrictEqual(got)');
    expect(findingsFor('src/sum.test.ts', before, after)).toEqual([]);
    const weakened = findingsFor(
      'src/sum.test.ts',
      before,
      vitestFile('expect(sum).toBeTruthy();\n  expect(got).toBeTruthy()'),
    );
    expect(weakened.map((finding) => finding.line)).toEqual([7]);
    expect(weakened[0]?.message).toContain('Restore `expect(got).toBe(3)`');
  });

  it('reports a value check made a bound, at the new line', () => {
    const before = 'use adder::add;\n\n#[test]\nfn adds() {\n    assert_eq!(add(1, 2), 3);\n}\n';
    const after = 'use adder::add;\n\n#[test]\nfn adds() {\n    let sum = add(1, 2);\n    assert!(sum >= 0);\n}\n';
    const [finding] = findingsFor('tests/add.rs', before, after);
    expect(finding).toMatchObject({ line: 6 });
    expect(finding?.message).toContain('only checks `sum >= 0`, not the value');
    expect(finding?.message).toContain('Restore `assert_eq!(add(1, 2), 3);`');
  });

  it('reports an assertion put behind || or &&, not one that was there already', () => {
    const assertFile = (line: string) =>
      `import assert from 'node:assert';\nimport { test } from 'node:test';\n\ntest('parses', () => {\n  ${line};\n});\n`;
    for (const guarded of [
      'assert.ok(true) || assert.equal(parse("3"), 3)',
      'false &&\n    assert.equal(parse("3"), 3)',
      'ready ?? assert.equal(parse("3"), 3)',
    ]) {
      const findings = findingsFor(
        'test/parse.test.mjs',
        assertFile('assert.equal(parse("3"), 3)'),
        assertFile(guarded),
      );
      expect(findings.map((finding) => finding.message).join('\n')).toMatch(/only behind `(\|\||&&|\?\?)`/);
    }
    const already = assertFile('ok || assert.equal(parse("3"), 3)');
    expect(findingsFor('test/parse.test.mjs', `${already}\n// touched\n`, `${already}\n// touched again\n`)).toEqual(
      [],
    );
  });

  it('reports a new definition of the assertion function, and only a new one', () => {
    const before = vitestFile('expect(got).toBe(3)');
    const after = vitestFile(
      'expect(got).toBe(3)',
      "import { it } from 'vitest';\n\nconst expect = () => ({ toBe() {} });\n",
    );
    const [finding] = findingsFor('src/sum.test.ts', before, after);
    expect(finding?.line).toBe(3);
    expect(finding?.message).toContain('redefines `expect`');
    expect(finding?.message).toContain('delete this line and use the real `expect` as main:src/sum.test.ts does');
    expect(finding?.message).not.toContain('git checkout');
    expect(findingsFor('src/sum.test.ts', after, `${after}\n`)).toEqual([]);
  });

  it('judges a large test file in well under a second (parsing, shared by every rule, aside)', () => {
    const many = Array.from(
      { length: 2000 },
      (_, index) => `it('t${index}', () => {\n  expect(sum(${index}, 1)).toBe(${index + 1});\n});\n`,
    ).join('');
    const after = many.replace('expect(sum(7, 1)).toBe(8)', 'expect(sum(7, 1)).toBeDefined()');
    const context = contextFor('test/many.test.ts', many, after);
    const started = performance.now();
    const findings = assertionWeakened.check(context);
    const elapsed = performance.now() - started;
    expect(findings.map((finding) => finding.line)).toEqual([23]);
    expect(elapsed).toBeLessThan(1000);
  });
});

describe('assertionShadows', () => {
  it.each([
    ['a.test.ts', 'const expect = () => ({ toBe() {} });', 'expect'],
    ['a.test.ts', 'let assert = () => {};', 'assert'],
    ['a.test.ts', 'function assert() {}', 'assert'],
    ['a.test.ts', 'assert.equal = () => {};', 'assert.equal'],
    ['a.test.ts', 'globalThis.expect = fake;', 'expect'],
    ['a.test.ts', "const { expect } = require('./fake-expect');", 'expect'],
    ['a.test.ts', "import { expect } from './fake.js';", 'expect'],
    ['a.test.ts', "vi.mock('node:assert', () => ({ default: () => {} }));", 'node:assert'],
    ['a.test.ts', 'expect.extend({ toBe: () => ({ pass: true, message: () => "" }) });', 'toBe'],
    ['a.test.ts', "  Assertion.overwriteMethod('equal', () => function () {});", 'equal'],
    ['test_a.py', '        self.assertEqual = lambda *a: None', 'assertEqual'],
    ['test_a.py', '    def assertTrue(self, *args):', 'assertTrue'],
    ['test_a.py', 'unittest.TestCase.assertEqual = lambda *a, **k: None', 'assertEqual'],
    ['test_a.py', "    monkeypatch.setattr(self, 'assertEqual', noop)", 'assertEqual'],
    ['a_test.go', '\tassert := fakeAssert{}', 'assert'],
    ['a_test.go', 'var require = fake{}', 'require'],
    ['tests/a.rs', 'macro_rules! assert_eq {', 'assert_eq'],
    ['tests/a.rs', 'use crate::noop as assert;', 'assert'],
  ])('%s: %s', (path, line, name) => {
    expect(assertionShadows(path, `${line}\n`).map((shadow) => shadow.name)).toEqual([name]);
  });

  it.each([
    ['a.test.ts', "import assert from 'node:assert';"],
    ['a.test.ts', "const assert = require('node:assert');"],
    ['a.test.ts', "const assert = require('assert').strict;"],
    ['a.test.ts', "const { expect } = require('chai');"],
    ['a.test.ts', 'const { it, expect } = import.meta.vitest;'],
    ['a.test.ts', "import { expect, test } from '@playwright/test';"],
    ['a.test.ts', 'const expected = 3;'],
    ['a.test.ts', 'function assertSum(a, b) {}'],
    ['a.test.ts', 'expect.extend({ toBeWithinRange });'],
    ['a.test.ts', 'expect(assert === undefined).toBe(true);'],
    ['test_a.py', 'def assert_total(values, want):'],
    ['test_a.py', 'assert total == 6'],
    ['test_a.py', '    result.fail = True'],
    ['test_a.py', '    self.assertEqual(total, 6)'],
    ['a_test.go', '\tassert := assert.New(t)'],
    ['a_test.go', '\tassert.Equal(t, 3, got)'],
    ['tests/a.rs', 'fn assert_sum(a: i32) {}'],
  ])('%s: %s is no shadow', (path, line) => {
    expect(assertionShadows(path, `${line}\n`)).toEqual([]);
  });
});
