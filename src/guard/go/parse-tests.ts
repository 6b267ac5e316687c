import { parse, type SgNode } from '@ast-grep/napi';
import type { Assertion, TestCase, TestMarker } from '../tests/test-case.ts';
import { emptyTokenForm, type SkippedNodes, type TokenRules, tokenForm } from '../tests/token-form.ts';
import { DynamicLanguages, ensureTreeSitterLanguages } from '../tests/tree-sitter-languages.ts';
import { bodyFormOf } from './body-form.ts';
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
const buildIgnore = /^\/\/(?:go:build| \+build)\s.*(?<![!\w])ignore\b/;

/**
 * The test being read, the names its `*testing.T` goes by (`t`, the `t` of a fuzz target), its `t.Run` calls,
 * and the file's failure messages, left out of every token form.
 */
interface Scope {
  test: TestCase;
  messages: SkippedNodes;
  testers: ReadonlySet<string>;
  subtestCalls: SgNode[];
}

/**
 * The tests of one `_test.go` file: `TestXxx`, `FuzzXxx`, examples with an output comment, and `t.Run`
 * subtests as tests of their own (titles [TestXxx, name]). A parent keeps only the assertions outside its
 * subtests, so each assertion counts once, in the test that runs it; its body keeps the table a loop of
 * subtests runs over, and the subtests' code without their values (see bodyFormOf).
 */
export function parseGoTests(path: string, source: string): TestCase[] {
  ensureTreeSitterLanguages();
  const root = parse(DynamicLanguages.go, source).root();
  const fileMarkers = buildIgnoreMarkers(root);
  const messages = messageArgumentIds(root);
  const tests: TestCase[] = [];
  for (const declaration of root.children().filter((child) => child.kind() === 'function_declaration')) {
    const name = declaration.field('name')?.text() ?? '';
    const body = declaration.field('body');
    const prefix = testPrefixes.find((candidate) => isTestName(name, candidate));
    if (!prefix || !body) continue;
    const test: TestCase = {
      path,
      titles: [name],
      line: declaration.range().start.line + 1,
      body: emptyTokenForm,
      assertions: [],
      markers: [...fileMarkers],
    };
    if (prefix === 'Example') {
      const output = exampleOutputOf(body);
      if (!output) continue;
      test.assertions.push(output);
    }
    tests.push(test);
    const tester = testerParameterOf(declaration);
    const scope: Scope = { test, messages, testers: new Set(tester ? [tester] : []), subtestCalls: [] };
    visit(body, scope, tests);
    test.body = bodyFormOf(body, scope.subtestCalls, tokenRules, messages);
  }
  return tests;
}

/** `go test`'s rule: the prefix, then nothing or a character that is not a lower-case letter. */
function isTestName(name: string, prefix: string): boolean {
  if (!name.startsWith(prefix) || name === 'TestMain') return false;
  const next = name.charAt(prefix.length);
  return next.toUpperCase() === next;
}

function visit(node: SgNode, scope: Scope, tests: TestCase[]): void {
  const kind = node.kind();
  if (kind === 'call_expression' && noteCall(node, scope, tests)) return;
  if (kind === 'func_literal') {
    const tester = testerParameterOf(node);
    if (tester) scope = { ...scope, testers: new Set([...scope.testers, tester]) };
  }
  for (const child of node.children()) visit(child, scope, tests);
}

/** Note a subtest, skip or assertion; true when the call was a subtest, already visited. */
function noteCall(call: SgNode, scope: Scope, tests: TestCase[]): boolean {
  const callee = call.field('function');
  if (callee?.kind() !== 'selector_expression') return false;
  const receiver = callee.field('operand');
  const method = callee.field('field')?.text() ?? '';
  if (receiver?.kind() !== 'identifier') return false;
  const line = call.range().start.line + 1;
  if (assertionPackages.has(receiver.text()) && method !== 'New') {
    scope.test.assertions.push(assertionOf(statementOf(call), scope.messages));
  } else if (!scope.testers.has(receiver.text())) {
    return false;
  } else if (method === 'Run') {
    return visitSubtest(call, scope, tests);
  } else if (skipMethods.has(method)) {
    scope.test.markers.push({ kind: 'skip', text: call.text().replace(/\s+/g, ' '), line });
  } else if (failureMethods.has(method)) {
    scope.test.assertions.push(assertionOf(conditionOf(call), scope.messages));
  }
  return false;
}

/** `t.Run("name", func(t *testing.T) {...})`: a test inside the test, under the skips noted before it. */
function visitSubtest(call: SgNode, scope: Scope, tests: TestCase[]): boolean {
  const [nameNode, runner] = argumentsOf(call);
  if (!nameNode || !runner) return false;
  const test: TestCase = {
    path: scope.test.path,
    titles: [...scope.test.titles, titleOf(nameNode)],
    line: call.range().start.line + 1,
    body: tokenForm(runner, tokenRules, scope.messages),
    assertions: [],
    markers: [...scope.test.markers],
  };
  scope.subtestCalls.push(call);
  tests.push(test);
  const body = runner.kind() === 'func_literal' ? runner.field('body') : null;
  if (!body) return true;
  const inner: Scope = { ...scope, test, subtestCalls: [] };
  visit(runner, inner, tests);
  test.body = bodyFormOf(body, inner.subtestCalls, tokenRules, scope.messages);
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

function assertionOf(node: SgNode, messages: SkippedNodes): Assertion {
  return { ...tokenForm(node, tokenRules, messages), text: node.text(), line: node.range().start.line + 1 };
}

function titleOf(node: SgNode): string {
  const kind = node.kind();
  return kind === 'interpreted_string_literal' || kind === 'raw_string_literal'
    ? node.text().slice(1, -1)
    : node.text();
}

/** `//go:build ignore` above the package clause: no test of the file is built. */
function buildIgnoreMarkers(root: SgNode): TestMarker[] {
  const markers: TestMarker[] = [];
  for (const child of root.children()) {
    if (child.kind() === 'package_clause') break;
    if (child.kind() === 'comment' && buildIgnore.test(child.text())) {
      markers.push({ kind: 'skip', text: child.text(), line: child.range().start.line + 1 });
    }
  }
  return markers;
}
