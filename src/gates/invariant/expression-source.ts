import jsonata from 'jsonata';

/**
 * A node of a parsed JSONata expression, as `expression.ast()` gives it: typed here by what we read, since
 * jsonata's own `ExprNode` omits kinds the parser produces (`path`, `filter`, `apply`, `bind`).
 */
export interface ExpressionNode {
  type: string;
  value?: unknown;
  /** Where the node's own token ends in the source. */
  position?: number;
  steps?: ExpressionNode[];
  procedure?: ExpressionNode;
  stages?: ExpressionNode[];
  [field: string]: unknown;
}

interface Span {
  start: number;
  end: number;
}

const openerOf: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const closerOf: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Narrows a value of the AST to a node (an object with a `type`). */
export function isExpressionNode(value: unknown): value is ExpressionNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * The text of `node` in `source`, recovered from the end positions the parser keeps on each token;
 * undefined when it cannot be recovered exactly (the text is checked by parsing it again).
 */
export function sourceOf(node: ExpressionNode, source: string): string | undefined {
  const text = spanText(tokenSpans(node, source), source);
  return text !== undefined && sameExpression(text, node) ? text : undefined;
}

/** The text of the first `count` steps of a path (unchecked: a prefix need not parse to the same nodes). */
export function pathPrefixOf(path: ExpressionNode, count: number, source: string): string | undefined {
  const steps = (path.steps ?? []).slice(0, count);
  return spanText(
    steps.flatMap((step) => tokenSpans(step as ExpressionNode, source)),
    source,
  );
}

/** The direct child nodes of a node, in no particular order. */
export function childNodes(node: ExpressionNode): ExpressionNode[] {
  const children: ExpressionNode[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 4 || typeof value !== 'object' || value === null) return;
    if (isExpressionNode(value) && depth > 0) {
      children.push(value);
      return;
    }
    for (const item of Object.values(value)) visit(item, depth + 1);
  };
  visit(node, 0);
  return children;
}

function tokenSpans(node: ExpressionNode, source: string, seen = new Set<object>()): Span[] {
  if (seen.has(node)) return [];
  seen.add(node);
  const own = ownToken(node, source);
  return [...(own ? [own] : []), ...childNodes(node).flatMap((child) => tokenSpans(child, source, seen))];
}

function spanText(spans: Span[], source: string): string | undefined {
  if (spans.length === 0) return undefined;
  const start = Math.min(...spans.map((span) => span.start));
  const end = Math.max(...spans.map((span) => span.end));
  return closeBrackets(source, start, end);
}

/** The parser records where each token ends; where it starts depends on what kind of token it is. */
function ownToken(node: ExpressionNode, source: string): Span | undefined {
  const end = node.position;
  if (typeof end !== 'number' || end <= 0 || end > source.length) return undefined;
  const text = typeof node.value === 'string' ? node.value : String(node.value);
  let start: number | undefined;
  switch (node.type) {
    case 'name':
      start = source[end - 1] === '`' ? source.lastIndexOf('`', end - 2) : end - text.length;
      break;
    case 'variable':
      start = end - text.length - 1;
      break;
    case 'string':
      start = openingQuote(source, end);
      break;
    case 'number':
      start = end - (/\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.exec(source.slice(0, end))?.[0].length ?? 0);
      break;
    case 'value':
    case 'binary':
    case 'apply':
    case 'bind':
    case 'condition':
    case 'wildcard':
    case 'descendant':
    case 'parent':
      start = end - text.length;
      break;
    case 'function':
    case 'partial':
    case 'block':
    case 'unary':
    case 'filter':
      start = end - 1;
      break;
    default:
      return undefined;
  }
  return start !== undefined && start >= 0 && start < end ? { start, end } : undefined;
}

function openingQuote(source: string, end: number): number | undefined {
  const quote = source[end - 1];
  if (quote !== '"' && quote !== "'") return undefined;
  for (let index = end - 2; index >= 0; index--) {
    if (source[index] !== quote) continue;
    let backslashes = 0;
    while (source[index - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 0) return index;
  }
  return undefined;
}

/** Extends `start..end` past the closing brackets of what it opens: `$sum(x` becomes `$sum(x)`. */
function closeBrackets(source: string, start: number, end: number): string | undefined {
  const open: string[] = [];
  let quote: string | undefined;
  for (let index = start; index < end; index++) {
    const char = source[index] as string;
    if (quote) {
      if (char === '\\') index++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'" || char === '`') quote = char;
    else if (closerOf[char]) open.push(char);
    else if (openerOf[char]) {
      if (open.pop() !== openerOf[char]) return undefined;
    }
  }
  if (quote) return undefined;
  let stop = end;
  for (const opener of open.reverse()) {
    while (/\s/.test(source[stop] ?? '')) stop++;
    if (source[stop] !== closerOf[opener]) return undefined;
    stop++;
  }
  return source.slice(start, stop).trim();
}

function sameExpression(text: string, node: ExpressionNode): boolean {
  try {
    return withoutPositions(jsonata(text).ast()) === withoutPositions(node);
  } catch {
    return false;
  }
}

function withoutPositions(node: unknown): string {
  return JSON.stringify(node, (key, value: unknown) => (key === 'position' ? undefined : value));
}
