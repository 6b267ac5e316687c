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

const rules: TokenRules = {
  dropped: new Set(['comment', ',', ';', '\n']),
  literals: new Set([
    'interpreted_string_literal',
    'raw_string_literal',
    'rune_literal',
    'int_literal',
    'float_literal',
    'imaginary_literal',
    'true',
    'false',
    'nil',
  ]),
};

/** A loop body that runs subtests or checks something per row. */
const drivesTests = /\.\s*(?:Run|Error|Errorf|Fatal|Fatalf|Fail|FailNow)\s*\(|\b(?:assert|require)\s*\.\s*\w+\s*\(/;

interface Resolved {
  node: SgNode;
  name: string | undefined;
  narrowedBy: string | undefined;
}

/**
 * The tables of Go table-driven tests: a slice or map literal (`tests := []struct{...}{...}`) that a
 * `for _, tt := range tests` loop of subtests or checks runs over, written inline or held in a variable of the
 * function or the package.
 */
export function goTables(source: string): DrivingTable[] {
  ensureTreeSitterLanguages();
  const root = parseSource(DynamicLanguages.go, source).root();
  const declarations = new Map<string, Array<{ line: number; value: SgNode }>>();
  const declare = (names: SgNode[], values: SgNode[], at: SgNode) => {
    names.forEach((name, index) => {
      const value = values[index];
      if (name.kind() !== 'identifier' || !value) return;
      const list = declarations.get(name.text()) ?? [];
      list.push({ line: linesOf(at).start, value });
      declarations.set(name.text(), list);
    });
  };
  for (const statement of root.findAll({
    rule: { any: [{ kind: 'short_var_declaration' }, { kind: 'assignment_statement' }] },
  })) {
    declare(
      elementsOf(statement.field('left') ?? statement),
      elementsOf(statement.field('right') ?? statement),
      statement,
    );
  }
  for (const spec of root.findAll({ rule: { kind: 'var_spec' } })) {
    const names = spec.children().filter((child) => child.kind() === 'identifier');
    declare(names, elementsOf(spec.field('value') ?? spec), spec);
  }
  const resolve = (expression: SgNode | null, line: number, depth = 0): Resolved | undefined => {
    if (!expression || depth > 4) return undefined;
    const kind = expression.kind();
    if (kind === 'composite_literal') {
      const body = expression.field('body');
      return body ? { node: body, name: undefined, narrowedBy: undefined } : undefined;
    }
    if (kind === 'parenthesized_expression') return resolve(expression.namedChildren()[0] ?? null, line, depth + 1);
    if (kind === 'identifier') {
      const value = declarationOf(declarations.get(expression.text()) ?? [], line);
      const found = value && resolve(value, line, depth + 1);
      return found && { ...found, name: found.name ?? expression.text() };
    }
    if (kind === 'slice_expression') {
      const found = resolve(expression.field('operand'), line, depth + 1);
      return found && { ...found, narrowedBy: expression.text() };
    }
    return undefined;
  };
  const tables: DrivingTable[] = [];
  for (const loop of root.findAll({ rule: { kind: 'for_statement' } })) {
    const range = loop.children().find((child) => child.kind() === 'range_clause');
    if (!range || !drivesTests.test(loop.field('body')?.text() ?? '')) continue;
    const driver = linesOf(loop);
    const found = resolve(range.field('right'), driver.start);
    if (!found) continue;
    tables.push(
      withLazyRows(
        {
          name: found.name ?? 'the table of a range loop',
          named: found.name !== undefined,
          line: linesOf(found.node).start,
          source: found.node.text(),
          driver,
          narrowedBy: found.narrowedBy,
          exits: exitsIn(loop.field('body')),
        },
        () => elementsOf(found.node).map((element) => rowOf(partsOf(element), rules)),
      ),
    );
  }
  return tables;
}

/** A row: `{name: "x", in: 1}`, `{"x", 1}`, `&tc{...}`, or a map entry `"x": {...}` named by its key. */
function partsOf(element: SgNode): RowParts {
  if (element.kind() === 'keyed_element') {
    const [key, value] = elementsOf(element);
    const name = key?.text().replace(/^(["`])(.*)\1$/, '$2');
    return { ...(value ? partsOf(value) : {}), node: element, name };
  }
  const body = structBody(element);
  if (!body) return { node: element, values: [element] };
  const entries = elementsOf(body);
  if (entries.length > 0 && entries.every((entry) => entry.kind() === 'keyed_element')) {
    const fields = entries.flatMap((entry): Array<[string, SgNode]> => {
      const [key, value] = elementsOf(entry);
      return key && value ? [[key.text(), value]] : [];
    });
    return { node: element, fields };
  }
  return { node: element, values: entries };
}

/** The `{...}` of a row, through the `literal_element`, `&` and type name it may be written with. */
function structBody(element: SgNode): SgNode | undefined {
  let current: SgNode | undefined = element;
  for (let depth = 0; current && depth < 4; depth++) {
    const kind = current.kind();
    if (kind === 'literal_value') return current;
    if (kind === 'composite_literal') return current.field('body') ?? undefined;
    if (kind !== 'literal_element' && kind !== 'unary_expression') return undefined;
    current = current.namedChildren().at(-1);
  }
  return undefined;
}
