import type { SgNode } from '@ast-grep/napi';
import { jsFunctionKinds } from './function-kinds.ts';
import type { Callee } from './test-calls.ts';

/**
 * ava's assertions, called on the test's execution context (`t.is(a, b)`), with how many values each compares
 * before its optional failure message; `t.plan(n)` takes no message.
 */
const avaAssertionValues = new Map<string, number | undefined>([
  ...['is', 'not', 'deepEqual', 'notDeepEqual', 'like', 'regex', 'notRegex', 'throws', 'throwsAsync'].map(
    (name) => [name, 2] as const,
  ),
  ...['true', 'false', 'truthy', 'falsy', 'assert', 'snapshot', 'notThrows', 'notThrowsAsync'].map(
    (name) => [name, 1] as const,
  ),
  ['pass', 0],
  ['fail', 0],
  ['plan', undefined],
]);

export const avaAssertionNames: readonly string[] = [...avaAssertionValues.keys()];

/**
 * Modifiers of `test` that define no test: ava's hooks (`test.beforeEach(fn)`, `test.after.always(fn)`) and
 * macros (`test.macro(fn)`). Their assertions run with the tests, so they count as the file's top level.
 */
const helperModifiers = new Set(['before', 'after', 'beforeEach', 'afterEach', 'macro']);

export function isAvaHelperDefinition(callee: Callee): boolean {
  return callee.name === 'test' && callee.modifiers.some((modifier) => helperModifiers.has(modifier));
}

/** The names a test body reaches ava's assertions by: its context parameter (`t`, `assert`), or destructured ones. */
export interface AvaContext {
  handle: string | undefined;
  /** `({ is, deepEqual }) => ...`: assertions called by their own names. */
  names: ReadonlySet<string>;
}

const noAvaContext: AvaContext = { handle: undefined, names: new Set() };

/** The context parameter of a test's body function: the first parameter, a name or a destructuring pattern. */
export function avaContextOf(body: SgNode | undefined): AvaContext {
  const first = body ? firstParameter(body) : undefined;
  if (!first) return noAvaContext;
  if (first.kind() === 'identifier') return { handle: first.text(), names: new Set() };
  if (first.kind() !== 'object_pattern') return noAvaContext;
  const names = first
    .children()
    .filter((child) => child.kind() === 'shorthand_property_identifier_pattern')
    .map((child) => child.text())
    .filter((name) => avaAssertionValues.has(name));
  return { handle: undefined, names: new Set(names) };
}

/** Whether `callee` calls an ava assertion through `context`: `t.is`, `assert.true`, or a destructured `is`. */
export function isAvaAssertion(callee: SgNode, context: AvaContext): boolean {
  const kind = callee.kind();
  if (kind === 'identifier') return context.names.has(callee.text());
  if (kind !== 'member_expression' || context.handle === undefined) return false;
  const object = callee.field('object');
  return (
    object?.kind() === 'identifier' &&
    object.text() === context.handle &&
    avaAssertionValues.has(callee.field('property')?.text() ?? '')
  );
}

/**
 * Whether a call outside any test is an ava assertion of a helper that receives the context: a macro
 * (`const macro = test.macro((t, input, expected) => t.is(f(input), expected))`, or a plain function passed to
 * `test`), a helper called with it (`check(t, 2)`) or a hook (`test.beforeEach(t => ...)`): `t.is` where `t` is
 * the first parameter of a function around it. Undefined when it is none; else the helper's name, if it has one.
 */
export function avaHelperAssertion(call: SgNode, callee: SgNode): { helper: string | undefined } | undefined {
  if (callee.kind() !== 'member_expression') return undefined;
  const object = callee.field('object');
  if (object?.kind() !== 'identifier' || !avaAssertionValues.has(callee.field('property')?.text() ?? '')) {
    return undefined;
  }
  const name = object.text();
  const fn = call.ancestors().find((node) => {
    const first = jsFunctionKinds.has(String(node.kind())) ? firstParameter(node) : undefined;
    return first?.kind() === 'identifier' && first.text() === name;
  });
  return fn && { helper: helperName(fn) };
}

/** `function check(t)`, `const check = (t) => ...`, `const macro = test.macro(...)`: the name a test uses. */
function helperName(fn: SgNode): string | undefined {
  const own = fn.field('name');
  if (own && fn.kind() !== 'method_definition') return own.text();
  const declarator = fn.ancestors().find((node) => node.kind() === 'variable_declarator');
  const name = declarator?.field('name');
  return name?.kind() === 'identifier' ? name.text() : undefined;
}

/**
 * The helper assertions a test runs: those of the macros it passes to `test` (`test('adds', macro, 2, 3)`) and of
 * the helpers its body calls with the context (`check(t, 2)`), from `helpers` (assertion calls by helper name).
 */
export function helperAssertionsOf(
  call: SgNode,
  body: SgNode | undefined,
  context: AvaContext,
  helpers: ReadonlyMap<string, readonly SgNode[]>,
): SgNode[] {
  if (helpers.size === 0) return [];
  const used: string[] = [];
  const args = call.field('arguments')?.namedChildren() ?? [];
  for (const arg of args) if (arg.kind() === 'identifier' && helpers.has(arg.text())) used.push(arg.text());
  if (body && context.handle !== undefined) {
    for (const inner of body.findAll({ rule: { kind: 'call_expression' } })) {
      const name = inner.field('function');
      if (name?.kind() !== 'identifier' || !helpers.has(name.text())) continue;
      const passed = inner.field('arguments')?.namedChildren() ?? [];
      if (passed.some((arg) => arg.kind() === 'identifier' && arg.text() === context.handle)) used.push(name.text());
    }
  }
  return used.flatMap((name) => helpers.get(name) ?? []);
}

/**
 * The failure-message argument of an ava assertion (`t.is(a, 5, 'message')`, `is(a, 5, 'message')`), judged by
 * its callee as written: read for every call of a file, so the text is checked before the syntax tree.
 */
export function avaMessageArgument(call: SgNode, calleeText: string): SgNode | undefined {
  const method = /^(?:[A-Za-z_$][\w$]*\s*\.\s*)?([A-Za-z_$][\w$]*)$/.exec(calleeText)?.[1];
  const values = method === undefined ? undefined : avaAssertionValues.get(method);
  if (values === undefined) return undefined;
  const args =
    call
      .field('arguments')
      ?.namedChildren()
      .filter((child) => child.kind() !== 'comment') ?? [];
  return args.length === values + 1 ? args[values] : undefined;
}

/** The first parameter's pattern: `t` of `t => ...`, `(t, input) => ...`, `function (t: ExecutionContext)`. */
function firstParameter(fn: SgNode): SgNode | undefined {
  const single = fn.field('parameter');
  if (single) return single;
  const [first] = (fn.field('parameters')?.namedChildren() ?? []).filter((child) => child.kind() !== 'comment');
  if (!first) return undefined;
  // TypeScript wraps each parameter: `required_parameter` / `optional_parameter` with a `pattern`.
  return first.field('pattern') ?? first;
}
