import { describe, expect, it } from 'vitest';
import { parseJunit } from '../../../src/gates/reports/junit.ts';
import { readFixture } from './read-fixture.ts';

describe('parseJunit on pytest reports', () => {
  it("reads pytest's --junitxml: classname in the name, E-lines, the failing line of the test file", () => {
    const report = parseJunit(readFixture('junit/pytest.xml'));

    expect(report.counts).toEqual({ total: 6, passed: 1, failed: 4, skipped: 1 });
    expect(report.failures).toEqual([
      {
        test: 'tests.test_inventory > test_restock_adds',
        message: 'assert 6 == 5\n+  where 6 = restock(3, 2)',
        expected: '5',
        received: '6',
        file: 'tests/test_inventory.py',
        line: 6,
      },
      {
        test: 'tests.test_inventory > test_restock_rejects_negative',
        message: 'ValueError: negative amount: -1',
        file: 'tests/test_inventory.py',
        line: 10,
        origin: 'inventory.py:3',
      },
      {
        test: 'tests.test_inventory.TestNames > test_sku_upper',
        message: "AssertionError: sku should be upper-cased\nassert 'AB-1' == 'AB-2'\n- AB-2",
        expected: "'AB-2'",
        received: "'AB-1'",
        file: 'tests/test_inventory.py',
        line: 15,
      },
      {
        test: 'tests.test_inventory > test_uses_fixture',
        message: 'RuntimeError: database not reachable',
        file: 'tests/test_inventory.py',
        line: 23,
      },
    ]);
  });

  it("reads the cause of pytest's collection, setup and teardown errors from the body, not the vague message", () => {
    const report = parseJunit(readFixture('junit/pytest-errors.xml'));

    expect(report.failures).toEqual([
      {
        test: 'tests.test_imports',
        message: "ModuleNotFoundError: No module named 'nonexistent_mod'",
        file: 'tests/test_imports.py',
        line: 1,
      },
      {
        test: 'tests.test_pkg',
        message: "ModuleNotFoundError: No module named 'mypkg'",
        file: 'tests/test_pkg.py',
        line: 1,
      },
      {
        test: 'tests.test_syntax',
        message: 'SyntaxError: invalid syntax\ndef test_broken(:',
        file: '/tmp/pyc/tests/test_syntax.py',
        line: 1,
      },
      {
        test: 'tests.test_fixtures > test_uses_db',
        message: 'ConnectionError: could not close connection',
        file: 'tests/test_fixtures.py',
        line: 7,
      },
      {
        test: 'tests.test_fixtures > test_uses_cache',
        message: "KeyError: 'cache'",
        file: 'tests/test_fixtures.py',
        line: 12,
      },
    ]);
  });

  it('reads the exception line of a --tb=native traceback when the message is vague', () => {
    const failures = parseJunit(readFixture('junit/pytest-errors-native.xml')).failures;

    expect(failures.slice(3)).toEqual([
      {
        test: 'tests.test_fixtures > test_uses_db',
        message: 'ConnectionError: could not close connection',
        file: '/tmp/pyc/tests/test_fixtures.py',
        line: 7,
      },
      {
        test: 'tests.test_fixtures > test_uses_cache',
        message: "KeyError: 'cache'",
        file: '/tmp/pyc/tests/test_fixtures.py',
        line: 12,
      },
    ]);
  });

  it('keeps a vague pytest message when the body says nothing more', () => {
    const xml =
      '<testsuite name="pytest"><testcase classname="tests.test_a" name="test_x">' +
      '<error message="collection failure">nothing useful</error></testcase></testsuite>';

    expect(parseJunit(xml).failures).toEqual([{ test: 'tests.test_a > test_x', message: 'collection failure' }]);
  });

  it("prefers the body's failing line over pytest's 0-based xunit1 line attribute", () => {
    const [first] = parseJunit(readFixture('junit/pytest-xunit1.xml')).failures;

    expect(first).toMatchObject({ file: 'tests/test_inventory.py', line: 6 });
  });

  it("corrects pytest's 0-based line attribute when the body names no line", () => {
    const xml =
      '<testsuites><testsuite name="pytest"><testcase classname="tests.test_a" name="test_x" file="tests/test_a.py" line="4">' +
      '<failure message="boom">no location here</failure></testcase></testsuite></testsuites>';

    expect(parseJunit(xml).failures[0]).toMatchObject({ file: 'tests/test_a.py', line: 5 });
  });
});
