import type { ChangedFile } from '../changed-files.ts';
import { collectionOf } from '../collection/collection-of.ts';
import { type ConfigSide, configSide, isCollectionConfig } from '../collection/config-side.ts';
import type { Finding, GuardRule } from '../finding.ts';
import { testDataFolder } from '../tests/test-data-folders.ts';
import { isTestFile } from '../tests/test-languages.ts';
import { oneLine } from './describe.ts';

/**
 * Comments and attributes that silence a linter or a type checker where they stand: the gate goes green and the
 * error stays. By the language of the file they are written in.
 */
const suppressions: ReadonlyArray<{ file: RegExp; marker: RegExp }> = [
  {
    file: /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/,
    marker:
      /(?:\/\/|\/\*)\s*(?:eslint-disable(?:-next-line|-line)?|@ts-(?:ignore|expect-error|nocheck)|biome-ignore|oxlint-disable(?:-next-line|-line)?|deno-lint-ignore(?:-file)?|tslint:disable|jshint\s+ignore|@flow\s+weak|\$FlowFixMe|\$FlowIgnore)\b|\/\*\s*eslint\s+[\w@/-]+\s*:\s*["']?(?:off|0)\b/,
  },
  {
    file: /\.pyi?$/,
    marker:
      /#\s*(?:type:\s*ignore|noqa\b|pyright:\s*(?:ignore|basic)|pylint:\s*disable|mypy:\s*(?:ignore-errors|disable-error-code)|ruff:\s*noqa|pytype:\s*disable)/,
  },
  { file: /\.go$/, marker: /\/\/\s*(?:nolint\b|lint:ignore\b|#nosec\b)/ },
  { file: /\.rs$/, marker: /#!?\[\s*(?:allow|expect)\s*\(/ },
];

function markerOf(path: string): RegExp | undefined {
  return suppressions.find(({ file }) => file.test(path))?.marker;
}

/** A test file in a folder of test data (`tests/fixtures/test_x.py`): data, unless the runner collects it. */
const testFileInDataFolder = (path: string) => testDataFolder.test(path) && isTestFile(path);

/**
 * Whether the file at `path` is left out as test data: in a data folder (a linter's fixtures hold suppressions on
 * purpose), unless it is a test file the runner collects by its configuration (pytest and jest/vitest collect
 * `tests/fixtures/test_x.py` and `fixtures/x.test.ts` by default; go skips `testdata/`).
 */
function isTestData(path: string, now: ConfigSide, then: ConfigSide): boolean {
  if (!testDataFolder.test(path)) return false;
  return !isTestFile(path) || collectionOf(path, now, then).collected !== 'yes';
}

/**
 * The change silences a linter or type checker instead of fixing what it reports: `// eslint-disable-next-line`,
 * `// @ts-ignore`, `# type: ignore`, `# noqa`, `//nolint`, `#[allow(...)]` added. Only suppressions the base
 * did not have count: one moved with its line, or reworded, is no finding (the same count, the same lines).
 */
export const checksSuppressed: GuardRule = {
  id: 'checks-suppressed',
  reads: (path) => markerOf(path) !== undefined && (!testDataFolder.test(path) || isTestFile(path)),
  readsAtBase: (changed) => (changed.some((file) => testFileInDataFolder(file.path)) ? isCollectionConfig : undefined),
  check({ base, changed, unchangedAtBase }) {
    const now = configSide('after', changed, unchangedAtBase);
    const then = configSide('before', changed, unchangedAtBase);
    return changed.flatMap((file): Finding[] => {
      const marker = markerOf(file.path);
      if (!marker || file.status === 'deleted' || file.after === undefined) return [];
      if (isTestData(file.path, now, then)) return [];
      const added = addedSuppressions(file, marker);
      return added.map(({ line, text }) => ({
        rule: 'checks-suppressed',
        path: file.path,
        line,
        severity: 'block',
        message:
          `${file.path}:${line} silences a check (\`${oneLine(text, 80)}\`), which ${base} did not: the gate passes and ` +
          `the error stays. Remove it and fix what the checker reports.`,
      }));
    });
  },
};

/**
 * The suppressing lines of the new file beyond those of the base, matched by the suppression itself (from its
 * marker to the end of the line, spaces ignored): editing the code on a line that already had one is no finding.
 */
function addedSuppressions(file: ChangedFile, marker: RegExp): Array<{ line: number; text: string }> {
  const key = (text: string) => text.slice(Math.max(0, text.search(marker))).replace(/\s+/g, '');
  const atBase = new Map<string, number>();
  for (const text of (file.before ?? '').split('\n')) {
    if (marker.test(text)) atBase.set(key(text), (atBase.get(key(text)) ?? 0) + 1);
  }
  const added: Array<{ line: number; text: string }> = [];
  (file.after ?? '').split('\n').forEach((text, index) => {
    if (!marker.test(text)) return;
    const left = atBase.get(key(text)) ?? 0;
    if (left > 0) atBase.set(key(text), left - 1);
    else added.push({ line: index + 1, text: text.trim() });
  });
  return added;
}
