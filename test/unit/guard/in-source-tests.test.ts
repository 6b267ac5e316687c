import { describe, expect, it } from 'vitest';
import type { ChangedFile } from '../../../src/guard/changed-files.ts';
import type { GuardContext } from '../../../src/guard/finding.ts';
import { parseInSourceTests, parseTests as parseJs } from '../../../src/guard/js/parse-tests.ts';
import { parseDoctests } from '../../../src/guard/python/doctests.ts';
import { parseTests as parsePy } from '../../../src/guard/python/parse-tests.ts';
import { assertionsRemoved } from '../../../src/guard/rules/assertions-removed.ts';
import { expectedValueChanged } from '../../../src/guard/rules/expected-value-changed.ts';
import { skipMarkerAdded } from '../../../src/guard/rules/skip-marker-added.ts';
import { testsRemoved } from '../../../src/guard/rules/tests-removed.ts';
import { parseRustTests } from '../../../src/guard/rust/parse-tests.ts';
import type { TestCase } from '../../../src/guard/tests/test-case.ts';
import { compareTests } from '../../../src/guard/tests/test-changes.ts';
import { inSourceTestsOf, isTestFile, mayHoldTests } from '../../../src/guard/tests/test-languages.ts';

const titlesOf = (tests: TestCase[]) => tests.map((test) => test.titles.join(' > '));
const keysOf = (test: TestCase | undefined) => test?.assertions.map((assertion) => assertion.key);

/** The findings of the test rules for one file changed from `before` to `after`. */
function findingsFor(path: string, before: string | undefined, after: string | undefined) {
  const status = before === undefined ? 'added' : after === undefined ? 'deleted' : 'modified';
  const changed: ChangedFile[] = [{ path, status, before, after }];
  const context: GuardContext = { ...compareTests('main', changed), changed, protectedBy: () => undefined };
  return [testsRemoved, skipMarkerAdded, assertionsRemoved, expectedValueChanged].flatMap((rule) =>
    rule.check(context).map((finding) => `${finding.rule}: ${finding.message}`),
  );
}

const rustLib = `pub fn add(a: i32, b: i32) -> i32 { a + b }

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds() {
        assert_eq!(add(1, 2), 3);
        assert_eq!(add(-1, 1), 0);
    }

    #[test]
    fn adds_zero() {
        assert_eq!(add(0, 0), 0);
    }
}
`;

describe('which files are read for in-source tests', () => {
  it.each(['src/lib.rs', 'src/text.ts', 'lib/util.mjs', 'src/money.py'])(
    'reads %s, without making it a test file',
    (path) => {
      expect(inSourceTestsOf(path)).toBeDefined();
      expect(mayHoldTests(path)).toBe(true);
      // protect_tests freezes test files: source files stay editable.
      expect(isTestFile(path)).toBe(false);
    },
  );

  it.each(['src/types.d.ts', 'README.md', 'src/main.go', 'Cargo.toml'])('leaves %s', (path) => {
    expect(mayHoldTests(path)).toBe(false);
  });

  it('parses a changed source file only when one side may hold tests', () => {
    const plain: ChangedFile = { path: 'src/a.rs', status: 'modified', before: 'fn a() {}\n', after: 'fn b() {}\n' };
    expect(compareTests('main', [plain]).files).toEqual([]);
    const gone: ChangedFile = { ...plain, before: rustLib, after: 'pub fn add(a: i32, b: i32) -> i32 { a + b }\n' };
    const [file] = compareTests('main', [gone]).files;
    expect(file?.before?.length).toBe(2);
    expect(file?.after).toEqual([]);
  });
});

describe('Rust unit tests in source files', () => {
  it('finds the tests of #[cfg(test)] modules', () => {
    expect(titlesOf(parseRustTests('src/lib.rs', rustLib))).toEqual(['tests > adds', 'tests > adds_zero']);
  });

  it('reports a deleted unit test, an #[ignore], a commented-out assert', () => {
    const deleted = rustLib.replace(/\n {4}#\[test\]\n {4}fn adds_zero[\s\S]*?\n {4}\}\n/, '\n');
    expect(findingsFor('src/lib.rs', rustLib, deleted)).toEqual([
      expect.stringMatching(/^tests-removed: 1 test removed \(2 at main, 1 now\): "tests > adds_zero"/),
    ]);
    const ignored = rustLib.replace('#[test]\n    fn adds_zero', '#[test]\n    #[ignore]\n    fn adds_zero');
    expect(findingsFor('src/lib.rs', rustLib, ignored)).toEqual([
      expect.stringMatching(/^skip-marker-added: `#\[ignore\]` added/),
    ]);
    const commented = rustLib.replace('assert_eq!(add(-1, 1), 0);', '// assert_eq!(add(-1, 1), 0);');
    expect(findingsFor('src/lib.rs', rustLib, commented)).toEqual([
      expect.stringMatching(/^assertions-removed: test "tests > adds" has 1 of its 2 assertions left/),
    ]);
  });

  it('reads a cfg on the test module other than cfg(test) as a skip of its tests', () => {
    for (const condition of ['#[cfg(any())]', '#[cfg(all(test, not(test)))]', '#[cfg(feature = "never")]']) {
      const after = rustLib.replace('#[cfg(test)]', condition);
      expect(findingsFor('src/lib.rs', rustLib, after)).toEqual([
        expect.stringMatching(
          new RegExp(`^skip-marker-added: \`${condition.replace(/[[\]()]/g, '\\$&')}\` added: 2 tests`),
        ),
      ]);
    }
  });

  it('stays quiet when the code beside the tests changes', () => {
    expect(findingsFor('src/lib.rs', rustLib, rustLib.replace('{ a + b }', '{\n    b + a\n}'))).toEqual([]);
  });
});

const vitestSource = `export const double = (n: number) => n * 2;
const digits = /^\\d+$/;
export const isNumber = (text: string) => digits.test(text);

if (import.meta.vitest) {
  const { it, expect } = import.meta.vitest;
  it('doubles', () => {
    expect(double(2)).toBe(4);
    expect(double(0)).toBe(0);
  });
}
`;

describe('vitest in-source tests', () => {
  it('finds the tests inside if (import.meta.vitest) only', () => {
    const tests = parseInSourceTests('src/double.ts', vitestSource);
    expect(titlesOf(tests)).toEqual(['doubles']);
    expect(keysOf(tests[0])).toEqual(['expect ( double ( 2 ) ) . toBe ( 4 )', 'expect ( double ( 0 ) ) . toBe ( 0 )']);
  });

  it.each([
    'import.meta.vitest && false',
    'false && import.meta.vitest',
    '!import.meta.vitest',
    'import.meta.vitest && process.env.NEVER',
  ])('finds no tests under `if (%s)`: they no longer run', (condition) => {
    const after = vitestSource.replace('if (import.meta.vitest)', `if (${condition})`);
    expect(parseInSourceTests('src/double.ts', after)).toEqual([]);
    expect(findingsFor('src/double.ts', vitestSource, after)).toEqual([
      expect.stringMatching(/^tests-removed: 1 test removed \(1 at main, 0 now\): "doubles"/),
    ]);
  });

  it.each(["typeof import.meta.vitest !== 'undefined'", 'import.meta.vitest != null', ' import.meta.vitest '])(
    'takes `if (%s)` as the same block',
    (condition) => {
      const after = vitestSource.replace('if (import.meta.vitest)', `if (${condition})`);
      expect(findingsFor('src/double.ts', vitestSource, after)).toEqual([]);
    },
  );

  it('reports a removed expect', () => {
    const after = vitestSource.replace('    expect(double(0)).toBe(0);\n', '');
    expect(findingsFor('src/double.ts', vitestSource, after)).toEqual([
      expect.stringMatching(/^assertions-removed: test "doubles" has 1 of its 2 assertions left/),
    ]);
  });
});

const doctestSource = `"""Parsing.

>>> parse("1")
1
"""

def parse(text):
    """Read a number.

    >>> parse("2")
    2
    >>> parse(" 3 ")  # doctest: +NORMALIZE_WHITESPACE
    3
    """
    def inner():
        """>>> not_collected()
        1
        """
    return int(text)


class Reader:
    def read(self, text):
        """
        >>> Reader().read("x")
        Traceback (most recent call last):
        ValueError: bad
        """
`;

describe('Python doctests', () => {
  it('finds every docstring with examples that doctest collects, with their lines', () => {
    const tests = parseDoctests('src/parse.py', doctestSource);
    expect(titlesOf(tests)).toEqual(['doctest > (module)', 'doctest > parse', 'doctest > Reader > read']);
    expect(tests[1]?.assertions.map((assertion) => [assertion.line, assertion.text])).toEqual([
      [10, '>>> parse("2")\n    2'],
      [12, '>>> parse(" 3 ")  # doctest: +NORMALIZE_WHITESPACE\n    3'],
    ]);
    expect(tests[2]?.assertions.map((assertion) => assertion.literals.at(-1))).toEqual([
      'Traceback (most recent call last):\nValueError: bad',
    ]);
  });

  it('reads the code of an example as tokens and its output as the value it expects', () => {
    const [, before] = parseDoctests('src/parse.py', doctestSource);
    const [, reformatted] = parseDoctests('src/parse.py', doctestSource.replace('>>> parse("2")', ">>> parse( '2' )"));
    expect(keysOf(reformatted)).toEqual(keysOf(before));
    const [, changed] = parseDoctests('src/parse.py', doctestSource.replace('    2\n', '    20\n'));
    expect(changed?.assertions[0]?.skeleton).toBe(before?.assertions[0]?.skeleton);
    expect(changed?.assertions[0]?.key).not.toBe(before?.assertions[0]?.key);
  });

  it('reports a removed example, a changed output, a looser option and +SKIP', () => {
    const removed = doctestSource.replace('    >>> parse("2")\n    2\n', '');
    expect(findingsFor('src/parse.py', doctestSource, removed)).toEqual([
      expect.stringMatching(/^assertions-removed: test "doctest > parse" has 1 of its 2 assertions left/),
    ]);
    const changed = doctestSource.replace('    2\n', '    20\n');
    expect(findingsFor('src/parse.py', doctestSource, changed)).toEqual([
      expect.stringMatching(/^expected-value-changed: test "doctest > parse" now asserts `>>> parse\("2"\) 20`/),
    ]);
    const loose = doctestSource.replace('>>> parse("2")\n    2', '>>> parse("2")  # doctest: +ELLIPSIS\n    ...');
    expect(findingsFor('src/parse.py', doctestSource, loose)).toEqual([
      expect.stringMatching(/^expected-value-changed: test "doctest > parse"/),
    ]);
    const skipped = doctestSource.replace('>>> parse("2")', '>>> parse("2")  # doctest: +SKIP');
    expect(findingsFor('src/parse.py', doctestSource, skipped)).toEqual([
      expect.stringMatching(/^skip-marker-added: `# doctest: \+SKIP` added: 1 test no longer runs/),
      expect.stringMatching(/^assertions-removed: test "doctest > parse" has 1 of its 2 assertions left/),
    ]);
  });

  it.each(['f', 'b', 'F'])('finds no doctest in a %s-string, which is no docstring', (prefix) => {
    const after = doctestSource.replace('    """Read a number.', `    ${prefix}"""Read a number.`);
    expect(titlesOf(parseDoctests('src/parse.py', after))).toEqual(['doctest > (module)', 'doctest > Reader > read']);
    expect(findingsFor('src/parse.py', doctestSource, after)).toEqual([
      expect.stringMatching(/^tests-removed: 1 test removed \(3 at main, 2 now\): "doctest > parse"/),
    ]);
  });

  it('stays quiet when prose around the examples changes or an example is added', () => {
    const after = doctestSource
      .replace('Read a number.', 'Read a number from text.\n\n    Spaces are allowed.')
      .replace('    >>> parse("2")', '    >>> parse("7")\n    7\n    >>> parse("2")');
    expect(findingsFor('src/parse.py', doctestSource, after)).toEqual([]);
  });
});

describe('assertions outside any test', () => {
  const script = `import assert from 'node:assert/strict';
assert.equal(add(1, 2), 3, 'adds');
assert.ok(add(0, 0) === 0);
`;

  it('counts the top-level asserts of a JS test file, messages aside', () => {
    const tests = parseJs('test/add.test.js', script);
    expect(titlesOf(tests)).toEqual(['(top level)']);
    expect(keysOf(tests[0])).toEqual(['assert . equal ( add ( 1 2 ) 3 )', 'assert . ok ( add ( 0 0 ) === 0 )']);
  });

  it('reports a removed or changed top-level assert, also when none is left', () => {
    expect(findingsFor('test/add.test.js', script, script.replace('assert.ok(add(0, 0) === 0);\n', ''))).toEqual([
      expect.stringMatching(/^assertions-removed: test "\(top level\)" has 1 of its 2 assertions left/),
    ]);
    const none = "import assert from 'node:assert/strict';\nconsole.log(add(1, 2));\n";
    expect(findingsFor('test/add.test.js', script, none)).toEqual([
      expect.stringMatching(/^assertions-removed: test "\(top level\)" has 0 of its 2 assertions left/),
    ]);
    expect(findingsFor('test/add.test.js', script, script.replace(', 3,', ', 4,'))).toEqual([
      expect.stringMatching(
        /^expected-value-changed: test "\(top level\)" now asserts `assert.equal\(add\(1, 2\), 4, 'adds'\)`/,
      ),
    ]);
  });

  it('stays quiet when a top-level assert is reworded or reformatted', () => {
    const after = script.replace(
      "assert.equal(add(1, 2), 3, 'adds');",
      "assert.equal(\n  add(1, 2),\n  3,\n  'one plus two',\n);",
    );
    expect(findingsFor('test/add.test.js', script, after)).toEqual([]);
  });

  it('counts module-level asserts of a Python test module, and those of its helpers', () => {
    const module =
      'assert add(1, 2) == 3, "adds"\n\ndef check(x):\n    assert x > 0\n\ndef test_a():\n    assert add(1, 1) == 2\n';
    const tests = parsePy('tests/test_add.py', module);
    expect(titlesOf(tests)).toEqual(['test_a', '(top level)']);
    expect(keysOf(tests[1])).toEqual(['assert add ( 1 2 ) == 3', 'assert x > 0']);
    expect(findingsFor('tests/test_add.py', module, module.replace('assert add(1, 2) == 3, "adds"', 'pass'))).toEqual([
      expect.stringMatching(/^assertions-removed: test "\(top level\)" has 1 of its 2 assertions left/),
    ]);
  });
});
