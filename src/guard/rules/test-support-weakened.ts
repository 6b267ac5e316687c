import type { ChangedFile } from '../changed-files.ts';
import type { Finding, GuardRule } from '../finding.ts';
import { judgeAssertion, Strengths } from '../tests/assertion-strength.ts';
import { testDataFolder } from '../tests/test-data-folders.ts';
import { isTestFile } from '../tests/test-languages.ts';
import { neutralizerAt } from '../unreachable/neutralizer.ts';
import { neutralizersOf } from '../unreachable/neutralizers.ts';
import { oneLine, plural } from './describe.ts';

/**
 * Code beside the tests that they call to check things: `tests/helpers.py` with `def assert_total(got, want)`,
 * `test/support/expect-cart.ts`, Go's `internal/testutil`. The tests read the same after a change, but a helper
 * whose `assert` became `pass`, or that now returns before its check, lets every test that calls it pass.
 */
const supportFolder =
  /(?:^|\/)(?:tests?|__tests__|specs?|testing|testutils?|test[-_]?utils|test[-_]?helpers|test[-_]?support)\//;
/** Data and sample inputs of tests, not code they run to check: changing them is the snapshot rule's business. */
const dataFolder = (path: string) => testDataFolder.test(path) || /(?:^|\/)data\//.test(path);

/** The statements that make a check fail, by language: `assert`, `raise`, `throw`, `expect(`, `t.Errorf`, `panic!`. */
const checkLine: ReadonlyArray<{ file: RegExp; line: RegExp }> = [
  {
    file: /\.py$/,
    line: /^\s*(?:assert\b|raise\b|pytest\.fail\(|self\.fail\w*\(|self\.assert\w*\(|\w+\.assert_\w+\()/,
  },
  {
    file: /\.[cm]?[jt]sx?$/,
    line: /(?:^|[^\w$.])(?:assert(?:\.\w+)*\s*\(|expect\s*\(|throw\b|fail\s*\(|\w+\.should\b)/,
  },
  {
    file: /\.go$/,
    line: /\b(?:t|tb|b|f)\.(?:Error|Errorf|Fatal|Fatalf|Fail|FailNow)\b|\bpanic\(|\b(?:assert|require)\.[A-Z]\w*\(/,
  },
  { file: /\.rs$/, line: /\b(?:assert|assert_eq|assert_ne|debug_assert\w*|panic|unreachable)!/ },
];

/** Code files in a test folder: helpers, or tests (a test file is judged as one when it declares tests). */
export function mayBeTestSupport(path: string): boolean {
  return (
    supportFolder.test(path) &&
    !dataFolder(path) &&
    !/(?:^|\/)conftest\.py$/.test(path) &&
    checkLine.some(({ file }) => file.test(path))
  );
}

/** A test declared in a source: `it(`, `test(`, `describe(`, `def test_`, `class Test`, `func Test`, `#[test]`. */
const declaresTest =
  /(?:^|[^\w$.])(?:it|test|describe|suite|specify|context)(?:\.\w+)*\s*\(|^\s*(?:async\s+)?def\s+test|^\s*class\s+Test|^func\s+(?:Test|Fuzz|Example)|#\[(?:\w+::)*test\]/m;

/**
 * A helper: a code file in a test folder that declares no test, at the base or now. A file a runner takes for a
 * test file by its place (mocha runs every file in `test/`) still counts when it declares none.
 */
function isTestSupport(file: ChangedFile): boolean {
  if (!mayBeTestSupport(file.path)) return false;
  if (!isTestFile(file.path)) return true;
  return !declaresTest.test(file.before ?? '') && !declaresTest.test(file.after ?? '');
}

/**
 * A test helper (a code file in a test folder that holds no tests itself) checks less than at the base: fewer of
 * its failing statements (`assert`, `raise`, `throw`, `t.Errorf`, `panic!`) can still run, because some were
 * deleted or are now after a `return`, inside `if False:`, or in a handler that swallows them. Rewording a check
 * keeps the count and is no finding; conftest.py is `runner-code-loaded`'s.
 */
export const testSupportWeakened: GuardRule = {
  id: 'test-support-weakened',
  reads: mayBeTestSupport,
  check({ base, changed }) {
    return changed.flatMap((file): Finding[] => {
      if (file.status !== 'modified' || !isTestSupport(file)) return [];
      if (file.before === undefined || file.after === undefined || file.before === file.after) return [];
      const then = liveChecks(file.path, file.before);
      const now = liveChecks(file.path, file.after);
      if (now.length >= then.length) return [];
      const kept = new Set(now.map((check) => check.text));
      const gone = then.filter((check) => !kept.has(check.text));
      const shown = (gone.length > 0 ? gone : then)
        .slice(0, 3)
        .map((check) => `\`${oneLine(check.text, 60)}\` (line ${check.line})`)
        .join(', ');
      return [
        {
          rule: this.id,
          path: file.path,
          line: firstChangedLine(file),
          severity: 'block',
          message:
            `test helper ${file.path} checks less: ${plural(then.length, 'failing statement')} could run at ${base}, ` +
            `${now.length} now (${shown} at ${base}). The tests that call it pass whatever the code does; restore ` +
            `it: git checkout ${base} -- ${file.path}`,
        },
      ];
    });
  },
};

/**
 * The failing statements of a source that no `return`, dead branch or swallowing handler keeps from running, and
 * that check something (not a tautology).
 */
function liveChecks(path: string, source: string): Array<{ text: string; line: number }> {
  const pattern = checkLine.find(({ file }) => file.test(path))?.line;
  if (!pattern) return [];
  const neutralizers = neutralizersOf(path, source);
  return source.split('\n').flatMap((text, index) => {
    const line = index + 1;
    if (!pattern.test(text) || neutralizerAt(neutralizers, line)) return [];
    // `assert got == got`, `assert.equal(a, a)`: still there, checking nothing.
    const judged = judgeAssertion(text, { python: path.endsWith('.py') });
    return judged?.strength === Strengths.constant ? [] : [{ text: text.trim(), line }];
  });
}

function firstChangedLine({ before = '', after = '' }: ChangedFile): number {
  const was = before.split('\n');
  const now = after.split('\n');
  const index = now.findIndex((line, at) => line !== was[at]);
  return index === -1 ? Math.max(1, now.length) : index + 1;
}
