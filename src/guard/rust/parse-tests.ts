import type { SgNode } from '@ast-grep/napi';
import { hasParseErrors, sourceKey, type TestForms, withLazyForms } from '../tests/lazy-forms.ts';
import { parseSource } from '../tests/shared-parse.ts';
import type { Assertion, TestCase, TestMarker } from '../tests/test-case.ts';
import { joinTokenForms, type SkippedNodes, type TokenRules, tokenForm, tokenForms } from '../tests/token-form.ts';
import { DynamicLanguages, ensureTreeSitterLanguages } from '../tests/tree-sitter-languages.ts';
import { macroNameOf, messageArgumentIds } from './message-arguments.ts';
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
 * The body is the function's block with its non-marker attributes (rstest's `#[case(...)]` rows are the table);
 * failure messages are left out of it and of the assertions.
 */
export function parseRustTests(path: string, source: string): TestCase[] {
  ensureTreeSitterLanguages();
  const root = parseSource(DynamicLanguages.rust, source).root();
  const file: FileScan = { path, root, parseErrors: hasParseErrors(root), tests: [] };
  visitItems(root, [], file);
  return file.tests;
}

interface FileScan {
  path: string;
  root: SgNode;
  parseErrors: boolean;
  tests: TestCase[];
  /** Failure messages of the file's assertions, left out of every token form: found when the first is read. */
  messages?: SkippedNodes;
}

function visitItems(container: SgNode, titles: string[], file: FileScan, markers: TestMarker[] = []): void {
  let attributes: SgNode[] = [];
  for (const item of container.children()) {
    const kind = item.kind();
    if (kind === 'attribute_item') {
      attributes.push(item);
      continue;
    }
    if (commentKinds.has(String(kind))) continue;
    if (kind === 'function_item') {
      const test = testOf(item, attributes, titles, file);
      if (test) test.markers.unshift(...markers, ...attributes.flatMap(conditionMarkers));
      if (test) file.tests.push(test);
    } else if (kind === 'mod_item') {
      const body = item.field('body');
      const inner = [...markers, ...attributes.flatMap(conditionMarkers)];
      if (body) visitItems(body, [...titles, item.field('name')?.text() ?? ''], file, inner);
    } else if (kind === 'ERROR') {
      visitItems(item, titles, file, markers);
    }
    attributes = [];
  }
}

/**
 * `#[cfg(...)]` on a test or its module with another condition than `test`: `#[cfg(any())]` or
 * `#[cfg(all(test, not(test)))]` keeps the tests from being compiled at all, so it counts as a skip.
 */
function conditionMarkers(item: SgNode): TestMarker[] {
  const text = item.text().replace(/\s+/g, '');
  if (!text.startsWith('#[cfg(') || text === '#[cfg(test)]') return [];
  return [{ kind: 'skip', text: item.text().replace(/\s+/g, ' '), line: item.range().start.line + 1 }];
}

function testOf(fn: SgNode, attributes: SgNode[], titles: string[], file: FileScan): TestCase | undefined {
  const roles = attributes.map((attribute) => ({ attribute, ...attributeRoleOf(attribute) }));
  if (!roles.some(({ role }) => role === 'test')) return undefined;
  const fields = {
    path: file.path,
    titles: [...titles, fn.field('name')?.text() ?? ''],
    line: fn.range().start.line + 1,
    source: sourceKey('rust', [...attributes, fn].map((node) => node.text()).join('\n'), file.parseErrors),
    markers: roles.flatMap((entry) => (entry.role === 'marker' ? [entry.marker] : [])),
  };
  const tables = roles.flatMap((entry) => (entry.role === 'marker' ? [] : [entry.attribute]));
  return withLazyForms(fields, () => {
    file.messages ??= messageArgumentIds(file.root);
    return formsOf(tables, fn.field('body'), file.messages);
  });
}

/** The body form (attributes such as rstest's `#[case(...)]`, then the block) and the assertions, in one walk. */
function formsOf(attributes: SgNode[], body: SgNode | null, messages: SkippedNodes): TestForms {
  const forms = attributes.map((attribute) => tokenForm(attribute, tokenRules));
  if (!body) return { body: joinTokenForms(forms), assertions: [] };
  const statements = body
    .findAll({ rule: { kind: 'macro_invocation' } })
    .filter((invocation) => assertionMacro.test(macroNameOf(invocation)))
    .map((invocation) => {
      const parent = invocation.parent();
      return parent?.kind() === 'expression_statement' ? parent : invocation;
    });
  const walked = tokenForms(body, statements, tokenRules, messages);
  forms.push(walked.form);
  const assertions = statements.map(
    (statement, index): Assertion => ({
      ...(walked.inner[index] ?? tokenForm(statement, tokenRules, messages)),
      text: statement.text(),
      line: statement.range().start.line + 1,
    }),
  );
  return { body: joinTokenForms(forms), assertions };
}
