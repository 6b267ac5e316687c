import type { SgNode } from '@ast-grep/napi';
import type { TestMarker } from '../tests/test-case.ts';
import { jsFunctionKinds } from './function-kinds.ts';

/**
 * Runners that wait for an async suite body (vitest, node:test, bun) or fail the file on one (jest: "Returning a
 * Promise from describe is not supported"): named by the file's imports or their globals (`vi.fn`, `jest.mock`).
 */
const suitesAwaitedOrRefused =
  /\bfrom\s*['"](?:vitest|node:test|bun:test|@jest\/globals)['"]|\brequire\(\s*['"](?:vitest|node:test|bun:test|@jest\/globals)['"]\s*\)|\b(?:vi|jest)\.\w|import\.meta\.vitest/;

/**
 * Whether the file's suites run as mocha runs them: it calls a `describe` body and does not wait for the promise
 * an async one returns, so the tests it defines after its first `await` register late, under another suite, or
 * not at all (after the run has started). Files of the runners that wait or refuse are left out.
 */
export function suitesRunUnawaited(source: string): boolean {
  return source.includes('await') && !suitesAwaitedOrRefused.test(source);
}

/** Where a suite body stops defining tests in time: its first own `await` (or `for await`). */
export interface SuiteAwait {
  /** Index in the file: test calls after it are not defined while the runner collects. */
  index: number;
  marker: TestMarker;
}

/**
 * The first `await` of an async suite body, outside the functions inside it (a test's own awaits are fine); none
 * for a sync body, or an async one that awaits nothing.
 */
export function firstSuiteAwait(body: SgNode | undefined): SuiteAwait | undefined {
  if (body?.child(0)?.kind() !== 'async') return undefined;
  const rule = { any: [{ kind: 'await_expression' }, { kind: 'for_in_statement', regex: '^for\\s+await\\b' }] };
  for (const node of body.findAll({ rule })) {
    if (enclosingFunction(node)?.id() !== body.id()) continue;
    const { start } = node.range();
    const shown = node.text().split('\n', 1)[0] ?? '';
    const text = `${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown} in an async describe`;
    return { index: start.index, marker: { kind: 'skip', text, line: start.line + 1 } };
  }
  return undefined;
}

function enclosingFunction(node: SgNode): SgNode | undefined {
  for (let parent = node.parent(); parent; parent = parent.parent())
    if (jsFunctionKinds.has(String(parent.kind()))) return parent;
  return undefined;
}
