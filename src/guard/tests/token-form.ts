import type { SgNode } from '@ast-grep/napi';
import type { TokenForm } from './test-case.ts';

/** How a language's syntax tree reduces to tokens. */
export interface TokenRules {
  /** Node kinds left out entirely: comments, quotes, separators. */
  dropped: ReadonlySet<string>;
  /** Node kinds that are a literal value, kept whole (a string's content, a number, true/false). */
  literals: ReadonlySet<string>;
}

export const emptyTokenForm: TokenForm = { key: '', skeleton: '', literals: [] };

/** Ids (`SgNode.id()`) of nodes a token form leaves out: the failure messages of assertions, text rather than values. */
export type SkippedNodes = ReadonlySet<number>;

const noNodes: SkippedNodes = new Set();

/**
 * The leaf tokens of `node` under `rules`, without the nodes in `skipped`: reformatting, comments and a reworded
 * failure message leave the result unchanged.
 */
export function tokenForm(node: SgNode, rules: TokenRules, skipped: SkippedNodes = noNodes): TokenForm {
  const tokens: string[] = [];
  const shape: string[] = [];
  const literals: string[] = [];
  const walk = (current: SgNode) => {
    const kind = String(current.kind());
    if (rules.dropped.has(kind) || (skipped.size > 0 && skipped.has(current.id()))) return;
    if (rules.literals.has(kind) || isSignedNumber(current)) {
      const text = literalValue(current.text());
      tokens.push(text);
      shape.push('\u2047');
      literals.push(text);
    } else if (current.isLeaf()) {
      tokens.push(current.text());
      shape.push(current.text());
    } else for (const child of current.children()) walk(child);
  };
  walk(node);
  return { key: tokens.join(' '), skeleton: shape.join(' '), literals };
}

/** A literal's value as the code means it: `'a'`, `"a"` and `r"a"` are all `a`. */
function literalValue(text: string): string {
  const quoted = /^[A-Za-z]{0,2}("""|'''|["'`])([\s\S]*)\1$/.exec(text);
  return quoted ? (quoted[2] ?? '') : text;
}

/** Several fragments read as one, in order. */
export function joinTokenForms(forms: readonly TokenForm[]): TokenForm {
  return {
    key: forms.map((form) => form.key).join(' '),
    skeleton: forms.map((form) => form.skeleton).join(' '),
    literals: forms.flatMap((form) => form.literals),
  };
}

/** `-1`, `- 2.5`: parsed as an operator and a number, but a value all the same. */
function isSignedNumber(node: SgNode): boolean {
  return !node.isLeaf() && /^[-+]\s*\d[\w.]*$/.test(node.text());
}
