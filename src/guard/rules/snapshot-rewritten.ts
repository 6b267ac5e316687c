import type { ChangedFile } from '../changed-files.ts';
import type { Finding, GuardRule } from '../finding.ts';

/** Snapshot and golden files of jest/vitest, syrupy, insta, cupaloy, Playwright and Go's testdata convention (more below). */
const snapshotPaths = [
  /(?:^|\/)__snapshots__\//, // jest and vitest `.snap`, syrupy `.ambr` and its single-file snapshots
  /(?:^|\/)snapshots\/[^/]+\.snap$/, // insta
  /(?:^|\/)\.snapshots\//, // cupaloy
  /(?:^|\/)testdata\/(?:.+\/)?[^/]+\.golden$/, // Go golden files
  /(?:^|\/)[^/]+-snapshots\//, // Playwright's `toHaveScreenshot`/`toMatchSnapshot` baselines beside the spec
  /(?:^|\/)__screenshots__\//, // the usual custom `snapshotPathTemplate` of Playwright, and vitest browser mode
];

/** Where each entry of a many-snapshot file starts: jest/vitest `exports[`...`] = `, syrupy `# name: `. */
const entryHeaders: { file: RegExp; header: RegExp }[] = [
  { file: /__snapshots__\/[^/]+\.snap$/, header: /^exports\[`(.*)`\] = / },
  { file: /__snapshots__\/[^/]+\.ambr$/, header: /^# name: (.*)$/ },
];

/** Folders that hold a project's tests and their data. */
const testFolder = '(?:^|/)(?:tests?|__tests__|specs?|testdata|fixtures|__fixtures__)/(?:.+/)?';
/**
 * Expected outputs that tests compare with, by their names: `tests/fixtures/expected.json`,
 * `test/cases/parse.expected.txt`, `testdata/render.out`, `tests/expected/page.html`, ApprovalTests'
 * `*.approved.txt`. Code files are left out: `tests/test_expected_values.py` is a test, not its data.
 */
const expectedOutputPaths = [
  new RegExp(`${testFolder}(?:[^/]*[._-])?(?:expected|golden|approved|wanted|want)(?:[._-][^/]*)?$`, 'i'),
  new RegExp(`${testFolder}(?:expected|golden|approved|outputs?|wants?)/[^/]+$`, 'i'),
  new RegExp(String.raw`${testFolder}[^/]+\.(?:out|golden|want|expected|approved)(?:\.[A-Za-z0-9]+)?$`),
  /\.approved\.[A-Za-z0-9]+$/,
];
const codeFile = /\.(?:[cm]?[jt]sx?|py|go|rs|rb|java|kt|cs|php|swift|c|h|cc|cpp|hpp|sh)$/;

export function isSnapshotFile(path: string): boolean {
  return (
    snapshotPaths.some((pattern) => pattern.test(path)) ||
    (!codeFile.test(path) && expectedOutputPaths.some((pattern) => pattern.test(path)))
  );
}

/**
 * An existing snapshot was changed or deleted: the expected output of a test was rewritten to match what the
 * code does now. New snapshot files, and new entries in a snapshot file, are not reported.
 */
export const snapshotRewritten: GuardRule = {
  id: 'snapshot-rewritten',
  reads: isSnapshotFile,
  check({ base, changed }) {
    return changed.flatMap((file): Finding[] => {
      if (file.status === 'added' || !isSnapshotFile(file.path)) return [];
      const change = describeChange(file);
      if (!change) return [];
      return [
        {
          rule: this.id,
          path: file.path,
          line: change.line,
          severity: 'block',
          message:
            `${snapshotPaths.some((pattern) => pattern.test(file.path)) ? 'snapshot' : 'expected output'} rewritten: ` +
            `${change.what}. If the output change is intended, a human must approve it; ` +
            `restore: git checkout ${base} -- ${file.path}`,
        },
      ];
    });
  },
};

/** What changed in a snapshot file, and the first line it changed at; undefined when nothing existing changed. */
function describeChange({ path, before, after }: ChangedFile): { what: string; line: number } | undefined {
  if (after === undefined) return { what: 'the snapshot file was deleted', line: 1 };
  if (before === undefined || before === after) return undefined;
  const header = entryHeaders.find((format) => format.file.test(path))?.header;
  if (!header) return { what: 'its content changed', line: firstChangedLine(before, after) };
  const was = snapshotEntries(before, header);
  const now = snapshotEntries(after, header);
  if (was.size === 0) return { what: 'its content changed', line: firstChangedLine(before, after) };
  const changedNames = [...was.keys()].filter((name) => now.get(name)?.text !== was.get(name)?.text);
  const [first] = changedNames;
  if (first === undefined) return undefined;
  const shown = changedNames.slice(0, 5).map((name) => `"${name}"${now.has(name) ? '' : ' (removed)'}`);
  const more = changedNames.length > shown.length ? ` and ${changedNames.length - shown.length} more` : '';
  return {
    what: `${changedNames.length} existing ${changedNames.length === 1 ? 'entry' : 'entries'} changed: ${shown.join(', ')}${more}`,
    line: now.get(first)?.line ?? firstChangedLine(before, after),
  };
}

/** The entries of a many-snapshot file by name, each with its text and the line of its header. */
function snapshotEntries(source: string, header: RegExp): Map<string, { text: string; line: number }> {
  const entries = new Map<string, { text: string; line: number }>();
  let current: { text: string; line: number } | undefined;
  source.split(/\r?\n/).forEach((line, index) => {
    const name = header.exec(line)?.[1];
    if (name !== undefined) {
      current = { text: '', line: index + 1 };
      entries.set(name, current);
    }
    if (current) current.text += `${line}\n`;
  });
  for (const entry of entries.values()) entry.text = entry.text.trimEnd();
  return entries;
}

function firstChangedLine(before: string, after: string): number {
  const was = before.split('\n');
  const now = after.split('\n');
  const index = now.findIndex((line, at) => line !== was[at]);
  return index === -1 ? Math.max(1, now.length) : index + 1;
}
