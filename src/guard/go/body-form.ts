import type { SgNode } from '@ast-grep/napi';
import type { TokenForm } from '../tests/test-case.ts';
import { innerNodes, joinTokenForms, type SkippedNodes, type TokenRules, tokenForms } from '../tests/token-form.ts';

/**
 * The token form of a test body whose `t.Run` calls count by their code only (their skeleton): the values of a
 * subtest belong to the subtest, so fixing a subtest's title or expected value is not read as a change of the
 * parent's values too, while the table a loop of subtests runs over stays in the parent. Failure messages
 * (`skipped`) are left out. The forms of the `inner` nodes (assertions) come from the same walk where it reaches
 * them whole, else undefined.
 */
export function bodyFormOf(
  body: SgNode,
  subtestCalls: readonly SgNode[],
  rules: TokenRules,
  skipped: SkippedNodes,
  inner: readonly SgNode[] = [],
): { form: TokenForm; inner: Array<TokenForm | undefined> } {
  const subtests = new Set(subtestCalls.map((call) => call.id()));
  const holders = holdersOf(body, subtestCalls);
  const forms: TokenForm[] = [];
  const innerForms: Array<TokenForm | undefined> = inner.map(() => undefined);
  const targets = innerNodes(inner);
  const walk = (current: SgNode) => {
    const id = current.id();
    if (subtests.has(id)) {
      const { skeleton } = tokenForms(current, [], rules, skipped).form;
      forms.push({ key: skeleton, skeleton, literals: [] });
    } else if (!holders.has(id)) {
      const walked = tokenForms(current, targets, rules, skipped);
      walked.inner.forEach((form, index) => {
        innerForms[index] ??= form;
      });
      forms.push(walked.form);
    } else {
      for (const child of current.children()) walk(child);
    }
  };
  walk(body);
  return { form: joinTokenForms(forms.filter((form) => form.key !== '')), inner: innerForms };
}

/** Ids of the nodes from `body` down to each of `calls`, the calls left out: the nodes that hold a subtest. */
function holdersOf(body: SgNode, calls: readonly SgNode[]): Set<number> {
  const holders = new Set<number>();
  if (calls.length === 0) return holders;
  const bodyId = body.id();
  holders.add(bodyId);
  for (const call of calls) {
    for (let node = call.parent(); node && !holders.has(node.id()); node = node.parent()) holders.add(node.id());
  }
  return holders;
}
