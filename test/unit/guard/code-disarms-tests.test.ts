import { describe, expect, it } from 'vitest';
import { codeDisarmsTests } from '../../../src/guard/rules/code-disarms-tests.ts';
import { contextForChange } from './changed-context.ts';

/** The lines reported when `path` changes from `before` to `after`. */
function reported(path: string, before: string | undefined, after: string): number[] {
  return codeDisarmsTests.check(contextForChange(path, before, after)).map((finding) => finding.line);
}

/** A line added to a code file under test that ends the test run with success or disarms it. */
const disarming: Array<[string, string]> = [
  ['src/add.js', 'process.exit(0);'],
  ['src/add.ts', '  process.exit();'],
  ['src/add.mjs', "process['exit'](0);"],
  ['src/add.js', 'process.reallyExit(0);'],
  ['src/add.js', 'process.exitCode = 0;'],
  ['src/add.js', "require('node:assert').equal = () => {};"],
  ['src/add.js', "require('chai').assert.equal = () => {};"],
  ['app/adder.py', 'import pytest'],
  ['app/adder.py', 'from unittest.mock import ANY'],
  ['app/adder.py', '    return mock.ANY'],
  ['app/adder.py', 'os._exit(0)'],
  ['app/adder.py', 'atexit.register(os._exit, 0)'],
  ['app/adder.py', 'from os import _exit'],
  ['app/adder.py', 'import _pytest.python'],
  ['app/adder.py', 'runner = importlib.import_module("_pytest.python")'],
  ['src/lib.rs', '    std::process::exit(0);'],
];

describe('code-disarms-tests', () => {
  it.each(disarming)('reports a line added in %s: %s', (path, line) => {
    expect(reported(path, 'first\nlast\n', `first\n${line}\nlast\n`)).toEqual([2]);
  });

  it('reports a Python value made to answer every comparison the same', () => {
    const cases = [
      'class Sum:\n    def __eq__(self, other):\n        return True\n',
      'class Sum:\n    def __ne__(self, other) -> bool:\n        return False\n',
      'class Sum:\n    def __eq__(self, other): return True\n',
      'class Sum:\n    __eq__ = lambda self, other: True\n',
    ];
    for (const after of cases) expect(reported('app/adder.py', undefined, after), after).toHaveLength(1);
    const compares = 'class Sum:\n    def __eq__(self, other):\n        return self.value == other\n';
    expect(reported('app/adder.py', undefined, compares)).toEqual([]);
  });

  it("reports a property of Node's assertion module replaced, through the name it was imported as", () => {
    const cases = [
      "import assert from 'node:assert/strict';\n\nassert.equal = () => {};\n",
      "import * as check from 'assert';\ncheck['deepEqual'] = () => {};\n",
      "import { strict as a } from 'node:assert';\nObject.assign(a, { equal() {} });\n",
      "import { strict } from 'assert';\nstrict.ok = () => true;\n",
      "const assert = require('assert');\nObject.defineProperty(assert, 'equal', { value: () => {} });\n",
    ];
    for (const after of cases) expect(reported('src/add.js', undefined, after), after).toHaveLength(1);
  });

  it('names the file, the line and what it does, and says to remove it', () => {
    const [finding] = codeDisarmsTests.check(
      contextForChange('src/add.js', 'a\n', 'a\nexport function add() { process.exit(0); }\n'),
    );
    expect(finding).toMatchObject({ rule: 'code-disarms-tests', path: 'src/add.js', line: 2, severity: 'block' });
    expect(finding?.message).toBe(
      'src/add.js:2 ends or disarms the test run that loads it (`export function add() { process.exit(0); }`): ' +
        'the tests must run to the end and decide; remove it',
    );
  });

  it('leaves alone what code under test does for its own sake', () => {
    const legit = [
      ['src/cli.js', 'process.exit(1);'],
      ['src/cli.js', 'process.exit(code);'],
      ['src/cli.js', 'process.exitCode = 1;'],
      ['src/cart.js', "import assert from 'node:assert/strict';\nassert.equal(total >= 0, true);"],
      ['src/cart.js', "import assert from 'node:assert';\nif (assert.equal === undefined) throw new Error();"],
      ['src/cart.js', "const expected = require('./expected.js');"],
      ['src/setup.js', "import { expect } from 'vitest';"],
      ['app/testing.py', 'from unittest import TestCase'],
      ['app/db.py', 'atexit.register(pool.close)'],
      ['app/cli.py', 'sys.exit(main())'],
      ['app/cart.py', '# os._exit(0) would skip the cleanup'],
      ['src/main.rs', 'std::process::exit(2);'],
    ];
    for (const [path = '', line = ''] of legit) expect(reported(path, 'first\n', `first\n${line}\n`), line).toEqual([]);
  });

  it('reports a test module that patches what it imports at its top level, for every test after it', () => {
    const cases: Array<[string, string]> = [
      ['tests/test_aaa.py', 'import adder\n\nadder.add = lambda a, b: a + b\n'],
      ['tests/test_aaa.py', 'from app import cart\ncart.prices.total = lambda items: 5\n'],
      ['tests/test_aaa.py', 'import adder\nsetattr(adder, "add", lambda a, b: a + b)\n'],
      ['tests/conftest.py', 'import sys\nsys.modules["adder"] = fake\n'],
      ['test/aaa.test.js', "const cart = require('../src/cart');\ncart.total = () => 5;\n"],
      [
        'test/aaa.test.js',
        "import * as cart from '../src/cart.js';\nObject.assign(cart.default, { total: () => 5 });\n",
      ],
      ['test/aaa.test.js', "import prices from '../src/prices.js';\nprices['vat'] = 0;\n"],
    ];
    for (const [path, after] of cases) expect(reported(path, undefined, after), after).toHaveLength(1);
    const [finding] = codeDisarmsTests.check(
      contextForChange('tests/test_aaa.py', undefined, 'import adder\nadder.add = f\n'),
    );
    expect(finding?.message).toBe(
      'tests/test_aaa.py:2 patches what it imports at the top level of a test module (`adder.add = f`): it changes ' +
        'the code under test for every test the runner loads after it; patch inside a test (monkeypatch, a spy) or fix the code',
    );
  });

  it('leaves alone patches inside a test, and what a test module sets up for itself', () => {
    const legit: Array<[string, string]> = [
      [
        'tests/test_cart.py',
        'import adder\n\ndef test_add(monkeypatch):\n    monkeypatch.setattr(adder, "add", f)\n    adder.add = f\n',
      ],
      ['tests/test_cart.py', 'import os\nos.environ["TZ"] = "UTC"\nLIMIT = 5\n'],
      ['test/cart.test.js', "import cart from '../src/cart.js';\ntest('x', () => {\n  cart.total = () => 5;\n});\n"],
      ['test/cart.test.js', "import lib from 'some-lib';\nprocess.env.TZ = 'UTC';\nlib.config = {};\n"],
      ['test/helpers.js', "const cart = require('../src/cart');\nmodule.exports.total = cart.total;\n"],
    ];
    for (const [path, after] of legit) expect(reported(path, undefined, after), after).toEqual([]);
  });

  it('leaves tests, test helpers and runner configs alone', () => {
    for (const path of ['test/add.test.js', 'tests/test_adder.py', 'tests/conftest.py', 'vitest.config.ts']) {
      expect(
        reported(path, 'a\n', "a\nimport { test } from 'node:test';\nos._exit(0)\nprocess.exit(0);\n"),
        path,
      ).toEqual([]);
    }
  });

  it('leaves alone an exit the base had, moved and re-indented', () => {
    const before = 'function main() {\n  run();\n  process.exit(0);\n}\n';
    const after = 'function main() {\n  if (ready) {\n    run();\n    process.exit(0);\n  }\n}\n';
    expect(reported('src/cli.js', before, after)).toEqual([]);
  });
});
