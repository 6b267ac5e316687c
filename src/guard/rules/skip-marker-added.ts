import type { Finding, GuardContext, GuardRule } from '../finding.ts';
import type { TestCase, TestMarker } from '../tests/test-case.ts';
import { testName } from '../tests/test-changes.ts';
import { plural } from './describe.ts';

/**
 * A skip/only/todo marker now applies to a test that it did not apply to at the base. On a new test only
 * `.only` blocks (it silences every other test); a new test that starts skipped is a warning.
 */
export const skipMarkerAdded: GuardRule = {
  id: 'skip-marker-added',
  check({ pairs, added, changed }) {
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
    return [...hits.values()].map(markerFinding(this.id)).concat(testMainsWithoutRun(changed, pairs));
  },
};

function markerFinding(rule: string) {
  return ({
    marker,
    path,
    tests,
    existing,
  }: {
    marker: TestMarker;
    path: string;
    tests: TestCase[];
    existing: boolean;
  }): Finding => {
    const names = tests.map((test) => `"${testName(test)}"`);
    const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
    const effect =
      marker.kind === 'only'
        ? 'every other test in the file stops running'
        : `${plural(tests.length, 'test')} no longer ${tests.length === 1 ? 'runs' : 'run'} (${shown})`;
    return {
      rule,
      path,
      line: marker.line,
      severity: existing || marker.kind === 'only' ? 'block' : 'warn',
      message: `\`${marker.text}\` added: ${effect}. Remove it${marker.kind === 'only' ? '' : ' and make the test pass'}`,
    };
  };
}

/** `func TestMain(m *testing.M) {`: go test calls it instead of running the package's tests itself. */
const testMainStart = /^func\s+TestMain\s*\(\s*(\w+)\s+\*testing\.M\s*\)\s*\{/m;

/** The TestMain of a Go test file that never calls `m.Run()`, with its line; undefined when there is none. */
function testMainWithoutRun(source: string | undefined): number | undefined {
  const start = source === undefined ? null : testMainStart.exec(source);
  if (!start || source === undefined) return undefined;
  const end = source.indexOf('\n}', start.index);
  const body = source.slice(start.index + start[0].length, end === -1 ? undefined : end);
  if (new RegExp(`\\b${start[1]}\\s*\\.\\s*Run\\s*\\(`).test(body)) return undefined;
  return source.slice(0, start.index).split('\n').length;
}

/**
 * A Go `TestMain` that does not call `m.Run()`, new or changed so: no test of its package runs, and `go test`
 * passes. The package's tests in the change are named; the other files of the package count as much.
 */
function testMainsWithoutRun(changed: GuardContext['changed'], pairs: GuardContext['pairs']): Finding[] {
  return changed.flatMap((file): Finding[] => {
    if (!file.path.endsWith('_test.go')) return [];
    const line = testMainWithoutRun(file.after);
    if (line === undefined || testMainWithoutRun(file.before) !== undefined) return [];
    const folder = file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/') + 1) : '';
    const tests = pairs
      .map(({ after }) => after)
      .filter((test) => test.path.startsWith(folder) && !test.path.slice(folder.length).includes('/'));
    const names = tests.slice(0, 3).map((test) => `"${testName(test)}"`);
    const shown =
      names.length === 0 ? '' : ` (${names.join(', ')}${tests.length > 3 ? ` and ${tests.length - 3} more` : ''})`;
    return [
      {
        rule: 'skip-marker-added',
        path: file.path,
        line,
        severity: 'block',
        message:
          `\`func TestMain\` without \`m.Run()\` added: go test calls it instead of the tests of ${folder || 'the root package'}, ` +
          `so none of them runs${shown}. Call m.Run() in it (os.Exit(m.Run())), or delete it`,
      },
    ];
  });
}
