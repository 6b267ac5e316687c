import type { SgNode } from '@ast-grep/napi';
import type { SkippedNodes } from '../tests/token-form.ts';
import { avaMessageArgument } from './ava.ts';
import type { CallSite } from './call-sites.ts';

/** `expect(...)`, `assert(...)`, `assert.equal(...)`, `t.assert.ok(...)`, `chai.expect(...)`, `expect.soft(...)`. */
const assertionCallee = /^(?:[A-Za-z_$][\w$]*\.)?(?:expect|assert)(?:\.[A-Za-z_$][\w$]*)*$/;
/** `import assert from 'node:assert'`, `require('assert/strict')`: the file asserts with Node's module, not chai's. */
const nodeAssertImport = /(?:\bfrom\s*|\brequire\s*\(\s*)['"](?:node:)?assert(?:\/strict)?['"]/;

/** How many values an assert method compares before its optional message, in node:assert and chai's `assert`. */
const assertValueCounts = new Map<string, number>([
  ...[
    ...['ok', 'strict', 'isOk', 'notOk', 'isNotOk', 'isTrue', 'isFalse', 'isNotTrue', 'isNotFalse', 'isNull'],
    ...['isNotNull', 'isUndefined', 'isDefined', 'isNaN', 'isNotNaN', 'exists', 'notExists', 'isEmpty', 'isNotEmpty'],
    ...['isFunction', 'isObject', 'isArray', 'isString', 'isNumber', 'isFinite', 'isBoolean'],
  ].map((name) => [name, 1] as const),
  ...[
    ...['equal', 'notEqual', 'strictEqual', 'notStrictEqual', 'deepEqual', 'notDeepEqual', 'deepStrictEqual'],
    ...['notDeepStrictEqual', 'partialDeepStrictEqual', 'match', 'doesNotMatch', 'notMatch', 'include'],
    ...['notInclude', 'deepInclude', 'notDeepInclude', 'lengthOf', 'instanceOf', 'notInstanceOf', 'typeOf'],
    ...['notTypeOf', 'property', 'notProperty', 'sameMembers', 'notSameMembers', 'sameDeepMembers'],
    ...['sameOrderedMembers', 'includeMembers', 'notIncludeMembers', 'hasAllKeys', 'hasAnyKeys', 'containsAllKeys'],
    ...['isAbove', 'isAtLeast', 'isBelow', 'isAtMost', 'oneOf'],
  ].map((name) => [name, 2] as const),
  ...['closeTo', 'approximately', 'propertyVal', 'notPropertyVal', 'deepPropertyVal', 'operator'].map(
    (name) => [name, 3] as const,
  ),
]);
/** `assert.throws(fn, error, message)` in Node; chai's takes an error matcher and a message matcher first. */
const throwsMethods = new Set(['throws', 'doesNotThrow', 'rejects', 'doesNotReject']);

/** Whether a file asserts with Node's `assert` module (`import assert from 'node:assert'`) rather than chai's. */
export function usesNodeAssert(source: string): boolean {
  return nodeAssertImport.test(source);
}

/**
 * Ids of the failure-message arguments of the assertion calls among `calls` (those of a JS/TS file):
 * `assert.equal(a, 5, 'message')`, `assert(x, 'message')`, `expect(x, 'message')`. A message is text shown on
 * failure, not a value the test checks.
 */
export function messageArgumentIds(calls: readonly CallSite[], nodeAssert: boolean): SkippedNodes {
  const ids = new Set<number>();
  for (const { node, calleeText } of calls) {
    if (!isAssertionCallee(calleeText)) {
      const ava = avaMessageArgument(node, calleeText);
      if (ava) ids.add(ava.id());
      continue;
    }
    let args: SgNode[] | undefined;
    const argumentsOfCall = () => {
      args ??= argumentsOf(node);
      return args;
    };
    const path = calleeText.replace(/\s+/g, '').split('.');
    const method = path.at(-1) ?? '';
    // An ava context parameter may be named `assert`: `assert.is(a, 5, 'message')`, a method node and chai lack.
    const known = assertValueCounts.has(method) || throwsMethods.has(method) || method === 'fail';
    const message =
      messageOf(path, argumentsOfCall, nodeAssert) ?? (known ? undefined : avaMessageArgument(node, calleeText));
    if (message) ids.add(message.id());
  }
  return ids;
}

/** Whether a callee, as written, starts an assertion: `expect`, `assert`, `assert.equal`, `t.assert.ok`. */
export function isAssertionCallee(calleeText: string): boolean {
  return assertionCallee.test(calleeText.replace(/\s+/g, ''));
}

/** The message argument: the one right after the compared values, and the last one written. */
function messageOf(path: string[], argumentsOfCall: () => SgNode[], nodeAssert: boolean): SgNode | undefined {
  const root = path.findLastIndex((segment) => segment === 'expect' || segment === 'assert');
  const rest = path.slice(root + 1).filter((segment) => segment !== 'strict');
  const method = rest.at(-1);
  // node:test's `t.assert` is node:assert; chai's is reached as `assert` or `chai.assert`.
  const fromNode = nodeAssert || (root > 0 && path[0] !== 'chai');
  let values: number | undefined;
  if (path[root] === 'expect') values = method === undefined || method === 'soft' ? 1 : undefined;
  else if (method === undefined) values = 1;
  else if (method === 'fail') values = argumentsOfCall().length === 1 ? 0 : undefined;
  else if (throwsMethods.has(method)) values = fromNode ? throwsValueCount(argumentsOfCall()) : 3;
  else values = assertValueCounts.get(method);
  if (values === undefined) return undefined;
  const args = argumentsOfCall();
  return args.length === values + 1 ? args[values] : undefined;
}

/** Node reads `assert.throws(fn, 'text')` as a message without an expected error. */
function throwsValueCount(args: SgNode[]): number {
  const second = args[1]?.kind();
  return args.length === 2 && (second === 'string' || second === 'template_string') ? 1 : 2;
}

function argumentsOf(call: SgNode): SgNode[] {
  return (
    call
      .field('arguments')
      ?.namedChildren()
      .filter((child) => child.kind() !== 'comment') ?? []
  );
}
