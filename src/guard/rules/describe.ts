import type { TestCase } from '../tests/test-case.ts';
import { testName } from '../tests/test-changes.ts';

const shownAtMost = 5;

/** `"a > b" (line 3), "c" (line 9)` with the rest counted, for messages that must name what to restore. */
export function listTests(tests: readonly TestCase[]): string {
  const shown = tests.slice(0, shownAtMost).map((test) => `"${testName(test)}" (line ${test.line})`);
  const more = tests.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** Source on one line, cut to a readable length. */
export function oneLine(text: string, limit = 100): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > limit ? `${flat.slice(0, limit - 1)}…` : flat;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
