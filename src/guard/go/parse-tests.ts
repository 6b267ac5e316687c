import type { SgNode } from '@ast-grep/napi';
import { hasParseErrors, sourceKey, type TestForms, withLazyForms } from '../tests/lazy-forms.ts';
import { parseSource } from '../tests/shared-parse.ts';
import type { Assertion, TestCase, TestMarker, TokenForm } from '../tests/test-case.ts';
import { joinTokenForms, type SkippedNodes, type TokenRules, tokenForm, tokenForms } from '../tests/token-form.ts';
import { DynamicLanguages, ensureTreeSitterLanguages } from '../tests/tree-sitter-languages.ts';
import { bodyFormOf } from './body-form.ts';
import { buildIgnoreMarkers } from './build-constraints.ts';
import { exampleOutputOf } from './example-output.ts';
import { messageArgumentIds } from './message-arguments.ts';
import { testerParameterOf } from './tester-parameter.ts';

const tokenRules: TokenRules = {
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
// What `go test` runs by default; benchmarks run only with -bench, so removing one weakens no test run.
const testPrefixes = ['Test', 'Fuzz', 'Example'] as const;
const failureMethods = new Set(['Error', 'Errorf', 'Fatal', 'Fatalf', 'Fail', 'FailNow']);
const skipMethods = new Set(['Skip', 'Skipf', 'SkipNow']);
const assertionPackages = new Set(['assert', 'require']);
// Statements whose condition decides whether the failure call inside runs: together they are the assertion.
const conditionKinds = new Set(['if_statement', 'expression_case', 'type_case']);
const functionKinds = new Set(['func_literal', 'function_declaration', 'method_declaration']);

/**
 * A test being read: its markers, an example's `// Output:` (an assertion read already), the nodes of its other
 * assertions (found when its forms are read) and its `t.Run` calls.
 */
interface OpenTest {
  markers: TestMarker[];
  output?: Assertion;
  assertions: Array<() => SgNode>;
  subtestCalls: SgNode[];
}

/** What the token forms of a file's tests need; the failure messages are found when the first form is read. */
interface FileScan {
  path: string;
  root: SgNode;
  parseErrors: boolean;
  tests: TestCase[];
  messages?: SkippedNodes;
  /** Helpers of this file that always skip the test handed to them: `func later(t *testing.T) { t.Skip() }`. */
  skipHelpers: ReadonlySet<string>;
}

/** The test being read and the names its `*testing.T` goes by (`t`, the `t` of a fuzz target). */
interface Scope {
  test: OpenTest;
  titles: string[];
  testers: ReadonlySet<string>;
  file: FileScan;
}

/**
 * The tests of one `_test.go` file: `TestXxx`, `FuzzXxx`, examples with an output comment, and `t.Run`
 * subtests as tests of their own (titles [TestXxx, name]). A parent keeps only the assertions outside its
 * subtests, so each assertion counts once, in the test that runs it; its body keeps the table a loop of
 * subtests runs over, and the subtests' code without their values (see bodyFormOf).
 */
export function parseGoTests(path: string, source: string): TestCase[] {
  ensureTreeSitterLanguages();
  const root = parseSource(DynamicLanguages.go, source).root();
  const fileMarkers = buildIgnoreMarkers(root);
  const declarations = root.children().filter((child) => child.kind() === 'function_declaration');
  const skipHelpers = skipHelpersOf(declarations);
  const file: FileScan = { path, root, parseErrors: hasParseErrors(root), tests: [], skipHelpers };
  for (const declaration of declarations) {
    const name = declaration.field('name')?.text() ?? '';
    const body = declaration.field('body');
    const prefix = testPrefixes.find((candidate) => isTestName(name, candidate));
    if (!prefix || !body) continue;
    const test: OpenTest = { markers: [...fileMarkers], assertions: [], subtestCalls: [] };
    if (prefix === 'Example') {
      const output = exampleOutputOf(body);
      if (!output) continue;
      test.output = output;
    }
    const fields = { path, titles: [name], line: declaration.range().start.line + 1, markers: test.markers };
    const source = sourceKey('go', declaration.text(), file.parseErrors);
    const bodyForm: BodyForm = (messages, inner) => bodyFormOf(body, test.subtestCalls, tokenRules, messages, inner);
    file.tests.push(withLazyForms({ ...fields, source }, () => formsOf(test, file, bodyForm)));
    const tester = testerParameterOf(declaration);
    visit(body, { test, titles: fields.titles, testers: new Set(tester ? [tester] : []), file });
  }
  return file.tests;
}

/** How a test's body reads as tokens, with the forms of the `inner` nodes its walk reaches. */
type BodyForm = (messages: SkippedNodes, inner: SgNode[]) => { form: TokenForm; inner: Array<TokenForm | undefined> };

/** A test's forms: its body, as `bodyForm` reads it, and its assertions, from the same walk where it can. */
function formsOf(test: OpenTest, file: FileScan, bodyForm: BodyForm): TestForms {
  file.messages ??= messageArgumentIds(file.root);
  const messages = file.messages;
  const nodes = test.assertions.map((assertionNode) => assertionNode());
  const walked = bodyForm(messages, nodes);
  const assertions = nodes.map(
    (node, index): Assertion => ({
      ...(walked.inner[index] ?? tokenForm(node, tokenRules, messages)),
      text: node.text(),
      line: node.range().start.line + 1,
    }),
  );
  if (!test.output) return { body: walked.form, assertions };
  // The printed output is a comment, which the body's tokens leave out: it is what the example checks.
  assertions.unshift(test.output);
  return { body: joinTokenForms([walked.form, test.output]), assertions };
}

/** `go test`'s rule: the prefix, then nothing or a character that is not a lower-case letter. */
function isTestName(name: string, prefix: string): boolean {
  if (!name.startsWith(prefix) || name === 'TestMain') return false;
  const next = name.charAt(prefix.length);
  return next.toUpperCase() === next;
}

function visit(node: SgNode, scope: Scope): void {
  const kind = node.kind();
  if (kind === 'call_expression' && noteCall(node, scope)) return;
  if (kind === 'func_literal') {
    const tester = testerParameterOf(node);
    if (tester) scope = { ...scope, testers: new Set([...scope.testers, tester]) };
  }
  for (const child of node.children()) visit(child, scope);
}

/**
 * The functions that are no tests and may skip the test they are given: their body calls `t.Skip(...)`,
 * `t.Skipf(...)` or `t.SkipNow()` on their `*testing.T` parameter, as a skip written in the test itself would.
 */
function skipHelpersOf(declarations: readonly SgNode[]): Set<string> {
  const helpers = new Set<string>();
  for (const declaration of declarations) {
    const name = declaration.field('name')?.text() ?? '';
    const tester = testerParameterOf(declaration);
    const body = declaration.field('body');
    if (!tester || !body || testPrefixes.some((prefix) => isTestName(name, prefix))) continue;
    const skips = `^${tester}\\s*\\.\\s*(?:${[...skipMethods].join('|')})\\s*\\(`;
    if (body.find({ rule: { kind: 'call_expression', regex: skips } })) helpers.add(name);
  }
  return helpers;
}

/** Note a subtest, skip or assertion; true when the call was a subtest, already visited. */
function noteCall(call: SgNode, scope: Scope): boolean {
  const callee = call.field('function');
  // `later(t)`: a helper of this file that skips the test it is given.
  if (callee?.kind() === 'identifier' && scope.file.skipHelpers.has(callee.text())) {
    const handsTester = argumentsOf(call).some((arg) => scope.testers.has(arg.text()));
    // The skip may be conditional (`if testing.Short()`), as a `t.Skip` written in the test may be.
    if (handsTester) {
      const text = `${call.text().replace(/\s+/g, ' ')} (which calls Skip)`;
      scope.test.markers.push({ kind: 'skip', text, line: call.range().start.line + 1 });
    }
    return false;
  }
  if (callee?.kind() !== 'selector_expression') return false;
  const receiver = callee.field('operand');
  const method = callee.field('field')?.text() ?? '';
  if (receiver?.kind() !== 'identifier') return false;
  const line = call.range().start.line + 1;
  if (assertionPackages.has(receiver.text()) && method !== 'New') {
    scope.test.assertions.push(() => statementOf(call));
  } else if (!scope.testers.has(receiver.text())) {
    return false;
  } else if (method === 'Run') {
    return visitSubtest(call, scope);
  } else if (skipMethods.has(method)) {
    scope.test.markers.push({ kind: 'skip', text: call.text().replace(/\s+/g, ' '), line });
  } else if (failureMethods.has(method)) {
    scope.test.assertions.push(() => conditionOf(call));
  }
  return false;
}

/** `t.Run("name", func(t *testing.T) {...})`: a test inside the test, under the skips noted before it. */
function visitSubtest(call: SgNode, scope: Scope): boolean {
  const [nameNode, runner] = argumentsOf(call);
  if (!nameNode || !runner) return false;
  const test: OpenTest = { markers: [...scope.test.markers], assertions: [], subtestCalls: [] };
  const titles = [...scope.titles, titleOf(nameNode)];
  const fields = { path: scope.file.path, titles, line: call.range().start.line + 1, markers: test.markers };
  // What the subtest's forms depend on beyond its code: the testers of the functions around it.
  const context = `go ${[...scope.testers].sort().join(' ')}`;
  const source = sourceKey(context, call.text(), scope.file.parseErrors);
  scope.test.subtestCalls.push(call);
  const body = runner.kind() === 'func_literal' ? runner.field('body') : null;
  const bodyForm: BodyForm = (messages, inner) =>
    body
      ? bodyFormOf(body, test.subtestCalls, tokenRules, messages, inner)
      : tokenForms(runner, inner, tokenRules, messages);
  scope.file.tests.push(withLazyForms({ ...fields, source }, () => formsOf(test, scope.file, bodyForm)));
  if (body) visit(runner, { ...scope, test, titles });
  return true;
}

function argumentsOf(call: SgNode): SgNode[] {
  return (
    call
      .field('arguments')
      ?.children()
      .filter((child) => child.isNamed() && child.kind() !== 'comment') ?? []
  );
}

/** `if got != want { t.Errorf(...) }` is the assertion, not the `t.Errorf` alone. */
function conditionOf(call: SgNode): SgNode {
  for (let current = call.parent(); current && !functionKinds.has(String(current.kind())); current = current.parent()) {
    if (conditionKinds.has(String(current.kind()))) return current;
  }
  return statementOf(call);
}

function statementOf(call: SgNode): SgNode {
  const parent = call.parent();
  return parent?.kind() === 'expression_statement' ? parent : call;
}

function titleOf(node: SgNode): string {
  const kind = node.kind();
  return kind === 'interpreted_string_literal' || kind === 'raw_string_literal'
    ? node.text().slice(1, -1)
    : node.text();
}
