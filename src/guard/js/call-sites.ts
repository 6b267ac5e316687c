import type { SgNode } from '@ast-grep/napi';
import { avaAssertionNames } from './ava.ts';
import { markerModifiers } from './markers.ts';
import { suiteNames, testNames } from './test-calls.ts';

/** A call the JS parser looks at, with what it reads of every such call. */
export interface CallSite {
  node: SgNode;
  callee: SgNode;
  /** The callee as written: `it.skip`, `assert.equal`, `t.skip`. */
  calleeText: string;
  /** Where the call starts and ends in the file (ast-grep's index). */
  start: number;
  end: number;
  line: number;
}

/** Hooks run before the tests of their suite (mocha, jest, vitest, node:test): a skip inside one skips them all. */
export const beforeHookNames = ['before', 'beforeEach', 'beforeAll', 'setup', 'suiteSetup'];
const words = [...testNames, ...suiteNames, ...beforeHookNames, 'expect', 'assert'];
/**
 * Callees that may name a test or suite (`it`, `describe.each(...)`, `t.test`), an assertion (`expect`,
 * `assert.equal`, ava's `t.is`) or an in-body skip (`t.skip`): a loose match, each call is then classified exactly.
 */
const mayMatter = new RegExp(
  `\\b(?:${words.join('|')})\\b|(?:${Object.keys(markerModifiers).join('|')})$|(?:^|\\.)\\s*(?:${avaAssertionNames.join('|')})$`,
);

/**
 * The calls of a file whose callee may matter to the parser, in source order (parents before the calls inside
 * them), found by ast-grep in native code rather than by visiting every node from JS; and whether tree-sitter
 * met syntax errors.
 */
export function callSitesOf(root: SgNode): { calls: CallSite[]; parseErrors: boolean } {
  const calls: CallSite[] = [];
  let parseErrors = false;
  for (const node of root.findAll({ rule: { any: [{ kind: 'call_expression' }, { kind: 'ERROR' }] } })) {
    const callee = node.field('function');
    if (!callee) {
      parseErrors ||= node.kind() === 'ERROR';
      continue;
    }
    const calleeText = callee.text();
    if (!mayMatter.test(calleeText)) continue;
    const { start, end } = node.range();
    calls.push({ node, callee, calleeText, start: start.index, end: end.index, line: start.line + 1 });
  }
  return { calls, parseErrors };
}
