import type { SgNode } from '@ast-grep/napi';
import { parseSource } from '../tests/shared-parse.ts';
import type { TokenRules } from '../tests/token-form.ts';
import { DynamicLanguages, ensureTreeSitterLanguages } from '../tests/tree-sitter-languages.ts';
import {
  type DrivingTable,
  declarationOf,
  elementsOf,
  exitsIn,
  linesOf,
  type RowParts,
  rowOf,
  withLazyRows,
} from './driving-table.ts';

// As the tests' token forms read Python (see test-body.ts), so that a row's literals are those of the test.
const rules: TokenRules = {
  dropped: new Set(['comment', ',', ';', 'line_continuation']),
  literals: new Set(['string', 'integer', 'float', 'true', 'false', 'none']),
};

/** A loop body that checks something per row: `assert`, `self.assert*`, `self.subTest`. */
const drivesTests = /\bassert\w*\b|\bsubTest\b|\bpytest\.(?:raises|approx)\b/;
const sequenceKinds = new Set(['list', 'tuple']);
/** Marks that keep a parametrize row from failing. */
const skippingMarks = /\b(?:skip|skipif|xfail)\b/;

interface Resolved {
  node: SgNode;
  name: string | undefined;
  narrowedBy: string | undefined;
}

/**
 * The tables that drive tests in a Python test file: the values of `@pytest.mark.parametrize` (with
 * `pytest.param` rows), and lists a `for` loop of assertions or `subTest`s runs over, written inline or held in
 * a variable of the file.
 */
export function pythonTables(source: string): DrivingTable[] {
  ensureTreeSitterLanguages();
  const root = parseSource(DynamicLanguages.python, source).root();
  const assignments = new Map<string, Array<{ line: number; value: SgNode }>>();
  for (const assignment of root.findAll({ rule: { kind: 'assignment' } })) {
    const left = assignment.field('left');
    const right = assignment.field('right');
    if (left?.kind() !== 'identifier' || !right) continue;
    const list = assignments.get(left.text()) ?? [];
    list.push({ line: linesOf(assignment).start, value: right });
    assignments.set(left.text(), list);
  }
  const resolve = (expression: SgNode | null, line: number, depth = 0): Resolved | undefined => {
    if (!expression || depth > 4) return undefined;
    const kind = String(expression.kind());
    if (sequenceKinds.has(kind)) return { node: expression, name: undefined, narrowedBy: undefined };
    if (kind === 'parenthesized_expression') return resolve(expression.namedChildren()[0] ?? null, line, depth + 1);
    if (kind === 'identifier') {
      const value = declarationOf(assignments.get(expression.text()) ?? [], line);
      const found = value && resolve(value, line, depth + 1);
      return found && { ...found, name: found.name ?? expression.text() };
    }
    if (kind === 'subscript') {
      const found = resolve(expression.field('value'), line, depth + 1);
      return found && { ...found, narrowedBy: expression.text() };
    }
    if (kind === 'list_comprehension' || kind === 'generator_expression') {
      const clause = expression.find({ rule: { kind: 'for_in_clause' } });
      const found = resolve(clause?.field('right') ?? null, line, depth + 1);
      const filtered = expression.find({ rule: { kind: 'if_clause' } }) !== null;
      return found && { ...found, narrowedBy: filtered ? expression.text() : found.narrowedBy };
    }
    return undefined;
  };
  const tables: DrivingTable[] = [];
  const add = (driver: SgNode, iterable: SgNode | null, label: string, body: SgNode | null = null) => {
    const found = resolve(iterable, linesOf(driver).start);
    if (!found) return;
    tables.push(
      withLazyRows(
        {
          name: found.name ?? label,
          named: found.name !== undefined,
          line: linesOf(found.node).start,
          source: found.node.text(),
          driver: linesOf(driver),
          narrowedBy: found.narrowedBy,
          exits: exitsIn(body),
        },
        () => elementsOf(found.node).map((element) => rowOf(partsOf(element), rules)),
      ),
    );
  };
  for (const decorator of root.findAll({ rule: { kind: 'decorator' } })) {
    const call = decorator.namedChildren()[0];
    if (call?.kind() !== 'call' || !/(?:^|\.)parametrize$/.test(call.field('function')?.text() ?? '')) continue;
    const [argnames, argvalues] = elementsOf(call.field('arguments') ?? call).filter(
      (argument) => argument.kind() !== 'keyword_argument',
    );
    const definition = decorator.parent();
    const test = definition?.field('definition')?.field('name')?.text() ?? 'the test';
    const columns = argnames?.text().replace(/\s+/g, '') ?? '';
    add(definition ?? decorator, argvalues ?? null, `the parametrize ${columns} of ${test}`);
  }
  for (const loop of root.findAll({ rule: { kind: 'for_statement' } })) {
    if (drivesTests.test(loop.field('body')?.text() ?? '')) {
      add(loop, loop.field('right'), 'the table of a for loop', loop.field('body'));
    }
  }
  return tables;
}

function partsOf(element: SgNode): RowParts {
  const kind = String(element.kind());
  if (sequenceKinds.has(kind)) return { node: element, values: elementsOf(element) };
  if (kind === 'dictionary') {
    const fields = elementsOf(element).flatMap((pair): Array<[string, SgNode]> => {
      const key = pair.field('key');
      const value = pair.field('value');
      return pair.kind() === 'pair' && key && value ? [[key.text().replace(/^(['"])(.*)\1$/, '$2'), value]] : [];
    });
    return { node: element, fields };
  }
  if (kind === 'call' && /(?:^|\.)param$/.test(element.field('function')?.text() ?? '')) {
    const args = elementsOf(element.field('arguments') ?? element);
    const keyword = (name: string) =>
      args.find((arg) => arg.kind() === 'keyword_argument' && arg.field('name')?.text() === name)?.field('value');
    const id = keyword('id');
    const marks = keyword('marks');
    return {
      node: element,
      values: args.filter((arg) => arg.kind() !== 'keyword_argument'),
      name: id ? id.text().replace(/^(['"])(.*)\1$/, '$2') : undefined,
      skipped: marks ? skippingMarks.test(marks.text()) : false,
    };
  }
  return { node: element, values: [element] };
}
