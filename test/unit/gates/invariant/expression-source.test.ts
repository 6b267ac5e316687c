import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { childNodes, type ExpressionNode, sourceOf } from '../../../../src/gates/invariant/expression-source.ts';

/** The text of every node of `source` that can be recovered, in tree order. */
function recoveredParts(source: string): string[] {
  const texts: string[] = [];
  const visit = (node: ExpressionNode): void => {
    const text = sourceOf(node, source);
    if (text !== undefined) texts.push(text);
    for (const child of childNodes(node)) visit(child);
  };
  visit(jsonata(source).ast() as ExpressionNode);
  return texts;
}

describe('sourceOf', () => {
  it('recovers calls with their closing parenthesis, paths and operands', () => {
    expect(recoveredParts('$abs($sum(channels.bytes) - total.bytes) <= 0.001 * total.bytes')).toEqual([
      '$abs($sum(channels.bytes) - total.bytes) <= 0.001 * total.bytes',
      '$abs($sum(channels.bytes) - total.bytes)',
      '$sum(channels.bytes) - total.bytes',
      '$sum(channels.bytes)',
      'channels.bytes',
      '$sum',
      'total.bytes',
      '$abs',
      '0.001 * total.bytes',
      '0.001',
      'total.bytes',
    ]);
  });

  it('recovers quoted names, escaped strings, exponents, blocks and filters', () => {
    const parts = recoveredParts('$count(items[price > 1e3]) > (2) and `unit price`.eur != "a \\"b\\""');
    expect(parts).toContain('$count(items[price > 1e3]) > (2)');
    expect(parts).toContain('items[price > 1e3]');
    expect(parts).toContain('(2)');
    expect(parts).toContain('`unit price`.eur');
    expect(parts).toContain('"a \\"b\\""');
  });

  it('gives nothing rather than a wrong text', () => {
    // A lambda's tokens do not record where `function` starts: no text is better than a cut one.
    const source = '$map(items, function($v) { $v * 2 })';
    const lambda = (jsonata(source).ast() as ExpressionNode).arguments as ExpressionNode[];
    expect(sourceOf(lambda[1] as ExpressionNode, source)).toBeUndefined();
  });
});
