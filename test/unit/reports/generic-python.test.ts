import { describe, expect, it } from 'vitest';
import { parseGeneric } from '../../../src/gates/reports/generic.ts';
import { readFixture } from './read-fixture.ts';

describe('parseGeneric on pytest and Python output', () => {
  it("reads pytest's plain output, merging each failure with its short-summary line", () => {
    const report = parseGeneric(readFixture('generic/pytest.txt'));

    expect(report.failures).toEqual([
      {
        test: 'tests/test_inventory.py::test_uses_fixture',
        message: 'RuntimeError: database not reachable',
        file: 'tests/test_inventory.py',
        line: 23,
      },
      {
        test: 'tests/test_inventory.py::test_restock_adds',
        message: 'assert 6 == 5\n+  where 6 = restock(3, 2)',
        expected: '5',
        received: '6',
        file: 'tests/test_inventory.py',
        line: 6,
      },
      {
        test: 'tests/test_inventory.py::test_restock_rejects_negative',
        message: 'ValueError: negative amount: -1',
        file: 'inventory.py',
        line: 3,
      },
      {
        test: 'tests/test_inventory.py::TestNames::test_sku_upper',
        message: "AssertionError: sku should be upper-cased\nassert 'AB-1' == 'AB-2'\n- AB-2",
        expected: "'AB-2'",
        received: "'AB-1'",
        file: 'tests/test_inventory.py',
        line: 15,
      },
    ]);
  });

  it("reads pytest's collection, setup and teardown errors: the file as the test, the exception, the place", () => {
    expect(parseGeneric(readFixture('generic/pytest-errors.txt')).failures).toEqual([
      {
        test: 'tests/test_imports.py',
        message: "ModuleNotFoundError: No module named 'nonexistent_mod'",
        file: 'tests/test_imports.py',
        line: 1,
      },
      {
        test: 'tests/test_pkg.py',
        message: "ModuleNotFoundError: No module named 'mypkg'",
        file: 'tests/test_pkg.py',
        line: 1,
      },
      {
        test: 'tests/test_syntax.py',
        message: 'SyntaxError: invalid syntax\ndef test_broken(:',
        file: '/tmp/pyc/tests/test_syntax.py',
        line: 1,
      },
      {
        test: 'tests/test_fixtures.py::test_uses_db',
        message: 'ConnectionError: could not close connection',
        file: 'tests/test_fixtures.py',
        line: 7,
      },
      {
        test: 'tests/test_fixtures.py::test_uses_cache',
        message: "KeyError: 'cache'",
        file: 'tests/test_fixtures.py',
        line: 12,
      },
    ]);
  });

  it("takes pytest's E lines, not the test's source lines above them, in the long and short tracebacks", () => {
    const adds = {
      test: 'tests/test_inv.py::test_adds',
      message: 'assert 6 == 5\n+  where 6 = restock(3, 2)',
      expected: '5',
      received: '6',
      file: 'tests/test_inv.py',
      line: 6,
    };
    const negative = { test: 'tests/test_inv.py::test_negative', message: 'ValueError: negative amount: -1' };

    expect(parseGeneric(readFixture('generic/pytest-context-lines.txt')).failures).toEqual([
      adds,
      { ...negative, file: 'inventory.py', line: 3 },
    ]);
    expect(parseGeneric(readFixture('generic/pytest-tb-short.txt')).failures).toEqual([
      adds,
      { ...negative, file: 'tests/test_inv.py', line: 10 },
    ]);
  });

  it('reads a Python traceback: the exception line and the innermost project frame', () => {
    expect(parseGeneric(readFixture('generic/python-traceback.txt')).failures).toEqual([
      { message: "KeyError: 'items'", file: '/tmp/rs/py/checkout.py', line: 4 },
    ]);
  });
});
