import type { SgNode } from '@ast-grep/napi';
import { kindOf } from './neutralizer.ts';

const alwaysTrue = /^(true|True|1)$/;
const alwaysFalse = /^(false|False|0|None|null|undefined|void 0|nil|""|''|0\.0|(typing\.)?TYPE_CHECKING)$/;
const literal = /^(true|True|false|False|None|null|undefined|-?\d+(\.\d+)?|"[^"\\]*"|'[^'\\]*')$/;
const negations = new Set(['!', 'not']);
const wrappers = new Set(['parenthesized_expression', 'condition_clause', 'let_condition']);
/** TypeScript casts keep their value: `false as boolean`, `flag!`. */
const casts = new Set(['as_expression', 'satisfies_expression', 'non_null_expression']);

/**
 * Names that hold one boolean for the whole file: assigned exactly once, to a literal
 * (`const skip = true`, `SKIP = True`, `let off = false;`, `done := true`). A condition on such a name is
 * as constant as the literal.
 */
export function constantNames(source: string): Map<string, boolean> {
  const names = new Map<string, boolean>();
  const declared =
    /^[ \t]*(?:(?:const|let|var|let\s+mut|static)\s+)?([A-Za-z_]\w*)\s*(?::\s*bool\s*)?(?::=|=)\s*(true|false|True|False)\s*;?[ \t]*$/gm;
  for (const match of source.matchAll(declared)) {
    const [, name = '', value = ''] = match;
    const assignments = source.match(new RegExp(`\\b${name}\\s*(?::\\s*bool\\s*)?(?::=|[-+*/|&^]?=(?!=))`, 'g'));
    if (assignments?.length === 1) names.set(name, /^(true|True)$/.test(value));
  }
  return names;
}

/** The value `condition` always has, whatever runs, or undefined when it depends on something. */
export function constantTruth(condition: SgNode, names: ReadonlyMap<string, boolean>): boolean | undefined {
  const kind = kindOf(condition);
  const named = condition.children().filter((child) => child.isNamed());
  if (wrappers.has(kind) && named.length === 1 && named[0]) return constantTruth(named[0], names);
  if (casts.has(kind) && named[0]) return constantTruth(named[0], names);
  const text = condition.text().trim();
  if (alwaysTrue.test(text)) return true;
  if (alwaysFalse.test(text)) return false;
  if (kind === 'identifier' && names.has(text)) return names.get(text);
  const tokens = condition.children().filter((child) => !child.isNamed());
  const operator = tokens.length > 0 ? tokens.map((child) => child.text().trim()).join(' ') : undefined;
  if (named.length === 1 && named[0] && operator !== undefined && negations.has(operator)) {
    const inner = constantTruth(named[0], names);
    return inner === undefined ? undefined : !inner;
  }
  if (named.length !== 2 || !named[0] || !named[1] || operator === undefined) return undefined;
  return binaryTruth(operator, named[0], named[1], names);
}

function binaryTruth(
  operator: string,
  leftNode: SgNode,
  rightNode: SgNode,
  names: ReadonlyMap<string, boolean>,
): boolean | undefined {
  const left = constantTruth(leftNode, names);
  const right = constantTruth(rightNode, names);
  if (operator === '&&' || operator === 'and') {
    if (left === false || right === false) return false;
    return left === true && right === true ? true : undefined;
  }
  if (operator === '||' || operator === 'or') {
    if (left === true || right === true) return true;
    return left === false && right === false ? false : undefined;
  }
  const a = leftNode.text().trim();
  const b = rightNode.text().trim();
  if (!literal.test(a) || !literal.test(b)) return undefined;
  const same = a.replace(/^'|'$/g, '"') === b.replace(/^'|'$/g, '"');
  if (['==', '===', 'is'].includes(operator)) return same;
  if (['!=', '!==', 'is not'].includes(operator)) return !same;
  return undefined;
}
