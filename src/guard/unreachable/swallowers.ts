import type { SgNode } from '@ast-grep/napi';
import { endLineOf, kindOf, lineOf, type Neutralizer } from './neutralizer.ts';
import type { StatementSyntax } from './statement-syntax.ts';

/** Exceptions whose handler also catches a failed assertion. */
const catchesAssertions = /\b(AssertionError|Exception|BaseException)\b/;

/**
 * Constructs that run code but let none of its failures through: a `catch`/`except` that neither re-throws
 * nor checks the error, a `finally` that returns, `contextlib.suppress(AssertionError)`, a Rust
 * `catch_unwind` whose result is thrown away.
 */
export function swallowersOf(language: string, root: SgNode, syntax: StatementSyntax): Neutralizer[] {
  const kinds = swallowerKinds[language] ?? [];
  if (kinds.length === 0) return [];
  return root.findAll({ rule: { any: kinds } }).flatMap((node) => swallowerOf(language, node, syntax) ?? []);
}

/** The nodes that may swallow a failure, by language, for a native search of the tree. */
const swallowerKinds: Record<string, Array<{ kind: string; regex?: string }>> = {
  js: [{ kind: 'try_statement' }],
  python: [{ kind: 'try_statement' }, { kind: 'with_statement', regex: 'suppress' }],
  rust: [{ kind: 'call_expression', regex: 'catch_unwind' }],
};

function swallowerOf(language: string, node: SgNode, syntax: StatementSyntax): Neutralizer | undefined {
  const kind = kindOf(node);
  if (language === 'js' && kind === 'try_statement') return jsTry(node, syntax);
  if (language === 'python' && kind === 'try_statement') return pythonTry(node, syntax);
  if (language === 'python' && kind === 'with_statement') return pythonSuppress(node);
  if (language === 'rust' && kind === 'call_expression') return rustCatchUnwind(node);
  return undefined;
}

function swallowed(construct: string, node: SgNode, body: SgNode): Neutralizer {
  return { kind: 'swallowed', construct, line: lineOf(node), from: lineOf(body), to: endLineOf(body) };
}

/** Whether a `finally` block returns: that discards whatever the `try` threw. */
function returnsFromFinally(finalizer: SgNode | undefined, syntax: StatementSyntax): boolean {
  const block = finalizer?.children().find((child) => child.kind() === 'statement_block' || child.kind() === 'block');
  return block?.children().some((child) => syntax.returns.has(kindOf(child))) ?? false;
}

function jsTry(node: SgNode, syntax: StatementSyntax): Neutralizer | undefined {
  const body = node.field('body');
  if (!body) return undefined;
  const handler = node.field('handler');
  const finalizer = node.field('finalizer') ?? undefined;
  if (returnsFromFinally(finalizer, syntax)) return swallowed('try { ... } finally { return }', node, body);
  const handlerBody = handler?.field('body');
  if (!handler || !handlerBody || syntax.handlerChecks.test(handlerBody.text())) return undefined;
  const parameter = handler.field('parameter')?.text();
  const shown = handlerBody.text().replace(/\s+/g, ' ').trim();
  const handled = shown.length > 40 ? '{ ... }' : shown;
  return swallowed(`try { ... } catch${parameter ? ` (${parameter})` : ''} ${handled}`, node, body);
}

function pythonTry(node: SgNode, syntax: StatementSyntax): Neutralizer | undefined {
  const body = node.children().find((child) => child.kind() === 'block');
  if (!body) return undefined;
  const finalizer = node.children().find((child) => child.kind() === 'finally_clause');
  if (returnsFromFinally(finalizer, syntax)) return swallowed('try: ... finally: return', node, body);
  for (const clause of node.children().filter((child) => child.kind() === 'except_clause')) {
    const named = clause.children().filter((child) => child.isNamed() && child.kind() !== 'comment');
    const block = named.at(-1);
    const caught = named
      .slice(0, -1)
      .map((child) => child.text())
      .join(' ');
    if (block?.kind() !== 'block') continue;
    if (caught !== '' && !catchesAssertions.test(caught)) continue;
    if (syntax.handlerChecks.test(block.text())) continue;
    const handled = block.text().replace(/\s+/g, ' ').trim();
    const shown = `try: ... except${caught ? ` ${caught}` : ''}: ${handled.length > 30 ? '...' : handled}`;
    return swallowed(shown, node, body);
  }
  return undefined;
}

function pythonSuppress(node: SgNode): Neutralizer | undefined {
  const clause = node.children().find((child) => child.kind() === 'with_clause');
  const body = node.children().find((child) => child.kind() === 'block');
  const suppressed = clause && /\bsuppress\(([^)]*)\)/.exec(clause.text());
  if (!body || !suppressed?.[1] || !catchesAssertions.test(suppressed[1])) return undefined;
  return swallowed(`with ${clause?.text().replace(/\s+/g, ' ')}`, node, body);
}

/** `let _ = std::panic::catch_unwind(|| { assert!(...) });`: the panic of a failed assert is caught and dropped. */
function rustCatchUnwind(node: SgNode): Neutralizer | undefined {
  const callee = node.field('function')?.text() ?? '';
  const args = node.field('arguments');
  if (!/(^|::)catch_unwind$/.test(callee) || !args) return undefined;
  let top = node;
  for (let parent = top.parent(); parent; parent = top.parent()) {
    const continues =
      (parent.kind() === 'field_expression' && parent.field('value')?.id() === top.id()) ||
      (parent.kind() === 'call_expression' && parent.field('function')?.id() === top.id());
    if (!continues) break;
    top = parent;
  }
  let holder = top.parent();
  // `drop(catch_unwind(...))` throws the result away as surely as `let _ =`.
  const call = holder?.kind() === 'arguments' ? holder.parent() : undefined;
  if (call?.kind() === 'call_expression' && /(^|::)drop$/.test(call.field('function')?.text() ?? '')) {
    holder = call.parent();
  }
  const pattern = holder?.kind() === 'let_declaration' ? holder.field('pattern')?.text() : undefined;
  const dropped = holder?.kind() === 'expression_statement' || pattern?.startsWith('_');
  if (!dropped) return undefined;
  return swallowed(`${pattern !== undefined ? `let ${pattern} = ` : ''}${callee}(...)`, node, args);
}
