import type { SgNode } from '@ast-grep/napi';
import type { MarkerKind, TestMarker } from '../tests/test-case.ts';
import { calleeName, dottedName, lineOf } from './syntax.ts';

/** pytest marks that keep a test from running or from failing, by the last two parts of their name. */
const pytestMarks = new Map<string, MarkerKind>([
  ['mark.skip', 'skip'],
  ['mark.skipif', 'skip'],
  ['mark.xfail', 'xfail'],
]);
/** unittest's decorators, written `unittest.skip` or, imported, `skip`. */
const unittestDecorators = new Map<string, MarkerKind>([
  ['skip', 'skip'],
  ['skipIf', 'skip'],
  ['skipUnless', 'skip'],
  ['expectedFailure', 'xfail'],
]);
/** Calls that skip or xfail the test that runs them. */
const skipCalls = new Map<string, MarkerKind>([
  ['pytest.skip', 'skip'],
  ['pytest.xfail', 'xfail'],
  // Skips the test (or, at module level, the module) when the import fails: a name nothing provides skips it.
  ['pytest.importorskip', 'skip'],
  ['self.skipTest', 'skip'],
  ['cls.skipTest', 'skip'],
]);

function pytestMarkKind(name: string): MarkerKind | undefined {
  return pytestMarks.get(name.split('.').slice(-2).join('.'));
}

function markKind(name: string): MarkerKind | undefined {
  return pytestMarkKind(name) ?? unittestDecorators.get(name.replace(/^unittest\./, ''));
}

/**
 * Module-level names bound to a skip or xfail decorator, so that `@slow` after `slow = pytest.mark.skip(...)`
 * (or `later = unittest.skip("x")`) marks the test as the decorator itself would.
 */
export function markAliasesOf(statements: readonly SgNode[]): Map<string, MarkerKind> {
  const aliases = new Map<string, MarkerKind>();
  for (const statement of statements) {
    if (statement.kind() !== 'expression_statement') continue;
    const assignment = statement.children().find((child) => child.isNamed());
    const left = assignment?.kind() === 'assignment' ? assignment.field('left') : null;
    const right = assignment?.field('right');
    if (left?.kind() !== 'identifier' || !right) continue;
    const name = right.kind() === 'call' || right.kind() === 'attribute' ? calleeName(right) : undefined;
    const kind = name === undefined ? undefined : (markKind(name) ?? aliases.get(name));
    if (kind) aliases.set(left.text(), kind);
  }
  return aliases;
}

/**
 * The markers of one decorator: `@pytest.mark.skip`, `@pytest.mark.xfail(...)`, `@unittest.skipIf(...)`, and the
 * `marks=pytest.mark.xfail` of single cases inside `@pytest.mark.parametrize(...)`.
 */
export function decoratorMarkers(decorator: SgNode, aliases?: ReadonlyMap<string, MarkerKind>): TestMarker[] {
  const expression = decorator.children().find((child) => child.isNamed() && child.kind() !== 'comment');
  if (!expression) return [];
  const name = calleeName(expression);
  const kind = name === undefined ? undefined : (markKind(name) ?? aliases?.get(name));
  if (name !== undefined && kind) return [{ kind, text: `@${name}`, line: lineOf(decorator) }];
  const empty = name !== undefined && /(^|\.)mark\.parametrize$/.test(name) && emptyParameterSet(expression);
  if (empty) return [{ kind: 'skip', text: `@${name} with no cases`, line: lineOf(decorator) }];
  return marksWithin(expression, '');
}

const emptyCollection = /^(?:\[\s*\]|\(\s*\)|(?:list|tuple)\(\s*\))$/;

/** `@pytest.mark.parametrize('x', [])`: pytest skips a test whose parameter set is empty. */
function emptyParameterSet(call: SgNode): boolean {
  const args =
    call
      .field('arguments')
      ?.namedChildren()
      .filter((arg) => arg.kind() !== 'comment') ?? [];
  const keyword = args.find((arg) => arg.kind() === 'keyword_argument' && arg.field('name')?.text() === 'argvalues');
  const values = keyword ? keyword.field('value') : args.filter((arg) => arg.kind() !== 'keyword_argument')[1];
  return values !== null && values !== undefined && emptyCollection.test(values.text());
}

/** `pytest.mark.skip`/`skipif`/`xfail` anywhere under `node`, each shown as `prefix` + its name. */
function marksWithin(node: SgNode, prefix: string): TestMarker[] {
  if (node.kind() === 'attribute') {
    const name = dottedName(node);
    const kind = name === undefined ? undefined : pytestMarkKind(name);
    if (name !== undefined && kind) return [{ kind, text: `${prefix}${name}`, line: lineOf(node) }];
  }
  return node.children().flatMap((child) => marksWithin(child, prefix));
}

/**
 * `__test__ = False` in a module or class, or `test_total.__test__ = False` after a test: pytest collects nothing
 * whose `__test__` is false. Anything but `True` counts: `0`, `None`, a call. The name of the one test it turns
 * off, or undefined for the whole suite.
 */
export function testAttributeMarker(statement: SgNode): { test: string | undefined; marker: TestMarker } | undefined {
  if (statement.kind() !== 'expression_statement') return undefined;
  const expression = statement.children().find((child) => child.isNamed());
  if (expression?.kind() !== 'assignment') return undefined;
  const left = expression.field('left');
  const value = expression.field('right')?.text();
  if (!left || value === undefined || value === 'True') return undefined;
  const marker: TestMarker = { kind: 'skip', text: `${left.text()} = ${value}`, line: lineOf(statement) };
  if (left.kind() === 'identifier' && left.text() === '__test__') return { test: undefined, marker };
  const owner = left.kind() === 'attribute' && left.field('attribute')?.text() === '__test__' && left.field('object');
  return owner && owner.kind() === 'identifier' ? { test: owner.text(), marker } : undefined;
}

/**
 * Markers a module- or class-level statement puts on every test of its suite: `pytestmark = pytest.mark.skip(...)`
 * (or a list of marks), `__test__ = False`, and `pytest.skip(..., allow_module_level=True)`.
 */
export function suiteStatementMarkers(statement: SgNode): TestMarker[] {
  if (statement.kind() !== 'expression_statement') return [];
  const expression = statement.children().find((child) => child.isNamed());
  if (expression?.kind() === 'assignment' && expression.field('left')?.text() === 'pytestmark') {
    const value = expression.field('right');
    return value ? marksWithin(value, 'pytestmark = ') : [];
  }
  const attribute = testAttributeMarker(statement);
  if (attribute) return attribute.test === undefined ? [attribute.marker] : [];
  // `np = pytest.importorskip('numpy')` skips the module as the bare call does.
  const call = expression?.kind() === 'assignment' ? expression.field('right') : expression;
  const marker = call ? skipCallMarker(call) : undefined;
  return marker ? [marker] : [];
}

/** The marker of a call or raise that skips the running test: `pytest.skip()`, `self.skipTest()`, `raise SkipTest`. */
export function skipCallMarker(node: SgNode): TestMarker | undefined {
  if (node.kind() === 'raise_statement') {
    const raised = node.children().find((child) => child.isNamed());
    const name = raised ? calleeName(raised) : undefined;
    if (name === undefined || !/(^|\.)SkipTest$/.test(name)) return undefined;
    return { kind: 'skip', text: `raise ${name}`, line: lineOf(node) };
  }
  if (node.kind() !== 'call') return undefined;
  const name = calleeName(node);
  const kind = name === undefined ? undefined : skipCalls.get(name);
  return name !== undefined && kind ? { kind, text: `${name}()`, line: lineOf(node) } : undefined;
}
