import type { SgNode } from '@ast-grep/napi';
import type { TokenForm } from '../tests/test-case.ts';
import { joinTokenForms, type SkippedNodes, type TokenRules, tokenForm } from '../tests/token-form.ts';

/**
 * The token form of a test body whose `t.Run` calls count by their code only (their skeleton): the values of a
 * subtest belong to the subtest, so fixing a subtest's title or expected value is not read as a change of the
 * parent's values too, while the table a loop of subtests runs over stays in the parent. Failure messages
 * (`skipped`) are left out.
 */
export function bodyFormOf(
  body: SgNode,
  subtestCalls: readonly SgNode[],
  rules: TokenRules,
  skipped: SkippedNodes,
): TokenForm {
  const forms: TokenForm[] = [];
  const walk = (current: SgNode) => {
    if (subtestCalls.some((call) => call.id() === current.id())) {
      const { skeleton } = tokenForm(current, rules, skipped);
      forms.push({ key: skeleton, skeleton, literals: [] });
    } else if (!subtestCalls.some((call) => contains(current, call))) {
      forms.push(tokenForm(current, rules, skipped));
    } else {
      for (const child of current.children()) walk(child);
    }
  };
  walk(body);
  return joinTokenForms(forms.filter((form) => form.key !== ''));
}

function contains(outer: SgNode, inner: SgNode): boolean {
  const { start, end } = outer.range();
  const range = inner.range();
  return start.index <= range.start.index && range.end.index <= end.index;
}
