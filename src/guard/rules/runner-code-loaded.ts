import type { ChangedFile } from '../changed-files.ts';
import type { Finding, GuardRule } from '../finding.ts';
import { firstCodeChange } from '../runner-code/code-shape.ts';
import type { LoadPoint, NamedFile } from '../runner-code/load-point.ts';
import { runsBeforeTests } from '../runner-code/python-loads.ts';
import { isLoadFile, loadsOf, mayNameSetupFiles } from '../runner-code/runner-loads.ts';
import { shadowedBy } from '../runner-code/shadowing-files.ts';
import { oneLine } from './describe.ts';

/** Files that may be setup files some config names: their contents are compared as code. */
const codeFile = /\.(?:[cm]?[jt]sx?|py|json|pth)$/;

/**
 * The change makes a test runner load code that is not a test: NODE_OPTIONS or `.npmrc` `node-options` with a
 * preload, `--require`/`--import` on a test command, jest/vitest/mocha/ava setup files, aliases and
 * transforms, conftest.py, sitecustomize.py, `.pth` files, pytest plugins, PYTHONPATH — or a setup file that
 * a config names changed. Such code runs before every test and can make failing tests pass. Reformatting and
 * comments are not reported; neither is taking a setting away.
 */
export const runnerCodeLoaded: GuardRule = {
  id: 'runner-code-loaded',
  reads: (path) => isLoadFile(path) || runsBeforeTests(path) !== undefined || codeFile.test(path),
  readsAtBase: (changed) =>
    changed.some((file) => file.status !== 'deleted' && codeFile.test(file.path)) ? mayNameSetupFiles : undefined,
  check({ base, changed, unchangedAtBase }) {
    const findings: Finding[] = [];
    const named: NamedFile[] = [];
    const reported = new Set<string>();
    const restore = (file: ChangedFile) =>
      file.status === 'added'
        ? `Delete ${file.path}: it is not in ${base}.`
        : `Restore it: git checkout ${base} -- ${file.path}`;
    const finding = (file: ChangedFile, line: number, message: string): Finding => ({
      rule: 'runner-code-loaded',
      path: file.path,
      line,
      severity: 'block',
      message: `${message} ${restore(file)}`,
    });
    for (const file of changed) {
      if (file.status === 'deleted') continue;
      const whole = runsBeforeTests(file.path);
      const codeLine = whole === undefined ? undefined : changedCodeLine(file);
      if (whole !== undefined && codeLine !== undefined) {
        reported.add(file.path);
        findings.push(finding(file, codeLine, `\`${file.path}\` ${describeChange(file, codeLine)}: ${whole}.`));
      }
      if (!isLoadFile(file.path)) continue;
      const before = loadsOf(file.path, file.before);
      const after = loadsOf(file.path, file.after);
      named.push(...before.named, ...after.named);
      if (reported.has(file.path)) continue;
      for (const point of gainedPoints(before.points, after.points)) {
        reported.add(file.path);
        findings.push(finding(file, point.line, describePoint(point, before.points, base)));
      }
    }
    findings.push(...shadowingFindings(changed, reported, finding));
    for (const [path, source] of unchangedAtBase ?? []) named.push(...loadsOf(path, source).named);
    for (const file of changed) {
      if (file.status === 'deleted' || reported.has(file.path) || !codeFile.test(file.path)) continue;
      const namer = named.find((candidate) => candidate.matches(file.path));
      const line = namer === undefined ? undefined : changedCodeLine(file);
      if (!namer || line === undefined) continue;
      reported.add(file.path);
      findings.push(
        finding(
          file,
          line,
          `\`${file.path}\` ${describeChange(file, line)}: ${namer.by} names it, so ${namer.runner} runs it before the tests.`,
        ),
      );
    }
    return findings;
  },
};

/**
 * Files added or changed where the runner finds itself or its packages (a dependency folder, `pytest.py` at the
 * top): one finding per package or module, whatever the file holds (an empty `pytest.py` is enough).
 */
function shadowingFindings(
  changed: readonly ChangedFile[],
  reported: Set<string>,
  finding: (file: ChangedFile, line: number, message: string) => Finding,
): Finding[] {
  const places = new Map<string, { file: ChangedFile; reason: string; count: number }>();
  for (const file of changed) {
    const shadow = file.status === 'deleted' || reported.has(file.path) ? undefined : shadowedBy(file.path);
    if (!shadow) continue;
    reported.add(file.path);
    const seen = places.get(shadow.place);
    if (seen) seen.count++;
    else places.set(shadow.place, { file, reason: shadow.reason, count: 1 });
  }
  return [...places.values()].map(({ file, reason, count }) =>
    finding(file, 1, `${reason}${count > 1 ? ` (${count} files there; the first: \`${file.path}\`)` : ''}.`),
  );
}

/**
 * The line of the first code change of a file that is there now; undefined for formatting only, and for a
 * new file with no code (an empty `__init__.py`).
 */
function changedCodeLine(file: ChangedFile): number | undefined {
  if (file.after === undefined) return undefined;
  return firstCodeChange(file.path, file.before ?? '', file.after);
}

function describeChange(file: ChangedFile, line: number): string {
  return file.status === 'added' ? 'was added' : `changed (line ${line})`;
}

const keyOf = (point: LoadPoint) => `${point.setting}\0${point.value}`;

/** Settings with a value they did not have at the base: set anew or changed. */
function gainedPoints(before: readonly LoadPoint[], after: readonly LoadPoint[]): LoadPoint[] {
  const had = new Set(before.map(keyOf));
  const seen = new Set<string>();
  return after.filter((point) => {
    const key = keyOf(point);
    if (had.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describePoint(point: LoadPoint, before: readonly LoadPoint[], base: string): string {
  const was = before.filter((old) => old.setting === point.setting).map((old) => `\`${oneLine(old.value)}\``);
  const wasText = was.length > 0 ? [...new Set(was)].join(', ') : 'not set';
  return (
    `\`${point.setting}\` now loads \`${oneLine(point.value)}\` (${base}: ${wasText}); ` +
    `${point.runner} loads it before the tests.`
  );
}
