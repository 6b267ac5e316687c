import type { Finding, GuardRule } from '../finding.ts';
import { addedShadows } from '../tests/assertion-shadows.ts';
import { type Judgement, judgeAssertion, Strengths } from '../tests/assertion-strength.ts';
import { withBoundValues } from '../tests/bound-values.ts';
import { addedStubs, callsStub, type SubjectStub } from '../tests/subject-stubs.ts';
import type { Assertion, TestCase } from '../tests/test-case.ts';
import { sameSource, testName } from '../tests/test-changes.ts';
import { oneLine } from './describe.ts';

/**
 * An assertion of an existing test still there but checking less than at the base: a tautology
 * (`assert True`, `expect(f(2)).toBe(f(2))`), a weaker matcher (`toBe(6)` -> `toBeDefined()`,
 * `assert_eq!(x, 3)` -> `assert!(x >= 0)`), an assertion put behind `||`/`&&`, or the assertion function
 * redefined in the test file. Another matcher that checks as much (`toEqual`), swapped operands or a stricter
 * check are not findings. Removed assertions are `assertions-removed`, changed values `expected-value-changed`.
 */
export const assertionWeakened: GuardRule = {
  id: 'assertion-weakened',
  check({ base, pairs, files, changed }) {
    const contents = new Map(changed.map((file) => [file.path, file]));
    const changedTests = pairs.flatMap(({ before, after }) => {
      if (sameSource(before, after)) return [];
      const beforeSource = contents.get(before.path)?.before;
      const afterSource = contents.get(after.path)?.after;
      return [
        ...replacedAssertions(base, before, after, afterSource),
        ...rebound(base, before, after, beforeSource, afterSource),
        ...shortCircuited(base, before, after, beforeSource, afterSource),
      ];
    });
    const shadowed = files.flatMap((file) => {
      const source = contents.get(file.path);
      if (source?.after === undefined || !file.after?.length) return [];
      return addedShadows(file.path, source.before, source.after).map(
        (shadow): Finding =>
          weakened(
            file.path,
            shadow.line,
            `${file.path}:${shadow.line} redefines \`${shadow.name}\` (\`${oneLine(shadow.text)}\`), so the assertions ` +
              `that call it no longer check anything; delete this line and use the real \`${shadow.name}\`` +
              (source.before === undefined ? '' : ` as ${base}:${file.path} does`),
          ),
      );
    });
    return [...changedTests, ...shadowed, ...stubbedSubjects(base, pairs, contents)];
  },
};

/**
 * Base assertions that now call a stub the change put over the code they check: `cart.totalCents = () => 280`
 * at the top of the file, or in the test before the assertion. The assertion reads as before and checks the stub.
 * One finding per stub, naming the assertions it fools.
 */
function stubbedSubjects(
  base: string,
  pairs: readonly { before: TestCase; after: TestCase }[],
  contents: ReadonlyMap<string, { before?: string | undefined; after?: string | undefined }>,
): Finding[] {
  const stubsOf = new Map<string, SubjectStub[]>();
  const fooled = new Map<SubjectStub, Array<{ test: TestCase; assertion: Assertion }>>();
  for (const { before, after } of pairs) {
    const source = contents.get(after.path);
    if (source?.after === undefined) continue;
    let stubs = stubsOf.get(after.path);
    if (!stubs) {
      stubs = addedStubs(after.path, source.before, source.after);
      stubsOf.set(after.path, stubs);
    }
    if (stubs.length === 0) continue;
    const lines = source.after.split('\n');
    const atBase = new Set(before.assertions.map((assertion) => assertion.text));
    for (const assertion of after.assertions) {
      if (!atBase.has(assertion.text)) continue;
      const stub = stubs.find(
        (candidate) =>
          callsStub(assertion.text, candidate) &&
          (/^\S/.test(lines[candidate.line - 1] ?? '') ||
            (candidate.line > after.line && candidate.line < assertion.line)),
      );
      if (stub) fooled.set(stub, [...(fooled.get(stub) ?? []), { test: after, assertion }]);
    }
  }
  return [...fooled].map(([stub, uses]): Finding => {
    const shown = uses
      .slice(0, 3)
      .map(({ test, assertion }) => `\`${oneLine(assertion.text)}\` (test "${testName(test)}", line ${assertion.line})`)
      .join(', ');
    const more = uses.length > 3 ? ` and ${uses.length - 3} more` : '';
    const path = uses[0]?.test.path ?? '';
    return weakened(
      path,
      stub.line,
      `${path}:${stub.line} replaces \`${stub.name}\` (\`${oneLine(stub.text)}\`), which ${base} did not, and ` +
        `assertions that were there at ${base} now call it, so they check the stub, not the code: ${shown}${more}. ` +
        `Delete line ${stub.line}.`,
    );
  });
}

/**
 * Base assertions gone from the test against the new ones in their place: strongest first, each takes the
 * strongest new one left (among equals the most alike), and is reported when even that checks less. So
 * reordering or rewriting several assertions at once is no finding, and a finding names the right pair.
 */
function replacedAssertions(
  base: string,
  before: TestCase,
  after: TestCase,
  afterSource: string | undefined,
): Finding[] {
  const gone = judged(without(before.assertions, after.assertions), before.path);
  const bound = afterSource === undefined ? undefined : { source: afterSource, from: after.line };
  const fresh = judged(without(after.assertions, before.assertions), after.path, bound);
  return gone.flatMap(({ assertion: was, judgement: then }) => {
    const best = fresh.reduce<number>((chosen, candidate, index) => {
      const current = fresh[chosen];
      if (!current) return index;
      const stronger = candidate.judgement.strength - current.judgement.strength;
      return stronger > 0 || (stronger === 0 && alike(was, candidate.assertion) > alike(was, current.assertion))
        ? index
        : chosen;
    }, -1);
    const [counterpart] = best === -1 ? [] : fresh.splice(best, 1);
    if (!counterpart || !weaker(counterpart.judgement, then)) return [];
    const { assertion: now, judgement: judged } = counterpart;
    return [
      weakened(
        after.path,
        now.line,
        `test "${testName(after)}" (${after.path}:${now.line}) now asserts \`${oneLine(now.text)}\`, which ${judged.reason}; ` +
          `at ${base} it asserted \`${oneLine(was.text)}\` (line ${was.line} of ${before.path}), which ${then.reason}. ` +
          `Restore \`${oneLine(was.text)}\`.`,
      ),
    ];
  });
}

/**
 * Assertions written as at the base whose names now hold what the code under test computes: `expected = 6`
 * became `expected = total(xs)`, so `assert total(xs) == expected` compares the code with itself.
 */
function rebound(
  base: string,
  before: TestCase,
  after: TestCase,
  beforeSource: string | undefined,
  afterSource: string | undefined,
): Finding[] {
  if (beforeSource === undefined || afterSource === undefined) return [];
  const kept = without(after.assertions, without(after.assertions, before.assertions));
  const atBase = [...before.assertions];
  return kept.flatMap((now): Finding[] => {
    const index = atBase.findIndex((was) => was.key === now.key);
    const [was] = index === -1 ? [] : atBase.splice(index, 1);
    if (!was) return [];
    // Judged only when the names it uses now hold other values than at the base.
    const readNow = withBoundValues(now.text, afterSource, after.line, now.line);
    if (readNow === undefined || readNow === withBoundValues(was.text, beforeSource, before.line, was.line)) return [];
    const [judgedNow] = judged([now], after.path, { source: afterSource, from: after.line });
    const [judgedThen] = judged([was], before.path, { source: beforeSource, from: before.line });
    if (!judgedNow || !judgedThen || !weaker(judgedNow.judgement, judgedThen.judgement)) return [];
    return [
      weakened(
        after.path,
        now.line,
        `test "${testName(after)}" (${after.path}:${now.line}) still asserts \`${oneLine(now.text)}\`, but it now ` +
          `${judgedNow.judgement.reason}; at ${base} it ${judgedThen.judgement.reason}. Restore the values the ` +
          `test binds from ${base}:${before.path}.`,
      ),
    ];
  });
}

/** How many tokens two assertions share. */
function alike(a: Assertion, b: Assertion): number {
  const tokens = new Set(a.key.split(' '));
  return b.key.split(' ').filter((token) => tokens.has(token)).length;
}

/** A blocking finding of this rule. */
function weakened(path: string, line: number, message: string): Finding {
  return { rule: 'assertion-weakened', path, line, severity: 'block', message };
}

/** Whether `now` checks less than `then`: a lower strength, or any error where a specific one was expected. */
function weaker(now: Judgement, then: Judgement): boolean {
  return now.strength < then.strength || (then.anyError === false && now.anyError === true);
}

/** Python files (tests, and sources holding doctests): their `assert (x, "why")` is a tuple. */
const pythonSource = /\.py$/;

/**
 * Assertions that pass when the two sides differ: comparing a value with itself there is no tautology. A Go
 * `if got != want { t.Error... }` states its failure, so it is not one of them.
 */
const negated = /\.not\b|!==?|\bis not\b|assert_ne!|NotEqual|notEqual|notStrictEqual|notDeepEqual|\.not_to\b/;

/**
 * The assertions whose strength can be told, strongest first (in source order among equals). With `bound` (the
 * test's source and first line), names bound earlier in the test are read as their values too, so an expected
 * value computed by the code under test (`expected = total(xs); assert total(xs) == expected`) is a tautology.
 */
function judged(
  assertions: readonly Assertion[],
  path: string,
  bound?: { source: string; from: number },
): Array<{ assertion: Assertion; judgement: Judgement }> {
  const python = pythonSource.test(path);
  return assertions
    .flatMap((assertion) => {
      const judgement = judgeAssertion(assertion.text, { python });
      const inlined =
        bound && (/^if\s/.test(assertion.text) || !negated.test(assertion.text))
          ? withBoundValues(assertion.text, bound.source, bound.from, assertion.line)
          : undefined;
      const throughNames = inlined === undefined ? undefined : judgeAssertion(inlined, { python });
      if (throughNames && throughNames.strength === Strengths.constant && (judgement?.strength ?? 1) > 0) {
        const reason = `${throughNames.reason} once the names it uses are read as the values bound to them (\`${oneLine(inlined ?? '')}\`)`;
        return [{ assertion, judgement: { ...throughNames, reason } }];
      }
      return judgement ? [{ assertion, judgement }] : [];
    })
    .sort((a, b) => b.judgement.strength - a.judgement.strength);
}

/** Assertions unchanged in themselves but now behind `||`, `&&` or `??`: they run only if the left side lets them. */
function shortCircuited(
  base: string,
  before: TestCase,
  after: TestCase,
  beforeSource: string | undefined,
  afterSource: string | undefined,
): Finding[] {
  if (afterSource === undefined) return [];
  const wasGuarded = new Map<string, number>();
  for (const assertion of before.assertions) {
    if (beforeSource !== undefined && guardOf(beforeSource, assertion)) {
      wasGuarded.set(assertion.key, (wasGuarded.get(assertion.key) ?? 0) + 1);
    }
  }
  return after.assertions.flatMap((now): Finding[] => {
    const guard = guardOf(afterSource, now);
    if (!guard) return [];
    const left = wasGuarded.get(now.key) ?? 0;
    if (left > 0) {
      wasGuarded.set(now.key, left - 1);
      return [];
    }
    const was = before.assertions.find((assertion) => assertion.key === now.key);
    return [
      weakened(
        after.path,
        now.line,
        `test "${testName(after)}" (${after.path}:${now.line}) now runs \`${oneLine(now.text)}\` only behind ` +
          `\`${guard}\`, which short-circuits it; ` +
          (was ? `at ${base} it ran unconditionally (line ${was.line} of ${before.path}). ` : '') +
          `Remove \`${guard}\` and what precedes it so that the assertion always runs.`,
      ),
    ];
  });
}

/** The `||`, `&&`, `??`, `or` or `and` right before the assertion in `source`, if any. */
function guardOf(source: string, assertion: Assertion): string | undefined {
  const lineStart = nthLineStart(source, assertion.line);
  if (lineStart === undefined) return undefined;
  const at = source.indexOf(assertion.text, lineStart);
  if (at === -1) return undefined;
  const preceding = source.slice(Math.max(0, at - 200), at).replace(/[\s(]*$/, '');
  return /(\|\||&&|\?\?|\bor|\band)$/.exec(preceding)?.[1];
}

function nthLineStart(source: string, line: number): number | undefined {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = source.indexOf('\n', offset);
    if (next === -1) return undefined;
    offset = next + 1;
  }
  return offset;
}

/** `items` without one of each key in `others`, in order. */
function without(items: readonly Assertion[], others: readonly Assertion[]): Assertion[] {
  const left = others.map((item) => item.key);
  return items.filter((item) => {
    const index = left.indexOf(item.key);
    if (index === -1) return true;
    left.splice(index, 1);
    return false;
  });
}
