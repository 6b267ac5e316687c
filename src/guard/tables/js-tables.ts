import type { SgNode } from '@ast-grep/napi';
import { languageOf } from '../js/test-files.ts';
import { parseSource } from '../tests/shared-parse.ts';
import type { TokenRules } from '../tests/token-form.ts';
import {
  type DrivingTable,
  declarationOf,
  elementsOf,
  exitsIn,
  linesOf,
  type RowParts,
  rowOf,
  type TableRow,
  withLazyRows,
} from './driving-table.ts';

const rules: TokenRules = {
  dropped: new Set(['comment', ';', ',']),
  literals: new Set(['string', 'number', 'true', 'false', 'null', 'regex']),
};

/** Calls inside a loop body that make it drive tests: test and suite functions, assertions, ava's `t.is(...)`. */
const drivesTests =
  /\b(?:it|test|describe|suite|context|specify|expect|assert)\b|\bt\.(?:is|not|deepEqual|notDeepEqual|like|true|false|truthy|falsy|throws|throwsAsync|notThrows|notThrowsAsync|regex|notRegex|snapshot|assert)\s*\(/;
/** Test and suite functions whose `.each` runs a test per row. */
const eachRoots = /^(?:it|test|describe|suite|context|specify|bench)\b/;
/** Array methods that may drop rows on the way to the tests. */
const narrowingMethods = new Set(['filter', 'slice', 'splice', 'flatMap', 'find', 'findLast', 'at', 'reduce']);
const wrapperKinds = new Set([
  'parenthesized_expression',
  'as_expression',
  'satisfies_expression',
  'non_null_expression',
]);

/** A table found behind an expression: its node (an array, an object or a tagged template) and how it was reached. */
interface Resolved {
  node: SgNode;
  name: string | undefined;
  narrowedBy: string | undefined;
}

/**
 * The tables that drive tests in a JS/TS test file: `test.each([...])` and `it.each\`...\``, `for (const t of
 * cases)` and `cases.forEach(...)` around tests or assertions, with the table written inline or held in a
 * variable of the file.
 */
export function jsTables(path: string, source: string): DrivingTable[] {
  const root = parseSource(languageOf(path), source).root();
  // Declarations are looked up by name when a loop names its table: a big file has many, and few tables.
  const declarations = new Map<string, Array<{ line: number; value: SgNode }>>();
  const declared = (name: string) => {
    let found = declarations.get(name);
    if (!found) {
      const rule = { kind: 'variable_declarator', has: { field: 'name', kind: 'identifier', regex: `^${name}$` } };
      found = root.findAll({ rule }).flatMap((declarator) => {
        const value = declarator.field('value');
        return value ? [{ line: linesOf(declarator).start, value }] : [];
      });
      declarations.set(name, found);
    }
    return found;
  };
  const resolve = (expression: SgNode | null, line: number, depth = 0): Resolved | undefined => {
    if (!expression || depth > 4) return undefined;
    const kind = String(expression.kind());
    if (kind === 'array' || kind === 'object' || kind === 'template_string') {
      return { node: expression, name: undefined, narrowedBy: undefined };
    }
    if (wrapperKinds.has(kind)) return resolve(expression.namedChildren()[0] ?? null, line, depth + 1);
    if (kind === 'identifier') {
      const value = declarationOf(declared(expression.text()), line);
      const found = value && resolve(value, line, depth + 1);
      return found && { ...found, name: found.name ?? expression.text() };
    }
    if (kind !== 'call_expression') return undefined;
    const callee = expression.field('function');
    if (callee?.kind() !== 'member_expression') return undefined;
    const [first] = elementsOf(expression.field('arguments') ?? expression);
    if (/^Object\.(?:entries|values|keys)$/.test(callee.text().replace(/\s+/g, ''))) {
      return resolve(first ?? null, line, depth + 1);
    }
    const found = resolve(callee.field('object'), line, depth + 1);
    const method = callee.field('property')?.text() ?? '';
    return found && { ...found, narrowedBy: narrowingMethods.has(method) ? expression.text() : found.narrowedBy };
  };
  const tables: DrivingTable[] = [];
  const add = (driver: SgNode, iterable: SgNode | null, label: string, body: SgNode | null = null) => {
    const line = linesOf(driver).start;
    const found = resolve(iterable, line);
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
        () => rowsOf(found.node),
      ),
    );
  };
  for (const loop of root.findAll({ rule: { kind: 'for_in_statement' } })) {
    if (drivesTests.test(loop.field('body')?.text() ?? '')) {
      add(loop, loop.field('right'), 'the table of a for loop', loop.field('body'));
    }
  }
  const property = { field: 'property', regex: '^(?:each|forEach|map)$' };
  const calls = { kind: 'call_expression', has: { field: 'function', kind: 'member_expression', has: property } };
  for (const call of root.findAll({ rule: calls })) {
    const callee = call.field('function');
    if (callee?.kind() !== 'member_expression') continue;
    const method = callee.field('property')?.text();
    const object = callee.field('object');
    if (method === 'each' && eachRoots.test(object?.text() ?? '')) {
      const parent = call.parent();
      const driver =
        parent?.kind() === 'call_expression' && parent.field('function')?.id() === call.id() ? parent : call;
      const args = call.field('arguments');
      add(driver, args?.kind() === 'template_string' ? args : (elementsOf(args ?? call)[0] ?? null), 'the each table');
    } else if ((method === 'forEach' || method === 'map') && drivesTests.test(call.field('arguments')?.text() ?? '')) {
      add(call, object, `the table of a ${method}`);
    }
  }
  return tables;
}

function rowsOf(table: SgNode): TableRow[] {
  const kind = table.kind();
  if (kind === 'template_string') return templateRows(table);
  if (kind === 'object') {
    return elementsOf(table)
      .filter((pair) => pair.kind() === 'pair')
      .map((pair) => {
        const key = pair.field('key');
        const value = pair.field('value');
        const parts = value ? partsOf(value) : { node: pair };
        return rowOf({ ...parts, node: pair, name: key ? unquoted(key.text()) : undefined }, rules);
      });
  }
  return elementsOf(table).map((element) => rowOf(partsOf(element), rules));
}

function partsOf(element: SgNode): RowParts {
  const kind = element.kind();
  if (kind === 'array') return { node: element, values: elementsOf(element) };
  if (kind !== 'object') return { node: element, values: [element] };
  const fields = elementsOf(element).flatMap((property): Array<[string, SgNode]> => {
    if (property.kind() === 'shorthand_property_identifier') return [[property.text(), property]];
    const key = property.field('key');
    const value = property.field('value');
    return property.kind() === 'pair' && key && value ? [[unquoted(key.text()), value]] : [];
  });
  return { node: element, fields };
}

/** The rows of a tagged template table: a header line of column names, then a line per row of `${value}` cells. */
function templateRows(table: SgNode): TableRow[] {
  const start = linesOf(table).start;
  const lines = table.text().slice(1, -1).split('\n');
  const header = lines.findIndex((line) => line.trim() !== '');
  const columns = (lines[header] ?? '').split('|').map((column) => column.trim());
  return lines.flatMap((line, index): TableRow[] => {
    if (index <= header || line.trim() === '') return [];
    const cells = line.split('|').map((cell) => cell.trim().replace(/\s+/g, ' '));
    const values = cells.map((cell) => cell.replace(/^\$\{\s*([\s\S]*?)\s*\}$/, '$1').replace(/^(['"`])(.*)\1$/, '$2'));
    return [
      {
        text: line.trim().replace(/\s+/g, ' '),
        line: start + index,
        key: values.join(' | '),
        name: values[0],
        fields: new Map(columns.map((column, at) => [column, values[at] ?? ''])),
        values,
        literals: values,
        skipped: false,
      },
    ];
  });
}

function unquoted(text: string): string {
  return text.replace(/^(['"`])(.*)\1$/, '$2');
}
