import type { ChangedFile } from '../changed-files.ts';
import { collectionOf } from '../collection/collection-of.ts';
import { collectionChanges } from '../collection/config-changes.ts';
import { type ConfigSide, configSide, isCollectionConfig } from '../collection/config-side.ts';
import type { Finding, GuardRule } from '../finding.ts';
import { declaredModules, mayDropModules, moduleFiles, testFunctionCount } from '../rust/module-declarations.ts';
import type { TestCase } from '../tests/test-case.ts';
import type { TestPair } from '../tests/test-changes.ts';
import { mayHoldTests } from '../tests/test-languages.ts';
import { listTests, plural } from './describe.ts';

/**
 * Tests moved (a file renamed with `git mv`, or deleted and written again elsewhere) to a file the test runner
 * does not collect, by its configuration after the change: `cart.test.js` -> `cart.tset.js` inside `test/`,
 * into `node_modules/`, a folder `exclude`d, outside `testpaths`, `testdata/`. The other rules match the tests
 * across files and find them all there, but they no longer run. A move between places the runner collects,
 * and any place whose configuration the guard cannot read, is not reported.
 */
export const testFileUncollected: GuardRule = {
  id: 'test-file-uncollected',
  reads: isCollectionConfig,
  readsAtBase: (changed) => {
    const rust = changed.some((file) => file.path.endsWith('.rs') && mayDropModules(file.before, file.after));
    if (rust) return (path) => isCollectionConfig(path) || path.endsWith('.rs');
    return mayMoveTests(changed) || collectionChanges(changed).length > 0 ? isCollectionConfig : undefined;
  },
  readsTestFilesAtBase: (changed) => collectionChanges(changed).length > 0,
  check({ base, pairs, changed, unchangedAtBase, testFilesAtBase }) {
    const now = configSide('after', changed, unchangedAtBase);
    const then = configSide('before', changed, unchangedAtBase);
    return [
      ...movedTests(this.id, base, pairs, changed, now, then),
      ...leftOutByConfig(this.id, base, changed, testFilesAtBase, now, then),
      ...undeclaredRustModules(this.id, base, changed, now, then),
    ];
  },
};

/** Tests moved to another file, which the runner does not collect. */
function movedTests(
  rule: string,
  base: string,
  pairs: readonly TestPair[],
  changed: readonly ChangedFile[],
  now: ConfigSide,
  then: ConfigSide,
): Finding[] {
  const moves = new Map<string, TestCase[]>();
  for (const { before, after } of pairs) {
    if (before.path === after.path) continue;
    const key = `${before.path}\0${after.path}`;
    moves.set(key, [...(moves.get(key) ?? []), after]);
  }
  if (moves.size === 0) return [];
  const statusOf = new Map(changed.map((file) => [file.path, file.status]));
  const findings: Finding[] = [];
  // A configuration changed into one the guard cannot read (a computed `include`, a runner it does not read)
  // does not make a place collected: the move is then judged by the base's configuration.
  const configChanged = changed.some((file) => isCollectionConfig(file.path));
  for (const [key, tests] of moves) {
    const [from = '', to = ''] = key.split('\0');
    let collection = collectionOf(to, now, then);
    if (collection.collected === 'unknown' && configChanged) {
      const atBase = collectionOf(to, then, then);
      if (atBase.collected === 'no') {
        collection = {
          ...atBase,
          reason: `${atBase.reason} (at ${base}; the configuration changed since into one the guard cannot read)`,
        };
      }
    }
    if (collection.collected !== 'no') continue;
    // A file the runner did not collect at the base either lost nothing by the move.
    if (collectionOf(from, then, then).collected === 'no') continue;
    const sorted = [...tests].sort((a, b) => a.line - b.line);
    const restore =
      statusOf.get(from) === 'deleted'
        ? `Move them back: git checkout ${base} -- ${from}` +
          (statusOf.get(to) === 'added' ? `, then delete ${to}` : '')
        : `Move them back to ${from}`;
    findings.push({
      rule,
      path: to,
      line: sorted[0]?.line ?? 1,
      severity: 'block',
      message:
        `${plural(tests.length, 'test')} moved here from ${from} (${listTests(sorted)}), but ${collection.runner} ` +
        `does not collect ${to}: ${collection.reason}. They would no longer run. ${restore}.`,
    });
  }
  return findings;
}

/**
 * Unchanged test files the runner collected at the base and, by the configuration changed, no longer does: an
 * `include` set where the runner's default was, `testpaths` narrowed, a `go.mod` added above them. One finding,
 * on the first changed configuration, naming the files (runner-config-narrowed says which setting narrowed).
 */
function leftOutByConfig(
  rule: string,
  base: string,
  changed: readonly ChangedFile[],
  testFiles: readonly string[] | undefined,
  now: ConfigSide,
  then: ConfigSide,
): Finding[] {
  const configs = collectionChanges(changed);
  const [first] = configs;
  if (!testFiles || !first) return [];
  const changedPaths = new Set(changed.map((file) => file.path));
  const lost: string[] = [];
  let why = '';
  for (const path of testFiles) {
    if (changedPaths.has(path)) continue;
    const collection = collectionOf(path, now, then);
    if (collection.collected !== 'no' || collectionOf(path, then, then).collected !== 'yes') continue;
    lost.push(path);
    why ||= `${collection.runner}: ${collection.reason}`;
  }
  if (lost.length === 0) return [];
  const shown = lost.slice(0, 5).join(', ') + (lost.length > 5 ? ` and ${lost.length - 5} more` : '');
  const restore = configs
    .map((file) => (file.status === 'added' ? `delete ${file.path}` : `git checkout ${base} -- ${file.path}`))
    .join('; ');
  return [
    {
      rule,
      path: first.path,
      line: 1,
      severity: 'block',
      message:
        `the change to ${configs.map((file) => file.path).join(', ')} leaves out ${plural(lost.length, 'test file')} ` +
        `the runner collected at ${base}: ${shown} (${why}). Their tests would no longer run. Restore: ${restore}.`,
    },
  ];
}

/**
 * A `mod tests;` line removed from a Rust file whose module file still holds tests: cargo no longer compiles
 * that file, so its tests are gone though the file is still there. Only module files beside the changed one
 * are read (`src/tests.rs` for `src/lib.rs`; a module folder of its own is not).
 */
function undeclaredRustModules(
  rule: string,
  base: string,
  changed: readonly ChangedFile[],
  now: ConfigSide,
  then: ConfigSide,
): Finding[] {
  return changed.flatMap((file): Finding[] => {
    if (!file.path.endsWith('.rs') || !mayDropModules(file.before, file.after)) return [];
    const kept = declaredModules(file.after ?? '');
    const had = declaredModules(file.before ?? '');
    // A module declared anew whose file holds tests may be the old one renamed (`mod unit_tests;`).
    const renamedTo = [...kept].filter(
      (name) => !had.has(name) && moduleFiles(file.path, name).some((path) => testFunctionCount(now(path) ?? '') > 0),
    );
    let renames = renamedTo.length;
    return [...had].flatMap((name): Finding[] => {
      if (kept.has(name)) return [];
      const paths = moduleFiles(file.path, name);
      const found = paths.find((path) => now(path) !== undefined);
      // The module's file gone too: its tests went to another file, which nothing may declare.
      const gone = found === undefined ? paths.find((path) => then(path) !== undefined) : undefined;
      if (gone !== undefined && renames > 0) {
        renames -= 1;
        return [];
      }
      const where = found ?? gone;
      const tests = where === undefined ? 0 : testFunctionCount((found ? now(found) : then(where)) ?? '');
      if (where === undefined || tests === 0) return [];
      const line =
        (file.before ?? '').split('\n').findIndex((text) => new RegExp(`\\bmod\\s+${name}\\s*;`).test(text)) + 1;
      return [
        {
          rule,
          path: file.path,
          line: Math.max(line, 1),
          severity: 'block',
          message:
            `${file.path} no longer declares \`mod ${name};\` (line ${line} at ${base}), so cargo no longer compiles ` +
            `${found ?? `the ${plural(tests, 'test')} of ${where} (now moved elsewhere)`}` +
            `${found ? `, which holds ${plural(tests, 'test')}` : ''}: they would no longer run. Restore the declaration.`,
        },
      ];
    });
  });
}

/** A changed file that held tests at the base and another that holds some now: tests may have moved. */
function mayMoveTests(changed: readonly ChangedFile[]): boolean {
  const from = changed.find((file) => file.before !== undefined && mayHoldTests(file.path));
  return (
    from !== undefined && changed.some((file) => file !== from && file.after !== undefined && mayHoldTests(file.path))
  );
}
