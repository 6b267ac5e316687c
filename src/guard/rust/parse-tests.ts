import { parse, type SgNode } from '@ast-grep/napi';
import type { Assertion, TestCase } from '../tests/test-case.ts';
import { joinTokenForms, type TokenRules, tokenForm } from '../tests/token-form.ts';
import { DynamicLanguages, ensureTreeSitterLanguages } from '../tests/tree-sitter-languages.ts';
import { attributeRoleOf } from './test-attributes.ts';

const tokenRules: TokenRules = {
  dropped: new Set(['line_comment', 'block_comment', ',', ';']),
  literals: new Set([
    'string_literal',
    'raw_string_literal',
    'char_literal',
    'integer_literal',
    'float_literal',
    'boolean_literal',
  ]),
};
const commentKinds = new Set(['line_comment', 'block_comment']);
// assert!, assert_eq!, assert_ne!, assert_matches!, their debug_ and prop_ forms, and crates' assert_* macros
// (insta's assert_snapshot!, approx's assert_relative_eq!).
const assertionMacro = /^(?:debug_|prop_)?assert(?:_\w+)?$/;

/**
 * The tests of one Rust file: functions under a test attribute, titled by their enclosing modules and name.
 * The body is the function's block with its non-marker attributes (rstest's `#[case(...)]` rows are the table).
 */
export function parseRustTests(path: string, source: string): TestCase[] {
  ensureTreeSitterLanguages();
  const tests: TestCase[] = [];
  visitItems(parse(DynamicLanguages.rust, source).root(), [], path, tests);
  return tests;
}

function visitItems(container: SgNode, titles: string[], path: string, tests: TestCase[]): void {
  let attributes: SgNode[] = [];
  for (const item of container.children()) {
    const kind = item.kind();
    if (kind === 'attribute_item') {
      attributes.push(item);
      continue;
    }
    if (commentKinds.has(String(kind))) continue;
    if (kind === 'function_item') {
      const test = testOf(item, attributes, titles, path);
      if (test) tests.push(test);
    } else if (kind === 'mod_item') {
      const body = item.field('body');
      if (body) visitItems(body, [...titles, item.field('name')?.text() ?? ''], path, tests);
    } else if (kind === 'ERROR') {
      visitItems(item, titles, path, tests);
    }
    attributes = [];
  }
}

function testOf(fn: SgNode, attributes: SgNode[], titles: string[], path: string): TestCase | undefined {
  const roles = attributes.map((attribute) => ({ attribute, ...attributeRoleOf(attribute) }));
  if (!roles.some(({ role }) => role === 'test')) return undefined;
  const body = fn.field('body');
  const forms = roles.flatMap((entry) => (entry.role === 'marker' ? [] : [tokenForm(entry.attribute, tokenRules)]));
  if (body) forms.push(tokenForm(body, tokenRules));
  return {
    path,
    titles: [...titles, fn.field('name')?.text() ?? ''],
    line: fn.range().start.line + 1,
    body: joinTokenForms(forms),
    assertions: body ? assertionsOf(body) : [],
    markers: roles.flatMap((entry) => (entry.role === 'marker' ? [entry.marker] : [])),
  };
}

function assertionsOf(body: SgNode): Assertion[] {
  return body
    .findAll({ rule: { kind: 'macro_invocation' } })
    .filter((invocation) => assertionMacro.test(macroNameOf(invocation)))
    .map((invocation) => {
      const parent = invocation.parent();
      const statement = parent?.kind() === 'expression_statement' ? parent : invocation;
      return { ...tokenForm(statement, tokenRules), text: statement.text(), line: statement.range().start.line + 1 };
    });
}

/** `assert_eq` for `assert_eq!(...)` and for `pretty_assertions::assert_eq!(...)`. */
function macroNameOf(invocation: SgNode): string {
  const name = invocation.field('macro');
  if (name?.kind() === 'scoped_identifier') return name.field('name')?.text() ?? '';
  return name?.text() ?? '';
}
