import type { SgNode } from '@ast-grep/napi';
import type { Assertion, TestCase, TokenForm } from './test-case.ts';

/** A test's token forms: its body's and its assertions'. */
export interface TestForms {
  body: TokenForm;
  assertions: Assertion[];
}

/**
 * `test` with `body` and `assertions` computed by `forms` when first read, once. Most tests of a changed file are
 * as they were: the rules see equal sources and never read their forms, which are the costly part of parsing.
 */
export function withLazyForms(test: Omit<TestCase, 'body' | 'assertions'>, forms: () => TestForms): TestCase {
  let computed: TestForms | undefined;
  const read = () => {
    computed ??= forms();
    return computed;
  };
  return Object.defineProperties(test as TestCase, {
    body: { get: () => read().body, enumerable: true },
    assertions: { get: () => read().assertions, enumerable: true },
  });
}

/**
 * The source a test's forms can be known by (see `TestCase.source`): `code` with the `context` its forms depend
 * on; undefined when tree-sitter met syntax errors (in the file, or where the forms come from), as its recovery
 * may read the same text otherwise.
 */
export function sourceKey(context: string, code: string, parseErrors: boolean): string | undefined {
  return parseErrors ? undefined : `${context}\n${code}`;
}

/** Whether tree-sitter met syntax errors in the tree under `node`. */
export function hasParseErrors(node: SgNode): boolean {
  return node.find({ rule: { kind: 'ERROR' } }) !== null;
}
