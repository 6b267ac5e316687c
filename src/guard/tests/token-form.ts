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
/** `-1`, `- 2.5`: parsed as an operator and a number, but a value all the same. */
const signedNumber = /^[-+]\s*\d[\w.]*$/;
const literalMark = '\u2047';

/** Where the tokens and literals of an inner node start and end among those of the node walked. */
interface Span {
  tokens: number;
  literals: number;
  tokensEnd: number;
  literalsEnd: number;
}

/** How the text of a node starts, as far as a signed number is concerned; `unknown` when the walk did not read it. */
type Lead = 'sign' | 'other' | 'unknown';

/**
 * The leaf tokens of `node` under `rules`, without the nodes in `skipped`: reformatting, comments and a reworded
 * failure message leave the result unchanged.
 */
export function tokenForm(node: SgNode, rules: TokenRules, skipped: SkippedNodes = noNodes): TokenForm {
  return tokenForms(node, [], rules, skipped).form;
}

/** Nodes whose forms a walk also reads (see `tokenForms`), indexed once for the walks of many nodes. */
export interface InnerNodes {
  count: number;
  /** Their positions in the list, by node id (a node may be listed twice). */
  indexes: ReadonlyMap<number, readonly number[]>;
  /** Their kinds: only nodes of these kinds can be one of them, so only their ids are read. */
  kinds: ReadonlySet<string>;
}

export function innerNodes(nodes: readonly SgNode[]): InnerNodes {
  const indexes = new Map<number, number[]>();
  nodes.forEach((node, index) => {
    const id = node.id();
    indexes.set(id, [...(indexes.get(id) ?? []), index]);
  });
  return { count: nodes.length, indexes, kinds: new Set(nodes.map((node) => String(node.kind()))) };
}

/**
 * The token form of `node` and, from the same walk, those of the `inner` nodes within it (the assertions of a
 * test body), each the same as `tokenForm` of that node; undefined for an inner node the walk does not reach
 * (outside `node`, or inside a literal or a skipped node).
 */
export function tokenForms(
  node: SgNode,
  inner: readonly SgNode[] | InnerNodes,
  rules: TokenRules,
  skipped: SkippedNodes = noNodes,
): { form: TokenForm; inner: Array<TokenForm | undefined> } {
  const { count, indexes, kinds } = 'indexes' in inner ? inner : innerNodes(inner);
  const tokens: string[] = [];
  const shape: string[] = [];
  const literals: string[] = [];
  const spans: Array<Span | undefined> = [];
  const pushLiteral = (text: string) => {
    const value = literalValue(text);
    tokens.push(value);
    shape.push(literalMark);
    literals.push(value);
  };
  // Every node is read once, with as few calls into ast-grep as can be (each one crosses into native code):
  // its kind, its children, and the text of the leaves. A node is a signed number only if its text starts with a
  // sign, which its first child tells, so only then is its own text read.
  const walk = (current: SgNode): Lead => {
    const kind = String(current.kind());
    if (rules.dropped.has(kind)) return 'unknown';
    // Ids are read only where they can matter: on every node when some are skipped, else on inner nodes' kinds.
    const id = skipped.size > 0 || kinds.has(kind) ? current.id() : -1;
    if (skipped.has(id)) return 'unknown';
    const start = { tokens: tokens.length, literals: literals.length };
    let lead: Lead;
    if (rules.literals.has(kind)) {
      const text = current.text();
      pushLiteral(text);
      lead = leadOf(text);
    } else {
      const children = current.children();
      if (children.length === 0) {
        const text = current.text();
        tokens.push(text);
        shape.push(text);
        return leadOf(text);
      }
      lead = 'other';
      children.forEach((child, index) => {
        const childLead = walk(child);
        if (index === 0) lead = childLead;
      });
      if (lead !== 'other') {
        const text = current.text();
        lead = leadOf(text);
        if (signedNumber.test(text)) {
          tokens.length = shape.length = start.tokens;
          literals.length = start.literals;
          for (const [index, span] of spans.entries())
            if (span && span.tokens >= start.tokens) spans[index] = undefined;
          pushLiteral(text);
        }
      }
    }
    for (const index of indexes.get(id) ?? []) {
      spans[index] = { ...start, tokensEnd: tokens.length, literalsEnd: literals.length };
    }
    return lead;
  };
  walk(node);
  const sliced = (span: Span) =>
    formOf(
      tokens.slice(span.tokens, span.tokensEnd),
      shape.slice(span.tokens, span.tokensEnd),
      literals.slice(span.literals, span.literalsEnd),
    );
  return {
    form: formOf(tokens, shape, literals),
    inner: Array.from({ length: count }, (_, index) => {
      const span = spans[index];
      return span && sliced(span);
    }),
  };
}

function formOf(tokens: string[], shape: string[], literals: string[]): TokenForm {
  return { key: tokens.join(' '), skeleton: shape.join(' '), literals };
}

function leadOf(text: string): Lead {
  if (text === '') return 'unknown';
  return text.startsWith('-') || text.startsWith('+') ? 'sign' : 'other';
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
