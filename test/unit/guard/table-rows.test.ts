import { describe, expect, it } from 'vitest';
import type { ChangedFile } from '../../../src/guard/changed-files.ts';
import type { GuardContext, GuardRule } from '../../../src/guard/finding.ts';
import { expectedValueChanged } from '../../../src/guard/rules/expected-value-changed.ts';
import { tableRowChanged } from '../../../src/guard/rules/table-row-changed.ts';
import { testsRemoved } from '../../../src/guard/rules/tests-removed.ts';
import { rowChanges } from '../../../src/guard/tables/compare-tables.ts';
import { tablesOf } from '../../../src/guard/tables/tables-of.ts';
import { compareTests } from '../../../src/guard/tests/test-changes.ts';

/** The guard context of one test file changed from `before` to `after`, based on `main`. */
function contextOf(path: string, before: string, after: string): GuardContext {
  const changed: ChangedFile[] = [{ path, status: 'modified', before, after }];
  return { ...compareTests('main', changed), changed, protectedBy: () => undefined };
}

const messages = (rule: GuardRule, path: string, before: string, after: string) =>
  rule.check(contextOf(path, before, after)).map((finding) => finding.message);
const tableMessages = (path: string, before: string, after: string) => messages(tableRowChanged, path, before, after);

const jsLoop = (rows: string, variable = 't') => `import { expect, test } from 'vitest';
const cases = [
${rows}];
for (const ${variable} of cases) {
  test(\`square \${${variable}.in}\`, () => expect(${variable}.in * ${variable}.in).toBe(${variable}.out));
}
`;
const jsRows = "  { name: 'two', in: 2, out: 4 },\n  { name: 'three', in: 3, out: 9 },\n";

const pyParam = (rows: string) => `import pytest

@pytest.mark.parametrize("n,out", [
${rows}])
def test_square(n, out):
    assert n * n == out
`;
const pyRows = '    (2, 4),\n    (3, 9),\n';

const goTable = (rows: string, variable = 'tt', range = 'tests') => `package sq

import "testing"

func TestSquare(t *testing.T) {
	tests := []struct {
		name    string
		in, out int
	}{
${rows}	}
	for _, ${variable} := range ${range} {
		t.Run(${variable}.name, func(t *testing.T) {
			if got := ${variable}.in * ${variable}.in; got != ${variable}.out {
				t.Errorf("got %d", got)
			}
		})
	}
}
`;
const goRows = '\t\t{name: "two", in: 2, out: 4},\n\t\t{name: "three", in: 3, out: 9},\n';

describe('tablesOf', () => {
  it('reads the rows of each kind of table, with their names', () => {
    const names = (path: string, source: string) =>
      tablesOf(path, source).map((table) => `${table.name}: ${table.rows.map((row) => row.name).join(', ')}`);
    expect(names('a.test.js', jsLoop(jsRows))).toEqual(['cases: two, three']);
    expect(names('a.test.ts', "test.each([[1, 2], [3, 4]] as const)('x', (a, b) => expect(a).toBe(b));")).toEqual([
      'the each table: 1, 3',
    ]);
    expect(names('test_a.py', pyParam('    pytest.param(2, 4, id="two"),\n    (3, 9),\n'))).toEqual([
      'the parametrize "n,out" of test_square: two, 3',
    ]);
    expect(names('sq_test.go', goTable(goRows))).toEqual(['tests: two, three']);
    expect(
      names(
        'tests/sq.rs',
        '#[rstest]\n#[case::two(2, 4)]\n#[case(3, 9)]\nfn square(#[case] n: i32, #[case] out: i32) {}\n',
      ),
    ).toEqual(['the cases of square: two, 3']);
  });

  it('reads no table from a loop that runs no test or assertion, nor from other files', () => {
    expect(tablesOf('a.test.js', 'const xs = [1, 2];\nfor (const x of xs) console.log(x);\n')).toEqual([]);
    expect(tablesOf('src/a.js', jsLoop(jsRows))).toEqual([]);
    expect(tablesOf('a.test.js', "const names = ['a ', ' b'].map((t) => t.trim());\n")).toEqual([]);
  });
});

describe('rowChanges', () => {
  const rows = (source: string) => tablesOf('a.test.js', jsLoop(source))[0]?.rows ?? [];
  const kinds = (before: string, after: string) =>
    rowChanges(rows(before), rows(after)).map((change) => `${change.kind} ${change.was.name}`);

  it('keeps rows reordered, reformatted, added to, or given more fields', () => {
    expect(
      kinds(jsRows, '  { name: \'three\', in: 3, out: 9 },\n  {\n    name: "two",\n    in: 2,\n    out: 4,\n  },\n'),
    ).toEqual([]);
    expect(kinds(jsRows, `${jsRows}  { name: 'four', in: 4, out: 16 },\n`)).toEqual([]);
    expect(kinds(jsRows, jsRows.replace('out: 4 }', 'out: 4, exact: true }'))).toEqual([]);
  });

  it('finds rows removed, values changed or dropped, and rows marked to skip', () => {
    expect(kinds(jsRows, "  { name: 'two', in: 2, out: 4 },\n")).toEqual(['removed three']);
    expect(kinds(jsRows, jsRows.replace('out: 9', 'out: undefined'))).toEqual(['changed three']);
    expect(kinds(jsRows, jsRows.replace(', out: 9', ''))).toEqual(['changed three']);
    expect(kinds(jsRows, jsRows.replace('out: 9 }', 'out: 9, skip: true }'))).toEqual(['skipped three']);
  });

  it('finds expected values swapped between rows, though the table holds the same values', () => {
    const swapped = "  { name: 'two', in: 2, out: 9 },\n  { name: 'three', in: 3, out: 4 },\n";
    expect(kinds(jsRows, swapped)).toEqual(['changed two', 'changed three']);
  });
});

describe('table-row-changed', () => {
  it('names the row and the value, and says where to restore it from, in every language', () => {
    expect(tableMessages('sq.test.js', jsLoop(jsRows), jsLoop(jsRows.replace('out: 9', 'out: undefined')))).toEqual([
      'row "three" of table `cases` now expects other values (out: 9 -> undefined), an empty value that checks ' +
        "nothing; restore `{ name: 'three', in: 3, out: 9 }` (line 4 of main:sq.test.js)",
    ]);
    expect(tableMessages('test_sq.py', pyParam(pyRows), pyParam('    (2, 4),\n'))).toEqual([
      '1 row of the parametrize "n,out" of test_square removed: `(3, 9)` (line 5) of main:test_sq.py; put it back',
    ]);
    expect(tableMessages('sq_test.go', goTable(goRows), goTable(goRows.replace('out: 9', 'out: 8'), 'tc'))).toEqual([
      'row "three" of table `tests` now expects other values (out: 9 -> 8); ' +
        'restore `{name: "three", in: 3, out: 9}` (line 11 of main:sq_test.go)',
    ]);
  });

  it('finds a table narrowed on its way to the tests, in every language', () => {
    const narrowed = (path: string, before: string, after: string) =>
      tableMessages(path, before, after).map((message) => message.replace(/, which.*/, ''));
    expect(narrowed('a.test.js', jsLoop(jsRows), jsLoop(jsRows).replace('of cases)', 'of cases.slice(1))'))).toEqual([
      'table `cases` now reaches its tests through `cases.slice(1)`',
    ]);
    const module = (values: string) =>
      `CASES = [(2, 4), (3, 9)]\n\n@pytest.mark.parametrize("n,out", ${values})\ndef test_sq(n, out):\n    assert n * n == out\n`;
    expect(narrowed('test_a.py', module('CASES'), module('[c for c in CASES if c[0] != 3]'))).toEqual([
      'table `CASES` now reaches its tests through `[c for c in CASES if c[0] != 3]`',
    ]);
    expect(narrowed('a_test.go', goTable(goRows), goTable(goRows, 'tt', 'tests[1:]'))).toEqual([
      'table `tests` now reaches its tests through `tests[1:]`',
    ]);
    const loop = (guard: string) =>
      `def test_all():\n    cases = [(2, 4), (3, 9)]\n    for n, out in cases:\n${guard}        assert n * n == out\n`;
    expect(tableMessages('test_b.py', loop(''), loop('        if n == 3:\n            continue\n'))).toEqual([
      expect.stringContaining('the loop over table `cases` gained a `continue` or `break`'),
    ]);
  });

  it('is quiet when the loop variable is renamed, the loop becomes test.each, or rows are reordered', () => {
    expect(tableMessages('a.test.js', jsLoop(jsRows), jsLoop(jsRows, 'row'))).toEqual([]);
    const each = jsLoop(jsRows).replace(
      /for \(const t[\s\S]*/,
      "test.each(cases)('square $in', ({ in: n, out }) => expect(n * n).toBe(out));\n",
    );
    expect(tableMessages('a.test.js', jsLoop(jsRows), each)).toEqual([]);
    const reordered = goTable('\t\t{name: "three", in: 3, out: 9},\n\t\t{name: "two", in: 2, out: 4},\n');
    expect(tableMessages('sq_test.go', goTable(goRows), reordered)).toEqual([]);
    expect(messages(expectedValueChanged, 'sq_test.go', goTable(goRows), reordered)).toEqual([]);
  });
});

describe('expected-value-changed next to a table', () => {
  it('leaves the rows to table-row-changed but still finds a value changed outside the table', () => {
    const withLimit = (limit: number) =>
      goTable(goRows).replace('\tfor _, tt', `\tlimit := ${limit}\n\t_ = limit\n\tfor _, tt`);
    expect(messages(expectedValueChanged, 'sq_test.go', withLimit(4), withLimit(9))).toEqual([
      'values changed in test "TestSquare": "4" -> "9"; restore them from main:sq_test.go',
    ]);
    expect(
      messages(expectedValueChanged, 'sq_test.go', goTable(goRows), goTable(goRows.replace('out: 9', 'out: 8'))),
    ).toEqual([]);
  });
});

describe('tests matched through their table', () => {
  it('pairs the tests of a loop whose variable was renamed, or that became test.each', () => {
    for (const after of [
      jsLoop(jsRows, 'row'),
      jsLoop(jsRows).replace(
        /for \(const t[\s\S]*/,
        "test.each(cases)('sq', ({ in: n, out }) => expect(n * n).toBe(out));\n",
      ),
    ]) {
      const { pairs, removed, added } = compareTests('main', [
        { path: 'a.test.js', status: 'modified', before: jsLoop(jsRows), after },
      ]);
      expect({ pairs: pairs.length, removed: removed.length, added: added.length }).toEqual({
        pairs: 1,
        removed: 0,
        added: 0,
      });
    }
    const go = compareTests('main', [
      { path: 'a_test.go', status: 'modified', before: goTable(goRows), after: goTable(goRows, 'tc') },
    ]);
    expect({ removed: go.removed.length, added: go.added.length }).toEqual({ removed: 0, added: 0 });
  });
});

describe('tests matched through a renamed loop variable', () => {
  const loop = (variable: string, title = `${variable}.name`) => `import { cases } from './cases.js';
for (const ${variable} of cases) {
  test(${title}, () => expect(parse(${variable}.in)).toBe(${variable}.out));
}
`;
  const changes = (before: string, after: string) => {
    const { pairs, removed } = compareTests('main', [{ path: 'a.test.js', status: 'modified', before, after }]);
    return { pairs: pairs.length, removed: removed.length };
  };

  it('pairs the tests of a loop over a table it cannot read when only the variable was renamed', () => {
    expect(changes(loop('t'), loop('row'))).toEqual({ pairs: 1, removed: 0 });
    const go = (variable: string) =>
      `package p\nfunc TestP(t *testing.T) {\n\tfor _, ${variable} := range cases() {\n\t\tt.Run(${variable}.name, func(t *testing.T) {\n\t\t\tif parse(${variable}.in) != ${variable}.out {\n\t\t\t\tt.Error("x")\n\t\t\t}\n\t\t})\n\t}\n}\n`;
    const { removed } = compareTests('main', [
      { path: 'p_test.go', status: 'modified', before: go('tt'), after: go('tc') },
    ]);
    expect(removed).toEqual([]);
  });

  it('does not pair tests with written titles, nor a renaming that is not one to one', () => {
    const formats = loop('t', "'formats'").replace('parse(', 'format(');
    expect(changes(loop('t', "'parses'"), formats)).toEqual({ pairs: 0, removed: 1 });
    const mixed = loop('row').replace('parse(row.in)', 'parse(row.out)');
    expect(changes(loop('t'), mixed)).toEqual({ pairs: 0, removed: 1 });
  });
});

describe('tests-removed messages', () => {
  it('never gives counts that contradict the list when a test was removed and another added', () => {
    const before = "test('a', () => expect(1).toBe(1));\ntest('b', () => expect(2).toBe(2));\n";
    const after = "test('a', () => expect(1).toBe(1));\ntest('c', () => expect(f()).toBe(3));\n";
    expect(messages(testsRemoved, 'x.test.js', before, after)).toEqual([
      '1 test of main no longer found: "b" (line 2) at main; the new test "c" (line 2) does not stand for it: ' +
        'a renamed test keeps its body, a rewritten one its title. Restore it from: git show main:x.test.js',
    ]);
  });
});
