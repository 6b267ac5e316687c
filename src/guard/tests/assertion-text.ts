/** Pieces of an assertion's source text, read without a parser: top-level arguments and operators. */

const openers: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const closers = new Set([')', ']', '}']);

/**
 * Visit every character of `text` at bracket depth 0 and outside strings; `visit` returns a number of
 * characters to skip, or undefined to go on.
 */
function eachTopLevel(text: string, visit: (index: number) => number | undefined): void {
  let depth = 0;
  let quote: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] ?? '';
    if (quote) {
      if (char === '\\') index++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'" || char === '`') quote = char;
    else if (char in openers) depth++;
    else if (closers.has(char)) depth--;
    else if (depth === 0) {
      const skip = visit(index);
      if (skip !== undefined) index += skip;
    }
  }
}

/** `a, f(b, c), "d,e"` -> `['a', 'f(b, c)', '"d,e"']`. */
export function splitTopLevel(text: string, separator = ','): string[] {
  const parts: string[] = [];
  let start = 0;
  eachTopLevel(text, (index) => {
    if (text.startsWith(separator, index)) {
      parts.push(text.slice(start, index).trim());
      start = index + separator.length;
      return separator.length - 1;
    }
    return undefined;
  });
  const last = text.slice(start).trim();
  if (last !== '' || parts.length > 0) parts.push(last);
  return parts;
}

/** The text between the parenthesis at `open` and its match, or undefined when it has none. */
export function insideParens(text: string, open: number): { inner: string; end: number } | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let index = open; index < text.length; index++) {
    const char = text[index] ?? '';
    if (quote) {
      if (char === '\\') index++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'" || char === '`') quote = char;
    else if (char in openers) depth++;
    else if (closers.has(char)) {
      depth--;
      if (depth === 0) return { inner: text.slice(open + 1, index), end: index };
    }
  }
  return undefined;
}

/** Comparison operators, longest first so that `===` is not read as `==`. */
const operators = ['===', '!==', '==', '!=', '>=', '<=', ' is not ', ' not in ', ' is ', ' in ', '<', '>'];

/** The first top-level comparison of `expression`: `a == b` -> `{ left: 'a', operator: '==', right: 'b' }`. */
export function topComparison(expression: string): { left: string; operator: string; right: string } | undefined {
  let found: { left: string; operator: string; right: string } | undefined;
  eachTopLevel(expression, (index) => {
    if (found) return expression.length;
    const operator = operators.find((candidate) => expression.startsWith(candidate, index));
    if (!operator) return undefined;
    // `=>` and `->` are arrows, `<<`/`>>` shifts, `::<T>` a turbofish: no comparison.
    const before = expression[index - 1] ?? '';
    const after = expression[index + operator.length] ?? '';
    if (/[<>]/.test(operator.trim()) && operator.length === 1 && /[-=<>:]/.test(before + after)) return undefined;
    found = {
      left: expression.slice(0, index).trim(),
      operator: operator.trim(),
      right: expression.slice(index + operator.length).trim(),
    };
    return expression.length;
  });
  return found;
}

/** Whether `expression` has a top-level `||`/`or` with a literal true side: it passes whatever the other side is. */
export function shortCircuitsTrue(expression: string): boolean {
  const sides =
    splitTopLevel(expression, '||').length > 1 ? splitTopLevel(expression, '||') : splitTopLevel(expression, ' or ');
  return sides.length > 1 && sides.some((side) => /^(?:true|True|!false|not False|!0|1)$/.test(stripParens(side)));
}

/** `(a)` -> `a`, repeatedly. */
export function stripParens(text: string): string {
  let current = text.trim();
  while (current.startsWith('(') && insideParens(current, 0)?.end === current.length - 1) {
    current = current.slice(1, -1).trim();
  }
  return current;
}

const literal =
  /^(?:true|false|True|False|None|null|undefined|nil|NaN|-?\d[\d_]*(?:\.\d+)?(?:e-?\d+)?[a-z0-9]*|b?r?#*"(?:[^"\\]|\\.)*"#*|'(?:[^'\\]|\\.)*'|`[^`$]*`|\[\s*\]|\{\s*\}|\(\s*\))$/;

/** Whether `expression` is a constant: a number, string, boolean, null-like or empty collection. */
export function isLiteral(expression: string): boolean {
  return literal.test(stripParens(expression));
}

/** The same code but for whitespace. */
export function sameExpression(a: string, b: string): boolean {
  return stripParens(a).replace(/\s+/g, '') === stripParens(b).replace(/\s+/g, '');
}
