import { parse, type SgNode } from '@ast-grep/napi';
import type { TestCase, TestMarker } from '../tests/test-case.ts';
import { emptyTokenForm, joinTokenForms, type SkippedNodes, type TokenRules, tokenForm } from '../tests/token-form.ts';
import { markerModifiers, nameMarkers, optionMarkersOf } from './markers.ts';
import { isAssertionCallee, messageArgumentIds } from './message-arguments.ts';
import { languageOf } from './test-files.ts';

const testNames = new Set(['it', 'test', 'specify', 'xit', 'xtest', 'xspecify', 'fit', 'ftest']);
const suiteNames = new Set(['describe', 'suite', 'context', 'xdescribe', 'xcontext', 'xsuite', 'fdescribe']);
const tokenRules: TokenRules = {
  dropped: new Set(['comment', ';', ',']),
  literals: new Set(['string', 'string_fragment', 'number', 'true', 'false', 'null', 'regex']),
};

interface Callee {
  kind: 'test' | 'suite';
  name: string;
  modifiers: string[];
}

interface Scope {
  /** Failure messages of the file's assertions, left out of every token form. */
  messages: SkippedNodes;
  titles: string[];
  markers: TestMarker[];
  test: TestCase | undefined;
}

/** The test cases of one JS/TS file (vitest, jest, mocha, node:test), parsed with tree-sitter through ast-grep. */
export function parseTests(path: string, source: string): TestCase[] {
  const root = parse(languageOf(path), source).root();
  const tests: TestCase[] = [];
  visit(root, { messages: messageArgumentIds(root, source), titles: [], markers: [], test: undefined }, path, tests);
  return tests;
}

function visit(node: SgNode, scope: Scope, path: string, tests: TestCase[]): void {
  if (node.kind() === 'call_expression') {
    const callee = node.field('function');
    const kind = callee ? classifyCallee(callee) : undefined;
    if (kind && callee) {
      visitTestCall(node, kind, scope, path, tests);
      return;
    }
    if (callee && scope.test) noteInsideTest(node, callee, scope.test, scope.messages);
  }
  for (const child of node.children()) visit(child, scope, path, tests);
}

function visitTestCall(node: SgNode, callee: Callee, scope: Scope, path: string, tests: TestCase[]): void {
  const args = node
    .field('arguments')
    ?.children()
    .filter((child) => child.isNamed() && child.kind() !== 'comment');
  const [titleNode, ...rest] = args ?? [];
  const title = titleNode ? titleOf(titleNode) : '';
  const line = node.range().start.line + 1;
  const calleeText = node.field('function')?.text() ?? callee.name;
  const own: TestMarker[] = [];
  const nameMarker = nameMarkers[callee.name];
  if (nameMarker) own.push({ kind: nameMarker, text: callee.name, line });
  for (const modifier of callee.modifiers) {
    const kind = markerModifiers[modifier];
    if (kind) own.push({ kind, text: calleeText.replace(/\s+/g, ''), line });
  }
  for (const option of rest.filter((arg) => arg.kind() === 'object')) own.push(...optionMarkersOf(option));
  const markers = [...scope.markers, ...own];
  const titles = [...scope.titles, title];
  const body = rest.findLast((arg) => arg.kind() === 'arrow_function' || arg.kind() === 'function_expression');
  if (callee.kind === 'suite') {
    if (body) visit(body, { ...scope, titles, markers }, path, tests);
    return;
  }
  // `test.each(table)(...)`: the table's rows are part of what the test asserts.
  const parts = [...eachTables(node.field('function')), ...(body ? [body] : [])];
  const formOf = (part: SgNode) => tokenForm(part, tokenRules, scope.messages);
  const test: TestCase = {
    path,
    titles,
    line,
    body: parts.length > 0 ? joinTokenForms(parts.map(formOf)) : emptyTokenForm,
    assertions: [],
    markers,
  };
  tests.push(test);
  if (body) visit(body, { ...scope, titles, markers, test }, path, tests);
}

/** Whether a callee names a test or suite function: `it`, `describe.only`, `test.each(...)`, `t.test`. */
function classifyCallee(callee: SgNode): Callee | undefined {
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

/** Assertions and in-body skips (`t.skip()`, `this.skip()`, `ctx.skip()`) of the test being visited. */
function noteInsideTest(node: SgNode, callee: SgNode, test: TestCase, messages: SkippedNodes): void {
  const calleeText = callee.text().replace(/\s+/g, '');
  if (isAssertionCallee(callee)) {
    const statement = assertionChainTop(node);
    test.assertions.push({
      ...tokenForm(statement, tokenRules, messages),
      text: statement.text(),
      line: statement.range().start.line + 1,
    });
    return;
  }
  if (callee.kind() === 'member_expression') {
    const property = callee.field('property')?.text() ?? '';
    const objectKind = callee.field('object')?.kind();
    const kind = markerModifiers[property];
    if (kind && kind !== 'only' && (objectKind === 'identifier' || objectKind === 'this')) {
      test.markers.push({ kind, text: `${calleeText}()`, line: node.range().start.line + 1 });
    }
  }
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

function titleOf(node: SgNode): string {
  if (node.kind() === 'string')
    return (
      node
        .children()
        .find((child) => child.kind() === 'string_fragment')
        ?.text() ?? ''
    );
  if (node.kind() === 'template_string') return node.text().slice(1, -1);
  return node.text();
}

/** The argument lists of the calls inside a callee such as `test.each([...])` or `it.each\`table\``. */
function eachTables(callee: SgNode | null): SgNode[] {
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
