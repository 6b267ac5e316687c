import { describe, expect, it } from 'vitest';
import { parseTests } from '../../../src/guard/python/parse-tests.ts';
import { isPythonTestFile } from '../../../src/guard/python/test-files.ts';
import type { TestCase } from '../../../src/guard/tests/test-case.ts';

const parsePy = (source: string) => parseTests('tests/test_cart.py', source);
const titlesOf = (tests: TestCase[]) => tests.map((test) => test.titles.join(' > '));
const markersOf = (test: TestCase | undefined) =>
  test?.markers.map(({ kind, text, line }) => `${kind} ${text} @${line}`);
const only = (source: string): TestCase => {
  const [test, ...rest] = parsePy(source);
  if (!test || rest.length > 0) throw new Error(`expected one test, got ${rest.length + (test ? 1 : 0)}`);
  return test;
};

describe('isPythonTestFile', () => {
  it.each([
    'test_cart.py',
    'src/shop/cart_test.py',
    'tests/test_cart.py',
    'tests/unit/tests_cart.py',
    'test/testcart.py',
  ])('takes %s', (path) => expect(isPythonTestFile(path)).toBe(true));

  it.each([
    'tests/conftest.py',
    'conftest.py',
    'tests/helpers.py',
    'tests/__init__.py',
    'src/shop/cart.py',
    'src/contest.py',
    'test_cart.pyc',
    'tests/test_cart.js',
  ])('leaves %s', (path) => expect(isPythonTestFile(path)).toBe(false));
});

describe('parseTests (python) titles', () => {
  it('finds pytest functions and methods of Test* classes, also nested and async ones', () => {
    const tests = parsePy(`import pytest

def helper(): assert True
def test_add(): assert 1 + 1 == 2
async def test_fetch(): assert await fetch() == 1

class TestCart:
    def setup_method(self): self.cart = []
    def test_empty(self): assert self.cart == []

    class TestTotals:
        def test_zero(self): assert total([]) == 0

class Helpers:
    def test_not_collected(self): assert False

if sys.version_info >= (3, 12):
    def test_new_syntax(): assert True
`);
    expect(titlesOf(tests)).toEqual([
      'test_add',
      'test_fetch',
      'TestCart > test_empty',
      'TestCart > TestTotals > test_zero',
      'test_new_syntax',
      // helper() and Helpers assert outside any test.
      '(top level)',
    ]);
    expect(tests.map((test) => test.line)).toEqual([4, 5, 9, 12, 18, 1]);
  });

  it('finds unittest methods in TestCase subclasses of any name, also through a base class of the file', () => {
    const tests = parsePy(`import unittest
from django.test import TestCase

class CartCase(unittest.TestCase):
    def test_add(self): self.assertEqual(add(1, 1), 2)
    def helper(self): pass

class ViewCase(TestCase):
    def testIndex(self): self.assertTrue(index())

class DerivedCase(CartCase):
    def test_more(self): self.assertEqual(add(2, 2), 4)
`);
    expect(titlesOf(tests)).toEqual(['CartCase > test_add', 'ViewCase > testIndex', 'DerivedCase > test_more']);
  });
});

describe('parseTests (python) markers', () => {
  it('reads skip and xfail decorators of pytest and unittest', () => {
    const tests = parsePy(`import pytest, unittest
from unittest import expectedFailure

@pytest.mark.skip(reason="flaky")
def test_a(): assert a()

@pytest.mark.skipif(sys.platform == "win32", reason="posix only")
def test_b(): assert b()

@pytest.mark.xfail
def test_c(): assert c()

@pytest.mark.parametrize("n", [1, pytest.param(2, marks=pytest.mark.xfail)])
def test_d(n): assert d(n)

class CartCase(unittest.TestCase):
    @unittest.skipIf(True, "later")
    def test_e(self): self.assertTrue(e())

    @expectedFailure
    def test_f(self): self.assertTrue(f())

    @pytest.mark.slow
    def test_g(self): self.assertTrue(g())
`);
    expect(tests.map(markersOf)).toEqual([
      ['skip @pytest.mark.skip @4'],
      ['skip @pytest.mark.skipif @7'],
      ['xfail @pytest.mark.xfail @10'],
      ['xfail pytest.mark.xfail @13'],
      ['skip @unittest.skipIf @17'],
      ['xfail @expectedFailure @20'],
      [],
    ]);
  });

  it('puts class decorators, pytestmark and skips in setUp on every test of the suite', () => {
    const tests = parsePy(`import pytest, unittest

pytestmark = [pytest.mark.slow, pytest.mark.skip(reason="db down")]

@unittest.skip("broken")
class CartCase(unittest.TestCase):
    def test_a(self): self.assertTrue(a())
    def test_b(self): self.assertTrue(b())

class TestOrders:
    pytestmark = pytest.mark.xfail

    def test_c(self): assert c()

class PaymentCase(unittest.TestCase):
    def setUp(self):
        self.skipTest("gateway down")

    def test_d(self): self.assertTrue(d())
`);
    const shared = 'skip pytestmark = pytest.mark.skip @3';
    expect(tests.map(markersOf)).toEqual([
      [shared, 'skip @unittest.skip @5'],
      [shared, 'skip @unittest.skip @5'],
      [shared, 'xfail pytestmark = pytest.mark.xfail @11'],
      [shared, 'skip self.skipTest() @17'],
    ]);
  });

  it('reads skips called inside the test and module-level pytest.skip', () => {
    const tests = parsePy(`import pytest, unittest

if sys.platform == "win32":
    pytest.skip("posix only", allow_module_level=True)

def test_a(): pytest.skip("later")

def test_b():
    if slow():
        pytest.xfail("too slow")
    assert b()

class CartCase(unittest.TestCase):
    def test_c(self): self.skipTest("later")
    def test_d(self): raise unittest.SkipTest("later")
`);
    const shared = 'skip pytest.skip() @4';
    expect(tests.map(markersOf)).toEqual([
      [shared, 'skip pytest.skip() @6'],
      [shared, 'xfail pytest.xfail() @10'],
      [shared, 'skip self.skipTest() @14'],
      [shared, 'skip raise unittest.SkipTest @15'],
    ]);
  });
});

describe('parseTests (python) assertions', () => {
  it('counts assert statements, unittest and mock assertions, and pytest.raises; commented-out ones are gone', () => {
    const test = only(`def test_checkout(self):
    assert total(cart) == pytest.approx(9.99)
    # assert total([]) == 0
    self.assertEqual(len(cart), 2)
    with pytest.raises(ValueError, match="empty") as error:
        checkout([])
    with self.assertRaises(KeyError):
        cart["missing"]
    pytest.raises(TypeError, checkout, None)
    mailer.send.assert_called_once_with("receipt")
    assert_that(cart).is_not_empty()
    if not paid:
        self.fail("not paid")
    compute_total(cart)
`);
    expect(test.assertions.map((assertion) => `${assertion.line}: ${assertion.text}`)).toEqual([
      '2: assert total(cart) == pytest.approx(9.99)',
      '4: self.assertEqual(len(cart), 2)',
      '5: pytest.raises(ValueError, match="empty")',
      '7: self.assertRaises(KeyError)',
      '9: pytest.raises(TypeError, checkout, None)',
      '10: mailer.send.assert_called_once_with("receipt")',
      '11: assert_that(cart).is_not_empty()',
      '13: self.fail("not paid")',
    ]);
    expect(test.assertions[0]?.skeleton).toBe('assert total ( cart ) == pytest . approx ( \u2047 )');
    expect(test.assertions[0]?.literals).toEqual(['9.99']);
  });
});

describe('parseTests (python) body', () => {
  const before = `def test_total():
    """Sums the prices."""
    cart = Cart()
    cart.add(Item('apple', price=3), qty=2)
    assert cart.total() == 6, 'apples'
`;

  it('keeps the key through reformatting, comments and a new docstring', () => {
    const after = `def test_total():
    """Total of a cart with two apples: their prices summed."""
    # two apples
    cart = Cart()
    cart.add(
        Item("apple", price=3),
        qty=2,
    )
    assert cart.total() == 6, "apples"  # 2 * 3
`;
    expect(only(after).body).toEqual(only(before).body);
    expect(only(before).body.key).toBe(
      'cart = Cart ( ) cart . add ( Item ( apple price = 3 ) qty = 2 ) assert cart . total ( ) == 6',
    );
  });

  it('keeps the skeleton but not the key when only a literal changes', () => {
    const after = before.replace('== 6', '== 7');
    expect(only(after).body.skeleton).toBe(only(before).body.skeleton);
    expect(only(after).body.key).not.toBe(only(before).body.key);
    expect(only(after).body.literals).toContain('7');
  });

  it('counts parametrize cases as part of the body', () => {
    const table = (expected: number) => `@pytest.mark.parametrize("qty,total", [(1, 3), (2, ${expected})])
def test_total(qty, total):
    assert price(qty) == total
`;
    expect(only(table(7)).body.skeleton).toBe(only(table(6)).body.skeleton);
    expect(only(table(7)).body.key).not.toBe(only(table(6)).body.key);
  });

  it('tells a statement moved out of a block from one inside it', () => {
    const inside = `def test_rejects():
    with pytest.raises(ValueError):
        parse("x")
        assert log.errors == 1
`;
    const outside = `def test_rejects():
    with pytest.raises(ValueError):
        parse("x")
    assert log.errors == 1
`;
    expect(only(inside).body.key).not.toBe(only(outside).body.key);
  });
});

describe('parseTests (python) broken source', () => {
  it('returns the tests it can read without throwing', () => {
    const source = `def test_ok():
    assert 1 == 1

def test_broken(:
    assert x ==

class TestLater:
    def test_after(self):
        assert f(
`;
    expect(() => parsePy(source)).not.toThrow();
    const tests = parsePy(source);
    expect(tests[0]?.titles).toEqual(['test_ok']);
    expect(tests[0]?.assertions).toHaveLength(1);
    expect(parsePy('def test_(\n\x00 ))) """')).toEqual(expect.any(Array));
  });
});

describe('parseTests sources', () => {
  const test = `@pytest.mark.parametrize("a, b", [(2, 3)])
def test_add(a, b):
    with pytest.raises(TypeError):
        add(a, None)
    assert add(a, b) == 5, "sum"
`;

  it('knows a test by its code, wherever it is, unless its body or table has syntax errors', () => {
    const plain = only(test);
    const moved = only(`import pytest\n\n\n${test}\n\ndef helper(:\n    pass\n`);
    const brokenBody = only(test.replace('== 5', '== = 5'));
    const brokenTable = only(test.replace('[(2, 3)]', '[(2, 3)),]'));
    expect(plain.source).toBeDefined();
    expect(moved.source).toBe(plain.source);
    expect(moved.body).toEqual(plain.body);
    expect(brokenBody.source).toBeUndefined();
    expect(brokenTable.source).toBeUndefined();
  });

  it('reads an assertion once, with what it contains', () => {
    const [test] = parsePy(`def test_checks():
    self.assertEqual(pytest.skip(), add(1, 2))
    assert helper(self.assertTrue(x))
    pytest.skip("later")
`);
    expect(test?.assertions.map((assertion) => assertion.text)).toEqual([
      'self.assertEqual(pytest.skip(), add(1, 2))',
      'assert helper(self.assertTrue(x))',
    ]);
    expect(markersOf(test)).toEqual(['skip pytest.skip() @4']);
  });
});
