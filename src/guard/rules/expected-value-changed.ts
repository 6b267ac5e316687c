import type { Finding, GuardRule } from '../finding.ts';
import type { DrivingTable } from '../tables/driving-table.ts';
import type { Assertion, TestCase } from '../tests/test-case.ts';
import { sameCode, testName } from '../tests/test-changes.ts';
import { oneLine } from './describe.ts';

/**
 * An existing test asserts other values than at the base: an assertion whose code is the same but for its
 * literals (`toBe(5)` became `toBe(6)`), or, in a test whose code is otherwise unchanged, values in its
 * tables (`{ in: 2, want: 5 }`) that the guard does not read as tables that drive tests: the rows of those are
 * judged row by row by table-row-changed (reordered, renamed, added rows are fine there). Rewriting an assertion equivalently (another matcher, a renamed variable)
 * changes more than literals and is not a finding; nor is rewording a failure message (`assert.equal(a, 5, 'msg')`,
 * `t.Errorf(...)`, `assert_eq!(a, 5, "msg")`), which the parsers leave out of the token forms.
 */
export const expectedValueChanged: GuardRule = {
  id: 'expected-value-changed',
  check({ base, pairs, files }) {
    return pairs.flatMap(({ before, after }) => {
      if (sameCode(before, after)) return [];
      const changed = changedAssertions(before.assertions, after.assertions);
      const where = `${base}:${before.path}`;
      if (changed.length > 0) {
        return changed.map(([was, now]) =>
          finding(
            this.id,
            after,
            now.line,
            `test "${testName(after)}" now asserts \`${oneLine(now.text)}\`; restore \`${oneLine(was.text)}\` (line ${was.line} of ${where})`,
          ),
        );
      }
      if (before.body.skeleton !== after.body.skeleton) return [];
      const differing = before.body.literals
        .map((was, index) => [was, after.body.literals[index] ?? ''] as const)
        .filter(([was, now]) => was !== now && !(tableRule.test(was) && tableRule.test(now)));
      // The values of tables that drive tests are judged row by row by table-row-changed (rows reordered, renamed,
      // added are fine there): here only the values outside them count.
      const tables = files.find((file) => file.path === before.path)?.tables;
      const tabled = tables !== undefined && tables.before.length > 0 && tables.after.length > 0;
      const outsideUnchanged =
        tabled &&
        outsideTables(before.body.literals, tables.before).join('\0') ===
          outsideTables(after.body.literals, tables.after).join('\0');
      if (differing.length === 0 || outsideUnchanged) return [];
      const values = differing.slice(0, 5).map(([was, now]) => `${quote(was)} -> ${quote(now)}`);
      return [
        finding(
          this.id,
          after,
          after.line,
          `values changed in test "${testName(after)}": ${values.join(', ')}; restore them from ${where}`,
        ),
      ];
    });
  },
};

/** Assertions present on both sides in the same form but for their literal values. */
function changedAssertions(before: Assertion[], after: Assertion[]): Array<[Assertion, Assertion]> {
  const unchanged = new Set(before.map((assertion) => assertion.key));
  const gone = before.filter((assertion) => !after.some((other) => other.key === assertion.key));
  const candidates = after.filter((assertion) => !unchanged.has(assertion.key));
  const pairs: Array<[Assertion, Assertion]> = [];
  for (const was of gone) {
    const index = candidates.findIndex((now) => now.skeleton === was.skeleton);
    if (index === -1) continue;
    const [now] = candidates.splice(index, 1);
    if (now && !planRaised(was, now)) pairs.push([was, now]);
  }
  return pairs;
}

/** ava's `t.plan(2)` become `t.plan(3)`: the test now counts more assertions, which is no weakening. */
function planRaised(was: Assertion, now: Assertion): boolean {
  const planned = (assertion: Assertion) => /^[\w$]+\s*\.\s*plan\s*\(\s*(\d+)\s*\)/.exec(assertion.text)?.[1];
  const [before, after] = [planned(was), planned(now)];
  return before !== undefined && after !== undefined && Number(after) > Number(before);
}

/** The ruling of a tagged-template table (`a | b`), whose width is layout, not value. */
const tableRule = /^[\s|]*$/;

/**
 * A test's literals without the rows of the tables written inside it (those whose values appear in it in a row,
 * in order) and without the ruling of tagged-template tables.
 */
function outsideTables(literals: readonly string[], tables: readonly DrivingTable[]): string[] {
  const left = literals.filter((value) => !tableRule.test(value));
  for (const table of tables) {
    const values = table.rows.flatMap((row) => row.literals);
    if (values.length === 0) continue;
    const at = left.findIndex((_, start) => values.every((value, offset) => left[start + offset] === value));
    if (at !== -1) left.splice(at, values.length);
  }
  return left;
}

function finding(rule: string, test: TestCase, line: number, message: string): Finding {
  return { rule, path: test.path, line, severity: 'block', message };
}

function quote(value: string): string {
  return JSON.stringify(oneLine(value, 40));
}
