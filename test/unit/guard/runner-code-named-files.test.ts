import { describe, expect, it } from 'vitest';
import { guardSchema } from '../../../src/config/guard-schema.ts';
import type { ChangedFile } from '../../../src/guard/changed-files.ts';
import type { Finding } from '../../../src/guard/finding.ts';
import { runnerCodeLoaded } from '../../../src/guard/rules/runner-code-loaded.ts';
import { runGuard } from '../../../src/guard/run-guard.ts';
import { git, gitdir } from '../../support/gitdir.ts';
import { writeFiles } from '../../support/write-files.ts';
import { contextForChange } from './changed-context.ts';
import { jest, pkg, vitest } from './runner-code-cases.ts';

/** A context for several changed files, with configs the change left alone at the base. */
function findingsForChanges(changed: ChangedFile[], unchanged: Record<string, string> = {}): Finding[] {
  const context = contextForChange('README.md', '# a\n', '# b\n');
  return runnerCodeLoaded.check({ ...context, changed, unchangedAtBase: new Map(Object.entries(unchanged)) });
}

const modified = (path: string, before: string, after: string): ChangedFile => ({
  path,
  status: 'modified',
  before,
  after,
});

const patchExpect = "import { expect } from 'vitest';\nexpect.extend({ toBe: () => ({ pass: true }) });\n";

describe('runner-code-loaded: files a config names', () => {
  it('blocks a setup file changed while its config, unchanged, names it', () => {
    const findings = findingsForChanges([modified('test/setup.ts', "process.env.TZ = 'UTC';\n", patchExpect)], {
      'vitest.config.ts': vitest(`{ setupFiles: ['./test/setup.ts'] }`),
    });
    expect(findings).toMatchObject([{ rule: 'runner-code-loaded', path: 'test/setup.ts', line: 1, severity: 'block' }]);
    expect(findings[0]?.message).toBe(
      '`test/setup.ts` changed (line 1): vitest.config.ts:4 test.setupFiles names it, so vitest runs it before the tests. Restore it: git checkout main -- test/setup.ts',
    );
  });

  it.each([
    [
      'jest <rootDir> without extension',
      'jest.config.js',
      jest(`{ globalSetup: '<rootDir>/jest/global' }`),
      'jest/global.js',
    ],
    [
      'a nested config, relative to its folder',
      'web/vite.config.ts',
      vitest(`{ setupFiles: 'setup/dom.ts' }`),
      'web/setup/dom.ts',
    ],
    ['a folder index', 'jest.config.ts', `export default { setupFiles: ['./jest-setup'] };\n`, 'jest-setup/index.ts'],
    [
      'the module a config imports',
      'vitest.config.ts',
      `import shared from './vitest.shared';\nexport default shared;\n`,
      'vitest.shared.ts',
    ],
    ['a preload of .npmrc', 'pkg/.npmrc', 'node-options=--require ./boot.cjs\n', 'pkg/boot.cjs'],
    ['a preload of NODE_OPTIONS in .env', '.env', 'NODE_OPTIONS="--import ./test/hook.mjs"\n', 'test/hook.mjs'],
    ['a preload of the test script', 'package.json', pkg({ test: 'node -r ./test/env.cjs --test' }), 'test/env.cjs'],
    ['a mocha require', '.mocharc.json', '{ "require": ["test/support/env.js"] }', 'test/support/env.js'],
    ['a plugin of pytest addopts', 'pytest.ini', '[pytest]\naddopts = -p tests.timing\n', 'tests/timing.py'],
    [
      'a plugin package of pytest_plugins',
      'tests/conftest.py',
      'pytest_plugins = ("plugins.db",)\n',
      'src/plugins/db/__init__.py',
    ],
    [
      'a pytest11 entry point',
      'pyproject.toml',
      '[project.entry-points.pytest11]\ntiming = "shop.timing"\n',
      'src/shop/timing.py',
    ],
  ])('blocks a change to %s', (_, config, source, setup) => {
    const findings = findingsForChanges([modified(setup, 'export const a = 1;\n', 'export const a = 2;\n')], {
      [config]: source,
    });
    expect(findings.map((finding) => finding.path)).toEqual([setup]);
  });

  it('passes the setup file reformatted or commented, and files no config names', () => {
    const config = { 'vitest.config.ts': vitest(`{ setupFiles: ['./test/setup.ts'] }`) };
    const reformatted = modified(
      'test/setup.ts',
      "process.env.TZ = 'UTC'\n",
      '// dates in UTC\nprocess.env.TZ = "UTC";\n',
    );
    const source = modified('src/price.ts', 'export const a = 1;\n', 'export const a = 2;\n');
    const other = modified('test/setup-old.ts', 'export const a = 1;\n', 'export const a = 2;\n');
    expect(findingsForChanges([reformatted, source, other], config)).toEqual([]);
  });

  it('reads the base only when a code file changed, and then the configs that may name it', () => {
    const readsAtBase = (changed: ChangedFile[]) => runnerCodeLoaded.readsAtBase?.(changed);
    expect(readsAtBase([modified('README.md', 'a', 'b')])).toBeUndefined();
    expect(readsAtBase([{ path: 'src/a.ts', status: 'deleted', before: 'x', after: undefined }])).toBeUndefined();
    const reads = readsAtBase([modified('src/a.ts', 'a', 'b')]);
    const configs = [
      'vitest.config.ts',
      'a/jest.config.cjs',
      'package.json',
      '.npmrc',
      '.env.test',
      'tests/conftest.py',
    ];
    expect(configs.every((path) => reads?.(path))).toBe(true);
    expect(['src/b.ts', 'tests/test_a.py', 'README.md'].some((path) => reads?.(path))).toBe(false);
  });
});

describe('runner-code-loaded: in a repository', () => {
  const webConfig = vitest(`{ setupFiles: ['./setup/dom.ts'] }`);

  it('finds the setup file a nested config names, reading the config from the base commit', async () => {
    const repoRoot = await gitdir({ files: { 'web/vite.config.ts': webConfig, 'web/setup/dom.ts': 'export {};\n' } });
    // The working tree's config no longer names the file: the base's still does, and it judges.
    writeFiles(repoRoot, { 'web/setup/dom.ts': patchExpect, 'web/vite.config.ts': vitest('{}') });
    await git(repoRoot, 'commit', '-qam', 'agent turn');
    const { findings } = await runGuard({ repoRoot, base: 'HEAD~1' });
    expect(findings.map((finding) => `${finding.rule} ${finding.path}:${finding.line}`)).toEqual([
      'runner-code-loaded web/setup/dom.ts:1',
    ]);
    expect(findings[0]?.message).toContain('web/vite.config.ts:4 test.setupFiles names it');
  });

  it('follows its guard.rules policy', async () => {
    const repoRoot = await gitdir({ files: { 'package.json': pkg({ test: 'node --test' }) } });
    writeFiles(repoRoot, { 'package.json': pkg({ test: 'node --import ./x.mjs --test' }) });
    const severities = async (policy: 'warn' | 'off' | 'ask') => {
      const config = guardSchema.parse({ rules: { 'runner-code-loaded': policy } });
      return (await runGuard({ repoRoot, config })).findings.map((finding) => `${finding.rule} ${finding.severity}`);
    };
    expect((await runGuard({ repoRoot })).findings.map((finding) => finding.severity)).toEqual(['block']);
    expect(await severities('warn')).toEqual(['runner-code-loaded warn']);
    expect(await severities('ask')).toEqual(['runner-code-loaded ask']);
    expect(await severities('off')).toEqual([]);
  });
});
