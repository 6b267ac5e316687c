import type { SgNode } from '@ast-grep/napi';
import type { TestMarker } from '../tests/test-case.ts';
import { skipCallMarker } from './markers.ts';
import { isAssertionCall } from './test-body.ts';

/** What a test body holds beside its code: assertions (the statements they are), and calls that skip the test. */
export interface BodyContents {
  assertions: SgNode[];
  markers: TestMarker[];
  /** Whether tree-sitter met syntax errors in the body. */
  parseErrors: boolean;
}

const scannedKinds = {
  rule: { any: ['assert_statement', 'call', 'raise_statement', 'ERROR'].map((kind) => ({ kind })) },
};
/** Callees and raised names that may skip or check (`pytest.skip`, `self.assertEqual`): each is then read exactly. */
const mayMatter = /skip|xfail|SkipTest|assert|raises|warns|deprecated_call|fail/;

/**
 * The assertions and in-body skips (`pytest.skip()`, `self.skipTest()`, `raise SkipTest`) under `node`, but not
 * inside an assertion. The statements and calls are found by ast-grep in native code, in source order.
 */
export function scanBody(node: SgNode): BodyContents {
  const contents: BodyContents = { assertions: [], markers: [], parseErrors: false };
  let assertionEnd = -1;
  for (const current of node.findAll(scannedKinds)) {
    const kind = current.kind();
    if (kind === 'ERROR') {
      contents.parseErrors = true;
      continue;
    }
    if (
      kind !== 'assert_statement' &&
      !mayMatter.test((kind === 'call' ? current.field('function') : current)?.text() ?? '')
    ) {
      continue;
    }
    const { start, end } = current.range();
    if (start.index < assertionEnd) continue;
    if (kind === 'assert_statement') {
      contents.assertions.push(current);
      assertionEnd = end.index;
      continue;
    }
    const marker = skipCallMarker(current);
    if (marker) contents.markers.push(marker);
    if (kind === 'call' && isAssertionCall(current)) {
      contents.assertions.push(assertionStatement(current));
      assertionEnd = end.index;
    }
  }
  return contents;
}

/** The statement a call asserts in: `assert_that(x).is_equal_to(3)` as a whole, or the call itself in a `with`. */
function assertionStatement(call: SgNode): SgNode {
  let current = call;
  for (let parent = current.parent(); parent; parent = current.parent()) {
    const kind = parent.kind();
    const continues =
      (kind === 'attribute' && parent.field('object')?.id() === current.id()) ||
      (kind === 'call' && parent.field('function')?.id() === current.id()) ||
      kind === 'await' ||
      kind === 'expression_statement';
    if (!continues) break;
    current = parent;
  }
  return current;
}
