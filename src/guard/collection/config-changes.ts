import type { ChangedFile } from '../changed-files.ts';
import { conftestSettings } from '../runner-config/conftest-ignores.ts';
import { pytestSettings } from '../runner-config/pytest-config.ts';
import { isTestTaskName } from '../runner-config/test-task.ts';
import { isCollectionConfig } from './config-side.ts';

const runnerPackages = ['vitest', 'jest', 'ava', 'mocha'];

/**
 * The changed files that may change which test files a runner collects: a runner's own config, pytest's
 * section of a shared file, the test scripts, runner settings and runner versions of a package.json, a
 * conftest.py's ignores, a go.mod added or removed. A package.json whose other fields changed (a dependency
 * bumped) is not one: judging one costs a listing of the whole base.
 */
export function collectionChanges(changed: readonly ChangedFile[]): ChangedFile[] {
  return changed.filter((file) => isCollectionConfig(file.path) && changesCollection(file));
}

function changesCollection(file: ChangedFile): boolean {
  const name = file.path.slice(file.path.lastIndexOf('/') + 1);
  if (name === 'go.mod') return file.status !== 'modified';
  const { before, after } = file;
  if (name === 'package.json') return differ(before, after, packageCollection);
  if (name === 'conftest.py')
    return differ(before, after, (source) =>
      conftestSettings(source).flatMap((s) => (s.kind === 'excludes' ? s.values : [])),
    );
  if (['pyproject.toml', 'setup.cfg', 'tox.ini'].includes(name)) {
    return differ(before, after, (source) =>
      pytestSettings(name, source).map(({ line: _line, ...setting }) => setting),
    );
  }
  return true;
}

/** Whether `read` gives other results on the two sides; a side that cannot be read differs. */
function differ(before: string | undefined, after: string | undefined, read: (source: string) => unknown): boolean {
  try {
    const of = (source: string | undefined) => JSON.stringify(source === undefined ? null : read(source));
    return of(before) !== of(after);
  } catch {
    return true;
  }
}

/** What of a package.json decides what its runners collect. */
function packageCollection(source: string): unknown {
  const pkg = JSON.parse(source) as Record<string, Record<string, unknown> | undefined>;
  const scripts = Object.entries(pkg.scripts ?? {}).filter(([name]) => isTestTaskName(name));
  const versions = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((key) =>
    runnerPackages.map((name) => pkg[key]?.[name] ?? null),
  );
  return [scripts, versions, pkg.jest ?? null, pkg.ava ?? null, pkg.mocha ?? null];
}
