import type { ChangedFile } from '../changed-files.ts';
import { collectionOf } from '../collection/collection-of.ts';
import { collectionChanges } from '../collection/config-changes.ts';
import { type ConfigSide, configSide, isCollectionConfig } from '../collection/config-side.ts';
import type { Finding, GuardRule } from '../finding.ts';
import { mayDropModules, moduleDeclarations, testFunctionCount } from '../rust/module-declarations.ts';
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
    const rust = changed.some(
      (file) => file.path.endsWith('.rs') && mayDropModules(file.path, file.before, file.after),
    );
    if (rust) return (path) => isCollectionConfig(path) || path.endsWith('.rs');
    return mayMoveTests(changed) || collectionChanges(changed).length > 0 ? isCollectionConfig : undefined;
  },
  // The module file of a Rust declaration may sit in a folder no changed file is in (`src/cart/tests/mod.rs`).
  foldersAtBase: (changed) =>
    changed.flatMap((file) =>
      file.path.endsWith('.rs') && mayDropModules(file.path, file.before, file.after)
        ? [...moduleDeclarations(file.path, file.before ?? '').values()].flatMap((declaration) =>
            declaration.files.map((path) => path.slice(0, path.lastIndexOf('/') + 1)).filter(Boolean),
          )
        : [],
    ),
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
 * A `mod tests;` line removed from a Rust file, or pointed at another file (`#[path = "..."]` added or changed),
 * while the module's file at the base still holds tests: cargo no longer compiles that file, so its tests are
 * gone though the file is still there. Only the module files the declarations name are read (`src/tests.rs` or
 * `src/tests/mod.rs` for `src/lib.rs`, a `#[path]`'s file).
 */
function undeclaredRustModules(
  rule: string,
  base: string,
  changed: readonly ChangedFile[],
  now: ConfigSide,
  then: ConfigSide,
): Finding[] {
  return changed.flatMap((file): Finding[] => {
    if (!file.path.endsWith('.rs') || !mayDropModules(file.path, file.before, file.after)) return [];
    const kept = moduleDeclarations(file.path, file.after ?? '');
    const had = moduleDeclarations(file.path, file.before ?? '');
    const compiledNow = new Set([...kept.values()].flatMap((declaration) => declaration.files));
    // A module declared anew (or pointed elsewhere) whose file holds tests may be the old one moved.
    const renamedTo = [...kept.values()].filter(
      (declaration) =>
        had.get(declaration.name)?.files.join('\0') !== declaration.files.join('\0') &&
        declaration.files.some((path) => testFunctionCount(now(path) ?? '') > 0),
    );
    let renames = renamedTo.length;
    return [...had.values()].flatMap((declaration): Finding[] => {
      const { name, files: paths } = declaration;
      if (kept.get(name)?.files.join('\0') === paths.join('\0')) return [];
      const found = paths.find((path) => now(path) !== undefined);
      if (found !== undefined && compiledNow.has(found)) return [];
      // The module's file gone too: its tests went to another file, which nothing may declare.
      const gone = found === undefined ? paths.find((path) => then(path) !== undefined) : undefined;
      if (gone !== undefined && renames > 0) {
        renames -= 1;
        return [];
      }
      const where = found ?? gone;
      const tests = where === undefined ? 0 : testFunctionCount((found ? now(found) : then(where)) ?? '');
      if (where === undefined || tests === 0) return [];
      const { line } = declaration;
      const pointed = kept.get(name);
      const change = pointed
        ? `now points \`mod ${name};\` (line ${pointed.line}) at ${pointed.files.join(' or ')} instead`
        : `no longer declares \`mod ${name};\` (line ${line} at ${base})`;
      return [
        {
          rule,
          path: file.path,
          line: pointed?.line ?? line,
          severity: 'block',
          message:
            `${file.path} ${change}, so cargo no longer compiles ` +
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
