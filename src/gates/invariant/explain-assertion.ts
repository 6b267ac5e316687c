import jsonata from 'jsonata';
import { childNodes, type ExpressionNode, pathPrefixOf, sourceOf } from './expression-source.ts';
import { formatValue } from './format-value.ts';

/** Why an assertion did not hold: its parts with their values, and the paths that lead nowhere. */
export interface Explanation {
  /** `text = value`, most telling first: the two sides of the comparison, then the paths and calls in them. */
  values: string[];
  /** One note per path that matches nothing, e.g. `total.byts is missing (total has: bytes)`. */
  missing: string[];
}

/** Guards against an assertion that recurses without end or runs for too long. */
export const evaluationLimits = { timeout: 5000, stack: 500 };

const comparisons = new Set(['=', '!=', '<', '<=', '>', '>=', 'in']);
const literals = new Set(['number', 'string', 'value', 'regexp']);
const maxValues = 8;

/**
 * Evaluates the parts of an assertion that did not hold: the sides of each comparison that failed (inside
 * `and`/`or`, only the failing branches), then the paths and function calls they are made of.
 */
export async function explainAssertion(ast: ExpressionNode, source: string, input: unknown): Promise<Explanation> {
  const evaluator = new PartEvaluator(source, input);
  const parts: ExpressionNode[] = [];
  for (const focus of await failingBranches(ast, evaluator)) {
    if (focus.type === 'binary' && comparisons.has(String(focus.value))) {
      parts.push(...sides(focus), ...sides(focus).flatMap(innerParts));
    } else {
      parts.push(focus, ...innerParts(focus));
    }
  }
  const values: string[] = [];
  const missing: Array<{ note: string; at: number }> = [];
  const seen = new Set<string>();
  for (const part of parts) {
    if (literals.has(part.type)) continue;
    const evaluated = await evaluator.evaluate(part);
    if (!evaluated || seen.has(evaluated.text)) continue;
    seen.add(evaluated.text);
    // The value of the whole assertion is what the verdict already says.
    if (evaluated.text !== source.trim() && values.length < maxValues) {
      values.push(`${evaluated.text} = ${formatValue(evaluated.value)}`);
    }
    if (part.type === 'path' && evaluated.value === undefined) {
      const note = await missingStep(part, evaluator);
      if (note) missing.push({ note, at: somePosition(part) });
    }
  }
  return { values, missing: missing.sort((a, b) => a.at - b.at).map((entry) => entry.note) };
}

/** Evaluates sub-expressions by their own text, against the whole document. */
class PartEvaluator {
  readonly source: string;
  readonly input: unknown;

  constructor(source: string, input: unknown) {
    this.source = source;
    this.input = input;
  }

  async evaluate(node: ExpressionNode): Promise<{ text: string; value: unknown } | undefined> {
    const text = sourceOf(node, this.source);
    if (text === undefined) return undefined;
    const value = await this.evaluateText(text);
    return value.ok ? { text, value: value.value } : undefined;
  }

  async evaluateText(text: string): Promise<{ ok: true; value: unknown } | { ok: false }> {
    try {
      return { ok: true, value: await jsonata(text, evaluationLimits).evaluate(this.input) };
    } catch {
      // A part that needs its surroundings (a lambda's parameter, a bound variable) cannot be shown alone.
      return { ok: false };
    }
  }
}

async function failingBranches(node: ExpressionNode, evaluator: PartEvaluator): Promise<ExpressionNode[]> {
  if (node.type !== 'binary' || (node.value !== 'and' && node.value !== 'or')) return [node];
  const branches: ExpressionNode[] = [];
  for (const side of sides(node)) {
    const evaluated = await evaluator.evaluate(side);
    // With `and`, a branch that holds is no part of the reason; with `or`, every branch failed.
    if (node.value === 'and' && evaluated?.value === true) continue;
    branches.push(...(await failingBranches(side, evaluator)));
  }
  return branches.length > 0 ? branches : [node];
}

function sides(node: ExpressionNode): ExpressionNode[] {
  return [node.lhs, node.rhs].filter(
    (side): side is ExpressionNode => typeof side === 'object' && side !== null && !Array.isArray(side),
  );
}

/**
 * The paths and function calls inside a part, in reading order. Paths are not entered, nor filters and
 * lambdas: what is inside them is relative to an item, not to the document, so it has no value of its own.
 */
function innerParts(node: ExpressionNode): ExpressionNode[] {
  if (node.type === 'path' || node.type === 'lambda' || node.type === 'filter') return [];
  const found: ExpressionNode[] = [];
  for (const child of childNodes(node).sort(byPosition)) {
    if (child.type === 'path' || (child.type === 'function' && child.procedure?.type === 'variable')) {
      found.push(child);
    }
    found.push(...innerParts(child));
  }
  return found;
}

function byPosition(a: ExpressionNode, b: ExpressionNode): number {
  return somePosition(a) - somePosition(b);
}

// Sibling parts never overlap, so any token of each one orders them.
function somePosition(node: ExpressionNode): number {
  if (typeof node.position === 'number') return node.position;
  return Math.min(...childNodes(node).map(somePosition), Number.MAX_SAFE_INTEGER);
}

/** The first step of a path that matches nothing, and what the value before it has instead. */
async function missingStep(path: ExpressionNode, evaluator: PartEvaluator): Promise<string | undefined> {
  const steps = path.steps ?? [];
  let before: unknown = evaluator.input;
  for (let count = 1; count <= steps.length; count++) {
    const text = pathPrefixOf(path, count, evaluator.source);
    if (text === undefined) return undefined;
    const value = await evaluator.evaluateText(text);
    if (!value.ok) return undefined;
    if (value.value !== undefined) {
      before = value.value;
      continue;
    }
    const step = steps[count - 1] as ExpressionNode;
    if (Array.isArray(step.stages) && step.stages.length > 0) return `${text} matches nothing`;
    const owner = count === 1 ? 'the JSON' : (pathPrefixOf(path, count - 1, evaluator.source) ?? 'the value before');
    const keys = keysOf(before);
    return keys.length > 0 ? `${text} is missing (${owner} has: ${keys.join(', ')})` : `${text} is missing`;
  }
  return undefined;
}

function keysOf(value: unknown): string[] {
  const objects = (Array.isArray(value) ? value : [value]).filter(
    (item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item),
  );
  const keys = [...new Set(objects.flatMap((item) => Object.keys(item)))];
  return keys.length > 8 ? [...keys.slice(0, 8), '…'] : keys;
}
