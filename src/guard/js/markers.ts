import type { SgNode } from '@ast-grep/napi';
import type { MarkerKind, TestMarker } from '../tests/test-case.ts';
import type { Argument, Callee } from './test-calls.ts';

/** Modifiers of a test or suite call that mark it: `it.skip`, `describe.only`, `test.skipIf(cond)`. */
export const markerModifiers: Record<string, MarkerKind> = {
  skip: 'skip',
  skipIf: 'skip',
  // vitest's `runIf(cond)`: the test or suite runs only where `cond` holds, so it is skipped everywhere else.
  runIf: 'skip',
  only: 'only',
  todo: 'todo',
  // Playwright's `test.fixme(...)`, `test.describe.fixme(...)`: not run, like `skip`.
  fixme: 'skip',
};
/** The marker a modifier such as `skip` makes, if any (`toString`, inherited by every object, makes none). */
export function modifierMarker(name: string): MarkerKind | undefined {
  return Object.hasOwn(markerModifiers, name) ? markerModifiers[name] : undefined;
}
/**
 * The marker a modifier of a test call makes: those above, and `test.failing` (ava, jest), `it.fails`
 * (vitest) and `test.fail` (Playwright), which pass only while the test fails. Only on the test call: a `failing()` call inside a test is no
 * marker.
 */
export function testModifierMarker(name: string): MarkerKind | undefined {
  return name === 'failing' || name === 'fails' || name === 'fail' ? 'xfail' : modifierMarker(name);
}
/** Test and suite functions whose name marks them: `xit`, `fdescribe`. */
export const nameMarkers: Record<string, MarkerKind> = {
  xit: 'skip',
  xtest: 'skip',
  xspecify: 'skip',
  xdescribe: 'skip',
  xcontext: 'skip',
  xsuite: 'skip',
  fit: 'only',
  ftest: 'only',
  fdescribe: 'only',
};
/** node:test's options: `test('x', { skip: true }, fn)`. */
const optionMarkers = new Set<string>(['skip', 'only', 'todo']);

/** The markers of a node:test options object: `{ skip: true }`, `{ todo: 'later' }`; `{ skip: false }` is none. */
export function optionMarkersOf(options: SgNode): TestMarker[] {
  const markers: TestMarker[] = [];
  for (const pair of options.children().filter((child) => child.kind() === 'pair')) {
    const name = pair.field('key')?.text() ?? '';
    const value = pair.field('value')?.text() ?? '';
    if (optionMarkers.has(name) && value !== 'false') {
      markers.push({ kind: name as MarkerKind, text: `{ ${name}: ${value} }`, line: pair.range().start.line + 1 });
    }
  }
  return markers;
}

/** Playwright's annotations by name: `slow` only gives a test more time. */
const annotationKinds: Record<string, MarkerKind | 'none'> = {
  skip: 'skip',
  fixme: 'skip',
  fail: 'xfail',
  slow: 'none',
};

/**
 * Playwright's annotations, called without a title: `test.skip()`, `test.fixme(cond, 'why')`,
 * `test.fail(({ browserName }) => ...)`, `test.slow()`. In a test they mark it; in a suite, a hook or at the top
 * of the file, every test there. The marker such a call makes (`none` for `slow`, which only gives more time), or
 * undefined when it is no annotation but declares a test (`test.skip('t', fn)`).
 */
export function annotationMarker(callee: Callee, args: readonly Argument[]): MarkerKind | 'none' | undefined {
  const [modifier, ...more] = callee.modifiers;
  if (callee.kind !== 'test' || more.length > 0 || modifier === undefined) return undefined;
  const kind = Object.hasOwn(annotationKinds, modifier) ? annotationKinds[modifier] : undefined;
  if (!kind) return undefined;
  const [first] = args;
  const last = args.at(-1);
  if (!first) return kind;
  const titled = first.kind === 'string' || first.kind === 'template_string';
  const declares = last?.kind === 'arrow_function' || last?.kind === 'function_expression';
  return !titled && !declares ? kind : undefined;
}
