import type { Finding, GuardRule } from '../finding.ts';
import type { Assertion, TestCase } from '../tests/test-case.ts';
import { sameCode, testName } from '../tests/test-changes.ts';
import { oneLine } from './describe.ts';

/**
 * An existing test asserts other values than at the base: an assertion whose code is the same but for its
 * literals (`toBe(5)` became `toBe(6)`), or, in a test whose code is otherwise unchanged, values in its
 * tables (`{ in: 2, want: 5 }`). Rewriting an assertion equivalently (another matcher, a renamed variable)
 * changes more than literals and is not a finding; nor is rewording a failure message (`assert.equal(a, 5, 'msg')`,
 * `t.Errorf(...)`, `assert_eq!(a, 5, "msg")`), which the parsers leave out of the token forms.
 */
export const expectedValueChanged: GuardRule = {
  id: 'expected-value-changed',
  check({ base, pairs }) {
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
      const values = before.body.literals
        .map((was, index) => [was, after.body.literals[index] ?? ''] as const)
        .filter(([was, now]) => was !== now)
        .slice(0, 5)
        .map(([was, now]) => `${quote(was)} -> ${quote(now)}`);
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
    if (now) pairs.push([was, now]);
  }
  return pairs;
}

function finding(rule: string, test: TestCase, line: number, message: string): Finding {
  return { rule, path: test.path, line, severity: 'block', message };
}

function quote(value: string): string {
  return JSON.stringify(oneLine(value, 40));
}
