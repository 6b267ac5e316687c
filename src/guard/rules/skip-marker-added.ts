import type { Finding, GuardRule } from '../finding.ts';
import type { TestCase, TestMarker } from '../tests/test-case.ts';
import { testName } from '../tests/test-changes.ts';
import { plural } from './describe.ts';

/**
 * A skip/only/todo marker now applies to a test that it did not apply to at the base. On a new test only
 * `.only` blocks (it silences every other test); a new test that starts skipped is a warning.
 */
export const skipMarkerAdded: GuardRule = {
  id: 'skip-marker-added',
  check({ pairs, added }) {
    const hits = new Map<string, { marker: TestMarker; path: string; tests: TestCase[]; existing: boolean }>();
    const note = (test: TestCase, markers: TestMarker[], existing: boolean) => {
      for (const marker of markers) {
        const key = `${test.path}:${marker.line}:${marker.text}`;
        const hit = hits.get(key) ?? { marker, path: test.path, tests: [], existing: false };
        hit.tests.push(test);
        hit.existing ||= existing;
        hits.set(key, hit);
      }
    };
    for (const { before, after } of pairs) {
      const had = new Set(before.markers.map((marker) => marker.kind));
      note(
        after,
        after.markers.filter((marker) => !had.has(marker.kind)),
        true,
      );
    }
    for (const test of added) note(test, test.markers, false);
    return [...hits.values()].map(({ marker, path, tests, existing }): Finding => {
      const names = tests.map((test) => `"${testName(test)}"`);
      const shown =
        names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
      const effect =
        marker.kind === 'only'
          ? 'every other test in the file stops running'
          : `${plural(tests.length, 'test')} no longer ${tests.length === 1 ? 'runs' : 'run'} (${shown})`;
      return {
        rule: this.id,
        path,
        line: marker.line,
        severity: existing || marker.kind === 'only' ? 'block' : 'warn',
        message: `\`${marker.text}\` added: ${effect}. Remove it${marker.kind === 'only' ? '' : ' and make the test pass'}`,
      };
    });
  },
};
