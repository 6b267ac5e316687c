import type { SgNode } from '@ast-grep/napi';
import { parseSource } from '../tests/shared-parse.ts';
import type { TokenRules } from '../tests/token-form.ts';
import { DynamicLanguages, ensureTreeSitterLanguages } from '../tests/tree-sitter-languages.ts';
import { type DrivingTable, elementsOf, linesOf, rowOf, type TableRow } from './driving-table.ts';

const rules: TokenRules = {
  dropped: new Set(['line_comment', 'block_comment', ',', '(', ')']),
  literals: new Set([
    'string_literal',
    'raw_string_literal',
    'char_literal',
    'integer_literal',
    'float_literal',
    'boolean_literal',
    'true',
    'false',
  ]),
};

/** The rows of rstest tests: a `#[case(...)]` (or `#[case::name(...)]`) attribute per row, above the test function. */
export function rustTables(source: string): DrivingTable[] {
  ensureTreeSitterLanguages();
  const root = parseSource(DynamicLanguages.rust, source).root();
  const tables: DrivingTable[] = [];
  for (const item of root.findAll({ rule: { kind: 'function_item' } })) {
    const attributes: SgNode[] = [];
    for (let previous = item.prev(); previous; previous = previous.prev()) {
      const kind = String(previous.kind());
      if (kind === 'attribute_item') attributes.unshift(previous);
      else if (!kind.includes('comment')) break;
    }
    const rows = attributes.flatMap((attribute): TableRow[] => {
      const inner = attribute.namedChildren()[0];
      const [path] = inner ? elementsOf(inner) : [];
      const args = inner?.children().find((child) => child.kind() === 'token_tree');
      const spelled = path?.text().replace(/\s+/g, '') ?? '';
      if (!inner || !args || !/^(?:rstest::)?case(?:::\w+)?$/.test(spelled)) return [];
      const name = /::(\w+)$/.exec(spelled.replace(/^rstest::/, ''))?.[1];
      const values = valuesOf(args);
      const row = rowOf({ node: args, name }, rules);
      return [{ ...row, name: name ?? values[0], values, text: attribute.text().replace(/\s+/g, ' ') }];
    });
    const first = attributes[0];
    if (!first || rows.length === 0) continue;
    const name = item.field('name')?.text() ?? 'the test';
    tables.push({
      name: `the cases of ${name}`,
      named: true,
      line: rows[0]?.line ?? linesOf(first).start,
      source: attributes.map((attribute) => attribute.text()).join('\n'),
      rows,
      driver: { start: linesOf(first).start, end: linesOf(item).end },
      narrowedBy: undefined,
      exits: 0,
    });
  }
  return tables;
}

/** The arguments of a `case(...)` as written, split at its top-level commas, without spaces. */
function valuesOf(args: SgNode): string[] {
  const values: string[] = [''];
  let depth = 0;
  for (const char of args.text().slice(1, -1)) {
    if ('([{'.includes(char)) depth++;
    if (')]}'.includes(char)) depth--;
    if (char === ',' && depth === 0) values.push('');
    else if (!/\s/.test(char)) values[values.length - 1] += char;
  }
  return values.filter((value) => value !== '');
}
