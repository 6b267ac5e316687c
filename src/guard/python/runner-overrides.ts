import type { SgNode } from '@ast-grep/napi';
import type { TestMarker } from '../tests/test-case.ts';
import { lineOf } from './syntax.ts';

/**
 * Where a definition sits: the module, a `unittest.TestCase` subclass (`IsolatedAsyncioTestCase`, which awaits
 * `async def` tests, apart), or another class.
 */
export type SuiteLevel = 'module' | 'unittest-class' | 'async-unittest-class' | 'class';

/** unittest runs a test through `TestCase.run` (which `__call__` calls): an override that never calls on runs none. */
const runMethods = new Set(['run', '__call__']);
// `super().run(result)`, or a base class's, called with the test: `unittest.TestCase.run(self, result)`.
const callsInheritedRun =
  /\bsuper\s*\([^)]*\)\s*\.\s*(?:run|__call__)\s*\(|\b\w+\s*\.\s*(?:run|__call__)\s*\(\s*self\b/;

/**
 * Markers a definition puts on every test of its suite by replacing how unittest runs them: a `run` or
 * `__call__` override in a `TestCase` subclass that never calls the inherited one, and a module's
 * `load_tests(loader, tests, pattern)` that returns a suite without the tests it was given.
 */
export function runnerOverrideMarkers(definition: { node: SgNode; name: string }, level: SuiteLevel): TestMarker[] {
  const { node, name } = definition;
  if (node.kind() !== 'function_definition') return [];
  const body = node.field('body')?.text() ?? '';
  const unittest = level === 'unittest-class' || level === 'async-unittest-class';
  if (unittest && runMethods.has(name) && !callsInheritedRun.test(body)) {
    return [{ kind: 'skip', text: `def ${name}() that never runs the tests`, line: lineOf(node) }];
  }
  if (level === 'module' && name === 'load_tests' && !returnsGivenTests(node)) {
    return [{ kind: 'skip', text: 'def load_tests() that drops the tests', line: lineOf(node) }];
  }
  // pytest does not collect a `Test*` class with a constructor (it warns and moves on).
  if (level === 'class' && (name === '__init__' || name === '__new__')) {
    return [{ kind: 'skip', text: `def ${name}() in a test class, which pytest does not collect`, line: lineOf(node) }];
  }
  return [];
}

/** Marks that hand an `async def` test to a plugin that runs it. */
const asyncRunners = /\bmark\s*\.\s*(?:asyncio|anyio|trio)\b|\basyncio_mode\b|\bpytest_asyncio\b/;

/**
 * Markers of how a test function is written that keep its body from running: `async def` where nothing awaits it
 * (pytest without an async plugin mark skips it; a plain `TestCase` calls it and drops the coroutine), and a
 * `yield` in its body, which makes it a generator that pytest does not run as a test.
 */
export function testFormMarkers(
  test: SgNode,
  decorators: readonly SgNode[],
  level: SuiteLevel,
  file: { root: SgNode; mayYield: boolean },
): TestMarker[] {
  const markers: TestMarker[] = [];
  const isAsync = test.children().some((child) => child.kind() === 'async');
  if (isAsync && level !== 'async-unittest-class') {
    const handled =
      level !== 'unittest-class' &&
      (decorators.some((decorator) => asyncRunners.test(decorator.text())) || asyncRunners.test(file.root.text()));
    if (!handled) markers.push({ kind: 'skip', text: 'async def with nothing to await it', line: lineOf(test) });
  }
  const body = file.mayYield ? test.field('body') : undefined;
  const ownYield = body?.findAll({ rule: { kind: 'yield' } }).find(
    (node) =>
      node
        .ancestors()
        .find((ancestor) => /^(?:function_definition|lambda)$/.test(String(ancestor.kind())))
        ?.id() === test.id(),
  );
  if (ownYield) markers.push({ kind: 'skip', text: 'yield, which makes the test a generator', line: lineOf(ownYield) });
  return markers;
}

/** Whether some `return` of `load_tests` hands back its second parameter, the tests unittest found. */
function returnsGivenTests(definition: SgNode): boolean {
  const parameters = (definition.field('parameters')?.namedChildren() ?? []).filter(
    (parameter) => parameter.kind() !== 'comment',
  );
  const given = parameters[1]?.text().split(/[:=]/)[0]?.trim();
  if (!given) return false;
  const name = new RegExp(`(?<![\\w.])${given}(?!\\w)`);
  return (definition.field('body')?.findAll({ rule: { kind: 'return_statement' } }) ?? []).some((statement) =>
    name.test(statement.text()),
  );
}
