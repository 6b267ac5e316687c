import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { childNodes, type ExpressionNode, sourceOf } from '../../../../src/gates/invariant/expression-source.ts';
import { lastJsonDocument } from '../../../../src/gates/invariant/read-invariant-json.ts';

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

describe('lastJsonDocument', () => {
  it('prefers the last document that starts a line over the inside of a pretty-printed one', () => {
    const text = `{"a":1}\n[INFO] start\n${JSON.stringify({ b: [{ c: 1 }, { c: 2 }] }, null, 2)}\nbye\n`;
    expect(lastJsonDocument(text)).toEqual({ value: { b: [{ c: 1 }, { c: 2 }] } });
  });

  it('reads an indented document when no line starts with one', () => {
    expect(lastJsonDocument('result:\n  {"ok": true}\n')).toEqual({ value: { ok: true } });
    expect(lastJsonDocument('no json { here\n')).toBeUndefined();
  });

  it('stays fast on a large output full of lines that open a bracket and never close it', () => {
    const noise = '{ not json\n'.repeat(200_000);
    const started = performance.now();
    expect(lastJsonDocument(`{"first":1}\n${'{ not json\n'.repeat(100)}`)).toEqual({ value: { first: 1 } });
    // Past its budget the search gives up rather than scan the output once per line.
    expect(lastJsonDocument(`{"first":1}\n${noise}`)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
