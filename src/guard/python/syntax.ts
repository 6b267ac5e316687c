import type { SgNode } from '@ast-grep/napi';

/** `pytest.mark.skip` for the attribute chain `pytest.mark.skip`; undefined when the chain holds a call or index. */
export function dottedName(node: SgNode): string | undefined {
  const kind = node.kind();
  if (kind === 'identifier') return node.text();
  if (kind !== 'attribute') return undefined;
  const object = node.field('object');
  const attribute = node.field('attribute');
  const prefix = object ? dottedName(object) : undefined;
  return prefix !== undefined && attribute ? `${prefix}.${attribute.text()}` : undefined;
}

/** The dotted name a call calls (`pytest.mark.skip` for `pytest.mark.skip(reason='x')`), or the name `node` is. */
export function calleeName(node: SgNode): string | undefined {
  const callee = node.kind() === 'call' ? node.field('function') : node;
  return callee ? dottedName(callee) : undefined;
}

/** The last name of what a call calls: `assertEqual` for `self.assertEqual(a, b)`, also after a call chain. */
export function lastCalleeName(call: SgNode): string | undefined {
  const callee = call.field('function');
  if (callee?.kind() === 'identifier') return callee.text();
  if (callee?.kind() === 'attribute') return callee.field('attribute')?.text();
  return undefined;
}

/** 1-based line where `node` starts. */
export function lineOf(node: SgNode): number {
  return node.range().start.line + 1;
}
