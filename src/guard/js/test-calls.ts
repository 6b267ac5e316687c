import type { SgNode } from '@ast-grep/napi';

/** Functions that define a test (`it`, `xit`) or a suite (`describe`), in vitest, jest, mocha and node:test. */
export const testNames = new Set(['it', 'test', 'specify', 'xit', 'xtest', 'xspecify', 'fit', 'ftest']);
export const suiteNames = new Set(['describe', 'suite', 'context', 'xdescribe', 'xcontext', 'xsuite', 'fdescribe']);
/** Callees that may name a test or suite (`it.skip`, `t.test`): only those are classified, through ast-grep. */
export const mayNameTest = new RegExp(`\\b(?:${[...testNames, ...suiteNames].join('|')})\\b`);

/** What a test or suite call is: `describe`, `it.skip` (modifiers `['skip']`), `test.each(...)`. */
export interface Callee {
  kind: 'test' | 'suite';
  name: string;
  modifiers: string[];
}

/** Whether a callee names a test or suite function: `it`, `describe.only`, `test.each(...)`, `t.test`. */
export function classifyCallee(callee: SgNode): Callee | undefined {
  const modifiers: string[] = [];
  let current: SgNode | null = callee;
  while (current) {
    const kind = current.kind();
    if (kind === 'identifier') {
      const name = current.text();
      if (testNames.has(name)) return { kind: 'test', name, modifiers: modifiers.reverse() };
      if (suiteNames.has(name)) return { kind: 'suite', name, modifiers: modifiers.reverse() };
      return undefined;
    }
    if (kind === 'call_expression') {
      current = current.field('function');
      continue;
    }
    if (kind === 'subscript_expression') {
      // `describe['skip'](...)` is `describe.skip(...)`; an index read from a variable (`it[mode]`) may be any
      // modifier, so it counts as a skip.
      const index = current.field('index');
      const literal = index?.kind() === 'string' ? index.text().slice(1, -1) : undefined;
      modifiers.push(literal ?? 'skip');
      current = current.field('object');
      continue;
    }
    if (kind !== 'member_expression') return undefined;
    const property = current.field('property')?.text() ?? '';
    const object = current.field('object');
    // node:test subtests: `t.test('name', fn)` on the context parameter.
    if (property === 'test' && object?.kind() === 'identifier' && !testNames.has(object.text())) {
      return { kind: 'test', name: 'test', modifiers: modifiers.reverse() };
    }
    modifiers.push(property);
    current = object;
  }
  return undefined;
}

/** The title of a test: the first fragment of a string (the whole of it when it has no escapes). */
export function titleOf({ node, kind }: Argument): string {
  if (kind === 'template_string') return node.text().slice(1, -1);
  if (kind !== 'string') return node.text();
  const text = node.text();
  if (!/[\\&\r\n]/.test(text)) return text.slice(1, -1);
  return (
    node
      .children()
      .find((child) => child.kind() === 'string_fragment')
      ?.text() ?? ''
  );
}

/** The argument lists of the calls inside a callee such as `test.each([...])` or `it.each\`table\``. */
export function eachTables(callee: SgNode | null): SgNode[] {
  const tables: SgNode[] = [];
  for (let current = callee; current; ) {
    const kind = current.kind();
    if (kind === 'call_expression') {
      const args = current.field('arguments');
      if (args) tables.push(args);
      current = current.field('function');
    } else if (kind === 'member_expression') current = current.field('object');
    else break;
  }
  return tables.reverse();
}

export interface Argument {
  node: SgNode;
  kind: string;
}

export function argumentsOf(call: SgNode): Argument[] {
  const args = call.field('arguments')?.namedChildren() ?? [];
  return args.flatMap((node) => {
    const kind = String(node.kind());
    return kind !== 'comment' ? [{ node, kind }] : [];
  });
}
