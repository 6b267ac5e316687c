import type { SgNode } from '@ast-grep/napi';

export const NeutralizerKinds = {
  exit: 'exit',
  skip: 'skip',
  dead: 'dead',
  swallowed: 'swallowed',
  deferred: 'deferred',
  /** After the call a `pytest.raises`/`toThrow` block expects to raise, at the end of that block. */
  raised: 'raised',
} as const;
export type NeutralizerKind = (typeof NeutralizerKinds)[keyof typeof NeutralizerKinds];

/**
 * Code that stops the lines `from`..`to` from running (`return`, `if (false)`), from failing (`catch {}`), or
 * from failing the test that starts them (`setTimeout(...)`, a thread: they run after it ends, or elsewhere).
 */
export interface Neutralizer {
  kind: NeutralizerKind;
  /** The construct as a person would name it: `return`, `if (false)`, `try { ... } catch {}`. */
  construct: string;
  line: number;
  /** 1-based, inclusive. */
  from: number;
  to: number;
}

/** The neutralizer that covers `line`, the innermost (latest starting) when several do. */
export function neutralizerAt(neutralizers: readonly Neutralizer[], line: number): Neutralizer | undefined {
  return neutralizers
    .filter((neutralizer) => neutralizer.from <= line && line <= neutralizer.to)
    .sort((a, b) => b.from - a.from)[0];
}

export function lineOf(node: SgNode): number {
  return node.range().start.line + 1;
}

export function endLineOf(node: SgNode): number {
  return node.range().end.line + 1;
}

/** `if (false) {` as far as its consequence, on one line. */
export function headOf(node: SgNode, body: SgNode | undefined): string {
  const text = node.text();
  const cut = body ? body.range().start.index - node.range().start.index : text.indexOf('\n');
  return text
    .slice(0, cut > 0 ? cut : undefined)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[:{]$/, '')
    .trim();
}

/** The node's kind as a plain string, to look up in sets of kinds. */
export function kindOf(node: SgNode): string {
  return String(node.kind());
}
