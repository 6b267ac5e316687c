import type { Finding, GuardContext, GuardRule } from '../finding.ts';
import type { Assertion, TestCase } from '../tests/test-case.ts';
import { sameSource, testName } from '../tests/test-changes.ts';
import { type Neutralizer, neutralizerAt } from '../unreachable/neutralizer.ts';
import { neutralizersOf } from '../unreachable/neutralizers.ts';
import { oneLine, plural } from './describe.ts';

type Side = 'before' | 'after';

/**
 * An assertion that ran at the base can no longer run or fail: it now sits after an unconditional exit
 * (`return`, `t.Skip()` in a test that already had a conditional skip), inside `if (false)`, or inside a
 * `try`/`except`/`catch_unwind` that swallows its failure, or in a callback the test does not wait for (a timer, an
 * unawaited `.then`, a thread). Code the base already had that way, conditions that
 * depend on something, and handlers that re-throw or check the error are not findings. A skip call that
 * `skip-marker-added` reports is left to it.
 */
export const assertionsUnreachable: GuardRule = {
  id: 'assertions-unreachable',
  check(context) {
    const neutralizers = fileNeutralizers(context);
    return context.pairs.flatMap(({ before, after }) => {
      // A test written as at the base can only be neutralized from outside: by a construct around its start.
      if (sameSource(before, after) && !neutralizerAt(neutralizers('after', after.path), after.line)) return [];
      // The base is read only when some assertion is neutralized now: most changed tests have none.
      const covered = after.assertions.some((assertion) =>
        neutralizerAt(neutralizers('after', after.path), assertion.line),
      );
      if (!covered) return [];
      const live = liveAssertions(before, neutralizers('before', before.path));
      const skipReported = after.markers.some((marker) => !before.markers.some((had) => had.kind === marker.kind));
      const byConstruct = new Map<Neutralizer, Assertion[]>();
      for (const assertion of after.assertions) {
        const neutralizer = neutralizerAt(neutralizers('after', after.path), assertion.line);
        if (!neutralizer || (neutralizer.kind === 'skip' && skipReported)) continue;
        const index = matchIndex(live, assertion);
        if (index === -1) continue;
        live.splice(index, 1);
        byConstruct.set(neutralizer, [...(byConstruct.get(neutralizer) ?? []), assertion]);
      }
      return [...byConstruct].map(([neutralizer, assertions]) => finding(after, neutralizer, assertions));
    });
  },
};

/** The neutralizers of each side of each changed file, read once. */
function fileNeutralizers(context: GuardContext): (side: Side, path: string) => readonly Neutralizer[] {
  const cache = new Map<string, Neutralizer[]>();
  return (side, path) => {
    const key = `${side}\0${path}`;
    let found = cache.get(key);
    if (!found) {
      const source = context.changed.find((file) => file.path === path)?.[side];
      found = source === undefined ? [] : neutralizersOf(path, source);
      cache.set(key, found);
    }
    return found;
  };
}

/** The base test's assertions that could run and fail at the base. */
function liveAssertions(test: TestCase, neutralizers: readonly Neutralizer[]): Assertion[] {
  return test.assertions.filter((assertion) => !neutralizerAt(neutralizers, assertion.line));
}

/** The base assertion this one is: the same code, or the same code but for its values. */
function matchIndex(live: readonly Assertion[], assertion: Assertion): number {
  const same = live.findIndex((candidate) => candidate.key === assertion.key);
  return same !== -1 ? same : live.findIndex((candidate) => candidate.skeleton === assertion.skeleton);
}

const effects: Record<Neutralizer['kind'], string> = {
  exit: 'never run: they come after',
  skip: 'never run: they come after',
  dead: 'never run: they are inside',
  swallowed: 'cannot fail: their failure is swallowed by',
  deferred: 'cannot fail the test: they run outside it, in',
  raised: 'never run: the expected error leaves',
};

function fix(neutralizer: Neutralizer): string {
  const where = `\`${neutralizer.construct}\` (line ${neutralizer.line})`;
  switch (neutralizer.kind) {
    case 'exit':
      return `delete ${where} so the assertions after it run again`;
    case 'skip':
      return `delete ${where} and make the test pass`;
    case 'dead':
      return `remove ${where} and put its body back in the test`;
    case 'deferred':
      return `put the body of ${where} back in the test, or make the test wait for it (await it, return it, call done)`;
    case 'swallowed':
      return `remove ${where} and keep its body, or let the failure through (re-throw it, or check the error or result)`;
    case 'raised':
      return `move them out of ${where}, after it, so they run once the expected error is caught`;
  }
}

function finding(test: TestCase, neutralizer: Neutralizer, assertions: Assertion[]): Finding {
  const shown = assertions
    .slice(0, 3)
    .map((assertion) => `\`${oneLine(assertion.text, 60)}\` (line ${assertion.line})`)
    .join(', ');
  const more = assertions.length > 3 ? ` and ${assertions.length - 3} more` : '';
  return {
    rule: 'assertions-unreachable',
    path: test.path,
    line: neutralizer.line,
    severity: 'block',
    message:
      `test "${testName(test)}": ${plural(assertions.length, 'assertion')} that ran at the base ${effects[neutralizer.kind]} ` +
      `\`${neutralizer.construct}\` (line ${neutralizer.line}): ${shown}${more}; ${fix(neutralizer)}`,
  };
}
