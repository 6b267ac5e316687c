import type { SgNode } from '@ast-grep/napi';
import type { SkippedNodes } from '../tests/token-form.ts';

/** How many values a macro checks before its format string: `assert_eq!(a, b, "a is {}", a)`; `panic!` none. */
const macroValueCounts = new Map<string, number>([
  ...['panic', 'unreachable', 'todo', 'unimplemented'].map((name) => [name, 0] as const),
  ...['assert', 'debug_assert', 'prop_assert'].map((name) => [name, 1] as const),
  ...[
    ...['assert_eq', 'assert_ne', 'debug_assert_eq', 'debug_assert_ne', 'prop_assert_eq', 'prop_assert_ne'],
    ...['assert_matches', 'debug_assert_matches'],
  ].map((name) => [name, 2] as const),
]);
const formatStringKinds = new Set(['string_literal', 'raw_string_literal']);
const commentKinds = new Set(['line_comment', 'block_comment']);

/**
 * Ids of the failure messages in a Rust file: the format string and its arguments after the checked values of
 * `assert!`, `assert_eq!`, `assert_ne!` (and their debug_/prop_ forms), and the whole of `panic!(...)`.
 */
export function messageArgumentIds(root: SgNode): SkippedNodes {
  const ids = new Set<number>();
  for (const invocation of root.findAll({ rule: { kind: 'macro_invocation' } })) {
    const values = macroValueCounts.get(macroNameOf(invocation));
    const tree = invocation.children().find((child) => child.kind() === 'token_tree');
    if (values === undefined || !tree) continue;
    for (const token of messageTokens(tree, values)) ids.add(token.id());
  }
  return ids;
}

/** `assert_eq` for `assert_eq!(...)` and for `pretty_assertions::assert_eq!(...)`. */
export function macroNameOf(invocation: SgNode): string {
  const name = invocation.field('macro');
  if (name?.kind() === 'scoped_identifier') return name.field('name')?.text() ?? '';
  return name?.text() ?? '';
}

/**
 * A macro's arguments are a flat run of tokens: split them at commas outside turbofish generics
 * (`HashMap::<K, V>::new()`), and take what follows the `values`-th comma when it starts with a format string,
 * as Rust requires of a panic message; else try the next comma.
 */
function messageTokens(tree: SgNode, values: number): SgNode[] {
  const tokens = tree
    .children()
    .slice(1, -1)
    .filter((token) => !commentKinds.has(String(token.kind())));
  const messageFrom = (start: number) =>
    formatStringKinds.has(String(tokens[start]?.kind())) ? tokens.slice(start) : [];
  if (values === 0) return messageFrom(0);
  let commas = 0;
  let genericDepth = 0;
  for (const [index, token] of tokens.entries()) {
    const kind = token.kind();
    if (kind === '<' && (genericDepth > 0 || tokens[index - 1]?.kind() === '::')) genericDepth += 1;
    else if (genericDepth > 0 && (kind === '>' || kind === '>>'))
      genericDepth = Math.max(0, genericDepth - kind.length);
    else if (genericDepth === 0 && kind === ',') {
      commas += 1;
      const message = commas >= values ? messageFrom(index + 1) : [];
      if (message.length > 0) return message;
    }
  }
  return [];
}
