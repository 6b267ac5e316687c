import type { SgNode } from '@ast-grep/napi';
import { sourceKey, type TestForms, withLazyForms } from '../tests/lazy-forms.ts';
import { parseSource } from '../tests/shared-parse.ts';
import type { Assertion, TestCase, TestMarker } from '../tests/test-case.ts';
import {
  emptyTokenForm,
  joinTokenForms,
  type SkippedNodes,
  type TokenRules,
  tokenForm,
  tokenForms,
} from '../tests/token-form.ts';
import { topLevelTest } from '../tests/top-level.ts';
import { firstSuiteAwait, type SuiteAwait, suitesRunUnawaited } from './async-suites.ts';
import {
  type AvaContext,
  avaContextOf,
  avaHelperAssertion,
  helperAssertionsOf,
  isAvaAssertion,
  isAvaHelperDefinition,
} from './ava.ts';
import { beforeHookNames, type CallSite, callSitesOf } from './call-sites.ts';
import { annotationMarker, modifierMarker, nameMarkers, optionMarkersOf, testModifierMarker } from './markers.ts';
import { isAssertionCallee, messageArgumentIds, usesNodeAssert } from './message-arguments.ts';
import { argumentsOf, type Callee, classifyCallee, eachTables, mayNameTest, titleOf } from './test-calls.ts';
import { languageOf } from './test-files.ts';

const tokenRules: TokenRules = {
  dropped: new Set(['comment', ';', ',']),
  literals: new Set(['string', 'string_fragment', 'number', 'true', 'false', 'null', 'regex']),
};

/** A test being read: its markers (the test case's own array) and the assertion calls found in its body. */
interface OpenTest {
  markers: TestMarker[];
  assertionCalls: SgNode[];
  /** How the body reaches ava's assertions (`t.is`), if it takes a context parameter. */
  ava: AvaContext;
}

/** A test or suite call being read: calls inside its body function belong to it, calls elsewhere in it to nothing. */
interface Scope {
  call: CallSite;
  body: SgNode | undefined;
  bodyRange: { start: number; end: number } | undefined;
  titles: string[];
  markers: TestMarker[];
  test: OpenTest | undefined;
  /** The first `await` of an async suite body under mocha: the tests after it are never defined in time. */
  suiteAwait?: SuiteAwait;
}

/** What the token forms of a file's tests need; the failure messages are found when the first form is read. */
interface FileForms {
  calls: CallSite[];
  nodeAssert: boolean;
  messages?: SkippedNodes;
  /** The ava assertions of named helpers and macros (`check(t, 2)`, `test('x', macro, 2)`), by name. */
  helpers: Map<string, SgNode[]>;
}

/**
 * The test cases of one JS/TS file (vitest, jest, mocha, node:test), parsed with tree-sitter through ast-grep.
 * Calls are read up front, token forms only when a rule asks for them.
 */
export function parseTests(path: string, source: string): TestCase[] {
  return parseTestCalls(path, source, 'file');
}

/**
 * vitest's in-source tests of a source file: the tests inside `if (import.meta.vitest) { ... }` blocks, and
 * nothing else of the file (its own calls named `test` are not tests).
 */
export function parseInSourceTests(path: string, source: string): TestCase[] {
  return parseTestCalls(path, source, 'in-source');
}

function parseTestCalls(path: string, source: string, where: 'file' | 'in-source'): TestCase[] {
  const language = languageOf(path);
  const root = parseSource(language, source).root();
  const blocks = where === 'in-source' ? inSourceBlocks(root) : undefined;
  // In a source file only the in-source blocks are searched for calls: the rest of it may be large.
  const found = (blocks ?? [root]).map(callSitesOf);
  const calls = found.flatMap((part) => part.calls);
  const parseErrors = found.some((part) => part.parseErrors);
  const file: FileForms = { calls, nodeAssert: usesNodeAssert(source), helpers: new Map() };
  const context = `${language} ${file.nodeAssert ? 'node:assert' : 'assert'}`;
  const tests: TestCase[] = [];
  const testCalls: CallSite[] = [];
  const scopes: Scope[] = [];
  const topLevel: SgNode[] = [];
  const hooks: BeforeHook[] = [];
  const hookSkips: HookSkip[] = [];
  const unawaitedSuites = suitesRunUnawaited(source);
  for (const call of calls) {
    while (scopes.length > 0 && !within(call, scopes.at(-1)?.call)) scopes.pop();
    const scope = scopes.at(-1);
    // Of a test or suite call, only the body function is read: not its title, options or `.each` table.
    if (scope && !within(call, scope.bodyRange)) continue;
    if (!scope?.test && noteBeforeHook(call, scope, hooks, hookSkips)) continue;
    const classified = mayNameTest.test(call.calleeText) ? classifyCallee(call.callee) : undefined;
    // ava's hooks and macros (`test.beforeEach(fn)`, `test.macro(fn)`) are no tests: they count as top level.
    const callee = classified && !isAvaHelperDefinition(classified) ? classified : undefined;
    const annotation = callee && annotationMarker(callee, argumentsOf(call.node));
    if (annotation === 'none') continue;
    if (annotation) {
      const marker = { kind: annotation, text: `${call.calleeText.replace(/\s+/g, '')}()`, line: call.line };
      // In a test, it marks the test; in a suite (`test.describe`), a hook or the file, every test there.
      const suiteLevel = !scope?.test || /\bdescribe\b/.test(scope.call.calleeText);
      if (!suiteLevel && scope?.test) scope.test.markers.push(marker);
      else hookSkips.push({ marker, suite: scope?.bodyRange });
      continue;
    }
    if (!callee) {
      if (scope?.test) noteInsideTest(call, scope.test);
      else if (!scope && !blocks && isTopLevelAssertion(call, file)) topLevel.push(call.node);
      continue;
    }
    const opened = openScope(call, callee, scope);
    if (scope?.suiteAwait && call.start > scope.suiteAwait.index) opened.markers.push(scope.suiteAwait.marker);
    if (unawaitedSuites && callee.kind === 'suite') opened.suiteAwait = firstSuiteAwait(opened.body);
    if (callee.kind === 'test') {
      const test: OpenTest = { markers: opened.markers, assertionCalls: [], ava: avaContextOf(opened.body) };
      const fields = { path, titles: opened.titles, line: call.line, markers: test.markers };
      const code = sourceKey(context, call.node.text(), parseErrors);
      tests.push(withLazyForms({ ...fields, source: code }, () => formsOf(call, opened.body, test, file)));
      testCalls.push(call);
      opened.test = test;
    }
    scopes.push(opened);
  }
  for (const skip of hookSkips) {
    tests.forEach((test, index) => {
      const at = testCalls[index];
      if (at && (skip.suite === undefined || within(at, skip.suite))) test.markers.push(skip.marker);
    });
  }
  const statements = topLevel.map(assertionChainTop);
  const code = sourceKey(context, statements.map((statement) => statement.text()).join('\n'), parseErrors);
  const outside = topLevelTest(path, code, () => topLevelForms(statements, file), statements.length);
  return outside ? [...tests, outside] : tests;
}

/** The forms of assertions made outside any test (see `topLevelTest`). */
function topLevelForms(statements: SgNode[], file: FileForms): Assertion[] {
  file.messages ??= messageArgumentIds(file.calls, file.nodeAssert);
  const messages = file.messages;
  return statements.map((statement) => ({
    ...tokenForm(statement, tokenRules, messages),
    text: statement.text(),
    line: statement.range().start.line + 1,
  }));
}

// `if (import.meta.vitest)`, as vitest documents it, or spelled as a check for its presence. Any other condition
// (`import.meta.vitest && false`) may keep the tests from running: their tests are then not found, so removed.
const vitestCondition =
  /^\(?(?:import\.meta\.vitest|import\.meta\.vitest(?:!==?undefined|!=null)|typeof import\.meta\.vitest!==?['"]undefined['"])\)?$/;

/** The blocks run only under vitest: `if (import.meta.vitest) { ... }`. */
function inSourceBlocks(root: SgNode): SgNode[] {
  const rule = { kind: 'if_statement', regex: 'import\\s*\\.\\s*meta\\s*\\.\\s*vitest' };
  return root.findAll({ rule }).flatMap((statement) => {
    const condition = statement
      .field('condition')
      ?.text()
      .replace(/\s+/g, (space, offset, text) =>
        /\w/.test(text[offset - 1] ?? '') && /\w/.test(text[offset + space.length] ?? '') ? ' ' : '',
      );
    const block = statement.field('consequence');
    return block && condition !== undefined && vitestCondition.test(condition) ? [block] : [];
  });
}

function within(call: CallSite, range: { start: number; end: number } | undefined): boolean {
  return range !== undefined && range.start <= call.start && call.end <= range.end;
}

/** The scope a test or suite call opens: its titles and markers, added to those around it. */
function openScope(call: CallSite, callee: Callee, scope: Scope | undefined): Scope {
  const [titleNode, ...rest] = argumentsOf(call.node);
  const title = titleNode ? titleOf(titleNode) : '';
  const own: TestMarker[] = [];
  const nameMarker = nameMarkers[callee.name];
  if (nameMarker) own.push({ kind: nameMarker, text: callee.name, line: call.line });
  for (const modifier of callee.modifiers) {
    const kind = testModifierMarker(modifier);
    if (kind) own.push({ kind, text: call.calleeText.replace(/\s+/g, ''), line: call.line });
  }
  for (const option of rest.filter((arg) => arg.kind === 'object')) own.push(...optionMarkersOf(option.node));
  if (eachTables(call.callee).some(isEmptyTable)) {
    own.push({ kind: 'skip', text: `${call.calleeText.replace(/\s+/g, '')} with no rows`, line: call.line });
  }
  const body = rest.findLast((arg) => arg.kind === 'arrow_function' || arg.kind === 'function_expression')?.node;
  const range = body?.range();
  return {
    call,
    body,
    bodyRange: range && { start: range.start.index, end: range.end.index },
    titles: [...(scope?.titles ?? []), title],
    // A test's markers are its case's own array: skips found later in its body (`t.skip()`) go there too.
    markers: [...(scope?.markers ?? []), ...own],
    test: scope?.test,
  };
}

/**
 * `.each([])` or a template table with no row: the test or suite it makes runs no case. A template's rows are its
 * `${value}` cells; a table given as a variable is not followed.
 */
function isEmptyTable(args: SgNode): boolean {
  if (args.kind() === 'template_string')
    return !args.children().some((part) => part.kind() === 'template_substitution');
  const [table, ...more] = args.namedChildren().filter((arg) => arg.kind() !== 'comment');
  if (!table || more.length > 0) return false;
  if (table.kind() === 'template_string') return isEmptyTable(table);
  return table.kind() === 'array' && table.namedChildren().every((element) => element.kind() === 'comment');
}

/** The body and assertion forms of a test, from one walk of its body function. */
function formsOf(call: CallSite, body: SgNode | undefined, test: OpenTest, file: FileForms): TestForms {
  file.messages ??= messageArgumentIds(file.calls, file.nodeAssert);
  // ava macros and helpers given the context run their assertions for the test.
  const helped = helperAssertionsOf(call.node, body, test.ava, file.helpers);
  const statements = [...test.assertionCalls, ...helped].map(assertionChainTop);
  const walked = body ? tokenForms(body, statements, tokenRules, file.messages) : undefined;
  // `test.each(table)(...)`: the table's rows are part of what the test asserts.
  const parts = eachTables(call.callee).map((table) => tokenForm(table, tokenRules, file.messages));
  if (walked) parts.push(walked.form);
  // No body function: an ava macro (`test('adds', macro, 2, 3)`), whose arguments are what the test checks.
  else
    parts.push(
      ...argumentsOf(call.node)
        .slice(1)
        .map((arg) => tokenForm(arg.node, tokenRules, file.messages)),
    );
  const assertions = statements.map(
    (statement, index): Assertion => ({
      ...(walked?.inner[index] ?? tokenForm(statement, tokenRules, file.messages)),
      text: statement.text(),
      line: statement.range().start.line + 1,
    }),
  );
  return { body: parts.length > 0 ? joinTokenForms(parts) : emptyTokenForm, assertions };
}

/** Assertions and in-body skips (`t.skip()`, `this.skip()`, `ctx.skip()`) of the test being read. */
function noteInsideTest(call: CallSite, test: OpenTest): void {
  if (isAssertionCallee(call.calleeText) || isAvaAssertion(call.callee, test.ava)) {
    test.assertionCalls.push(call.node);
    return;
  }
  const { callee } = call;
  if (callee.kind() !== 'member_expression') return;
  const property = callee.field('property')?.text() ?? '';
  const objectKind = callee.field('object')?.kind();
  const kind = modifierMarker(property);
  if (kind && kind !== 'only' && (objectKind === 'identifier' || objectKind === 'this')) {
    test.markers.push({ kind, text: `${call.calleeText.replace(/\s+/g, '')}()`, line: call.line });
  }
}

/** A hook run before the tests of a suite (or of the file): `before(function () { ... })`, `beforeEach(fn)`. */
interface BeforeHook {
  body: { start: number; end: number };
  /** The hook's context parameter (vitest's `ctx`), if it takes one; mocha's context is `this`. */
  context: string | undefined;
  /** The body of the suite whose tests it runs before; undefined for a hook at the top of the file. */
  suite: { start: number; end: number } | undefined;
}

/** A skip called in a hook (`this.skip()` in mocha's `before`, `ctx.skip()` in vitest's `beforeEach`). */
interface HookSkip {
  marker: TestMarker;
  suite: { start: number; end: number } | undefined;
}

const beforeHook = new RegExp(`^(?:${beforeHookNames.join('|')})$`);

/**
 * Notes a call outside any test that opens a before-hook, or a skip call inside one: the skip stops every test
 * of the hook's suite (mocha's `this.skip()` in `before` marks them all pending). True when the call was one.
 */
function noteBeforeHook(call: CallSite, scope: Scope | undefined, hooks: BeforeHook[], skips: HookSkip[]): boolean {
  if (beforeHook.test(call.calleeText)) {
    const body = argumentsOf(call.node).findLast(
      (arg) => arg.kind === 'arrow_function' || arg.kind === 'function_expression',
    )?.node;
    if (!body) return false;
    const range = body.range();
    const parameter = body.field('parameter') ?? body.field('parameters')?.find({ rule: { kind: 'identifier' } });
    hooks.push({
      body: { start: range.start.index, end: range.end.index },
      context: parameter?.text(),
      suite: scope?.bodyRange,
    });
    return true;
  }
  const hook = hooks.findLast((candidate) => within(call, candidate.body));
  if (!hook || call.callee.kind() !== 'member_expression') return false;
  const property = call.callee.field('property')?.text() ?? '';
  const object = call.callee.field('object');
  const kind = modifierMarker(property);
  const context = object?.kind() === 'this' || (object?.kind() === 'identifier' && object.text() === hook.context);
  if (!kind || kind === 'only' || !context) return false;
  skips.push({
    marker: { kind, text: `${call.calleeText.replace(/\s+/g, '')}() in a hook`, line: call.line },
    suite: hook.suite,
  });
  return true;
}

/** An assertion outside any test: `expect`/`assert`, or an ava assertion of a macro or hook (`t.is`). */
function isTopLevelAssertion(call: CallSite, file: FileForms): boolean {
  if (isAssertionCallee(call.calleeText)) return true;
  const ava = avaHelperAssertion(call.node, call.callee);
  if (ava?.helper !== undefined) file.helpers.set(ava.helper, [...(file.helpers.get(ava.helper) ?? []), call.node]);
  return ava !== undefined;
}

/** `expect(x)` is the start of `expect(x).not.toBe(y)`: the whole chain is the assertion. */
function assertionChainTop(node: SgNode): SgNode {
  let current = node;
  for (let parent = current.parent(); parent; parent = current.parent()) {
    const kind = parent.kind();
    const continues =
      (kind === 'member_expression' && parent.field('object')?.id() === current.id()) ||
      (kind === 'call_expression' && parent.field('function')?.id() === current.id()) ||
      kind === 'await_expression';
    if (!continues) break;
    current = parent;
  }
  return current;
}
