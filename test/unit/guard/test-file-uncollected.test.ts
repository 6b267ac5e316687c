import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGuard } from '../../../src/guard/run-guard.ts';
import { git, gitdir } from '../../support/gitdir.ts';
import { writeFiles } from '../../support/write-files.ts';

const cartTest =
  "import { expect, test } from 'vitest';\nimport { total } from '../src/cart.js';\n\ntest('sums the cart', () => {\n  expect(total([1, 2])).toBe(3);\n});\n";
const calcTest = 'from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n';
const goTest =
  'package calc\n\nimport "testing"\n\nfunc TestAdd(t *testing.T) {\n\tif Add(2, 3) != 5 {\n\t\tt.Fatal("add")\n\t}\n}\n';

const vitestProject = {
  'package.json':
    '{ "type": "module", "scripts": { "test": "vitest run" }, "devDependencies": { "vitest": "^4.0.0" } }\n',
  'src/cart.js': 'export const total = (items) => items.reduce((a, b) => a + b, 0);\n',
  'test/cart.test.js': cartTest,
};
const jestProject = {
  'package.json': '{ "scripts": { "test": "jest" }, "devDependencies": { "jest": "^30.0.0" } }\n',
  'src/cart.js': 'export const total = (items) => items.reduce((a, b) => a + b, 0);\n',
  'src/cart.test.js': cartTest.replace('../src/cart.js', './cart.js'),
};
const pytestProject = {
  'pytest.ini': '[pytest]\naddopts = -q\n',
  'calc.py': 'def add(a, b):\n    return a + b\n',
  'tests/test_calc.py': calcTest,
};
const goProject = {
  'go.mod': 'module example.com/calc\n\ngo 1.22\n',
  'calc.go': 'package calc\n\nfunc Add(a, b int) int { return a + b }\n',
  'calc_test.go': goTest,
};

interface Move {
  files: Record<string, string>;
  from: string;
  to: string;
  /** `git mv` (staged), or a plain rename (deleted and written again, untracked). */
  how?: 'git mv' | 'rename';
  /** Files written after the move (a config edited alongside). */
  alongside?: Record<string, string>;
}

async function guardMove({ files, from, to, how = 'git mv', alongside = {} }: Move) {
  const repo = await gitdir({ files: { 'README.md': '# fixture\n', ...files } });
  mkdirSync(join(repo, dirname(to)), { recursive: true });
  if (how === 'git mv') await git(repo, 'mv', from, to);
  else renameSync(join(repo, from), join(repo, to));
  writeFiles(repo, alongside);
  const { findings } = await runGuard({ repoRoot: repo });
  return findings.filter((finding) => finding.severity === 'block');
}

function without(files: Record<string, string>, path: string): Record<string, string> {
  const { [path]: _left, ...rest } = files;
  return rest;
}

const uncollected = (findings: Awaited<ReturnType<typeof guardMove>>) =>
  findings.filter((finding) => finding.rule === 'test-file-uncollected');

describe('test-file-uncollected: tests moved where the runner does not collect them', () => {
  it.each<[string, Move, RegExp]>([
    [
      'vitest: a renamed extension inside test/',
      { files: vitestProject, from: 'test/cart.test.js', to: 'test/cart.tset.js' },
      /vitest does not collect test\/cart\.tset\.js: it matches none of `test\.include`/,
    ],
    [
      'vitest: into a node_modules git does not ignore',
      { files: vitestProject, from: 'test/cart.test.js', to: 'lib/node_modules/cart.test.js', how: 'rename' },
      /inside `node_modules`/,
    ],
    [
      'vitest 3: into dist/',
      {
        files: { ...vitestProject, 'package.json': vitestProject['package.json'].replace('^4.0.0', '^3.2.0') },
        from: 'test/cart.test.js',
        to: 'dist/cart.test.js',
      },
      /`\*\*\/dist\/\*\*` in `test\.exclude` of vitest's defaults/,
    ],
    [
      'vitest: into a folder the unchanged config excludes',
      {
        files: {
          ...vitestProject,
          'vitest.config.js': "export default { test: { exclude: ['**/node_modules/**', 'test/legacy/**'] } };\n",
        },
        from: 'test/cart.test.js',
        to: 'test/legacy/cart.test.js',
      },
      /`test\/legacy\/\*\*` in `test\.exclude` of `vitest\.config\.js`/,
    ],
    [
      'vitest: to checks/, with a new config whose include leaves checks/ out',
      {
        files: vitestProject,
        from: 'test/cart.test.js',
        to: 'checks/cart.test.js',
        how: 'rename',
        alongside: { 'vitest.config.js': "export default { test: { include: ['test/**/*.test.js'] } };\n" },
      },
      /matches none of `test\.include` of `vitest\.config\.js`/,
    ],
    [
      'jest: to a name testMatch does not take, inside test/',
      { files: jestProject, from: 'src/cart.test.js', to: 'test/cart.tset.js' },
      /jest does not collect test\/cart\.tset\.js: it matches none of `testMatch`/,
    ],
    [
      'jest: into a folder testPathIgnorePatterns of package.json names',
      {
        files: {
          ...jestProject,
          'package.json':
            '{ "devDependencies": { "jest": "^30.0.0" }, "jest": { "testPathIgnorePatterns": ["/node_modules/", "/legacy/"] } }\n',
        },
        from: 'src/cart.test.js',
        to: 'src/legacy/cart.test.js',
      },
      /`\/legacy\/` in `testPathIgnorePatterns`/,
    ],
    [
      'jest: outside roots',
      {
        files: { ...jestProject, 'jest.config.js': "module.exports = { roots: ['<rootDir>/src'] };\n" },
        from: 'src/cart.test.js',
        to: 'test/cart.test.js',
      },
      /outside `roots` of `jest\.config\.js`/,
    ],
    [
      'pytest: a name python_files does not take',
      { files: pytestProject, from: 'tests/test_calc.py', to: 'tests/testcalc.py' },
      /pytest does not collect tests\/testcalc\.py: `testcalc\.py` matches neither/,
    ],
    [
      'pytest: into a dot folder',
      { files: pytestProject, from: 'tests/test_calc.py', to: 'tests/.old/test_calc.py', how: 'rename' },
      /pytest does not enter `\.old\/`/,
    ],
    [
      'pytest: outside testpaths',
      {
        files: { ...pytestProject, 'pytest.ini': '[pytest]\ntestpaths = tests\n' },
        from: 'tests/test_calc.py',
        to: 'scripts/test_calc.py',
      },
      /outside `testpaths` of `pytest\.ini`/,
    ],
    [
      'pytest: into a folder conftest.py ignores',
      {
        files: { ...pytestProject, 'tests/conftest.py': 'collect_ignore = ["legacy"]\n' },
        from: 'tests/test_calc.py',
        to: 'tests/legacy/test_calc.py',
      },
      /`collect_ignore` in `tests\/conftest\.py` names `legacy`/,
    ],
    [
      'pytest: --ignore in addopts of pyproject.toml, edited alongside',
      {
        files: {
          ...without(pytestProject, 'pytest.ini'),
          'pyproject.toml': '[tool.pytest.ini_options]\naddopts = "-q"\n',
        },
        from: 'tests/test_calc.py',
        to: 'tests/old/test_calc.py',
        alongside: { 'pyproject.toml': '[tool.pytest.ini_options]\naddopts = "-q --ignore=tests/old"\n' },
      },
      /`--ignore=tests\/old` in `addopts`/,
    ],
    [
      'go: into testdata/',
      { files: goProject, from: 'calc_test.go', to: 'testdata/calc_test.go' },
      /go test does not collect testdata\/calc_test\.go/,
    ],
    ['go: a name starting with _', { files: goProject, from: 'calc_test.go', to: '_calc_test.go' }, /starts? with `_`/],
    [
      'go: into a new module of its own',
      {
        files: goProject,
        from: 'calc_test.go',
        to: 'sub/calc_test.go',
        alongside: { 'sub/go.mod': 'module example.com/sub\n\ngo 1.22\n' },
      },
      /`sub\/go\.mod` is new/,
    ],
    [
      'vitest: with a computed include written alongside',
      {
        files: vitestProject,
        from: 'test/cart.test.js',
        to: 'test/cart.tset.js',
        alongside: {
          'vitest.config.js':
            'export default { test: { include: process.env.CI ? ["test/**"] : ["**/*.test.js"] } };\n',
        },
      },
      /the configuration changed since into one the guard cannot read/,
    ],
    [
      'vitest: with mocha named the runner alongside',
      {
        files: vitestProject,
        from: 'test/cart.test.js',
        to: 'test/cart.tset.js',
        alongside: { 'package.json': '{ "scripts": { "test": "mocha" } }\n' },
      },
      /vitest does not collect/,
    ],
    [
      'pytest: outside testpaths, with a pytest.ini planted beside the moved test',
      {
        files: { ...pytestProject, 'pytest.ini': '[pytest]\ntestpaths = tests\n' },
        from: 'tests/test_calc.py',
        to: 'scripts/test_calc.py',
        alongside: { 'scripts/pytest.ini': '[pytest]\n' },
      },
      /outside `testpaths` of `pytest\.ini`/,
    ],
    [
      'vitest: out of include, with a package.json naming vitest planted beside it',
      {
        files: {
          ...vitestProject,
          'vitest.config.js': "export default { test: { include: ['test/**/*.test.js'] } };\n",
        },
        from: 'test/cart.test.js',
        to: 'checks/cart.test.js',
        alongside: { 'checks/package.json': '{ "devDependencies": { "vitest": "^4.0.0" } }\n' },
      },
      /matches none of `test\.include` of `vitest\.config\.js`/,
    ],
  ])('blocks %s', async (_name, move, message) => {
    const findings = uncollected(await guardMove(move));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.path).toBe(move.to);
    expect(findings[0]?.message).toMatch(message);
    expect(findings[0]?.message).toContain(move.from);
    expect(findings[0]?.message).toContain('Move them back');
  });

  it.each<[string, Move]>([
    [
      'vitest: to another folder it collects',
      { files: vitestProject, from: 'test/cart.test.js', to: 'test/unit/cart.test.js' },
    ],
    [
      'vitest: to a .spec name',
      { files: vitestProject, from: 'test/cart.test.js', to: 'src/cart.spec.js', how: 'rename' },
    ],
    [
      'jest: into __tests__, whatever the name',
      { files: jestProject, from: 'src/cart.test.js', to: 'src/__tests__/cart.js' },
    ],
    ['pytest: to a subfolder', { files: pytestProject, from: 'tests/test_calc.py', to: 'tests/unit/test_calc.py' }],
    [
      'pytest, none configured: a name unittest discovers',
      {
        files: without(pytestProject, 'pytest.ini'),
        from: 'tests/test_calc.py',
        to: 'tests/testcalc.py',
      },
    ],
    ['go: to a package folder', { files: goProject, from: 'calc_test.go', to: 'pkg/calc_test.go' }],
    [
      'a project whose runner is not read (mocha)',
      {
        files: { ...vitestProject, 'package.json': '{ "scripts": { "test": "mocha" } }\n' },
        from: 'test/cart.test.js',
        to: 'test/cart.tset.js',
      },
    ],
    [
      'a vitest include computed at run time',
      {
        files: {
          ...vitestProject,
          'vitest.config.js':
            'export default { test: { include: process.env.CI ? ["test/**"] : ["**/*.test.js"] } };\n',
        },
        from: 'test/cart.test.js',
        to: 'test/cart.tset.js',
      },
    ],
    [
      'no package.json at all',
      { files: { 'test/cart.test.js': cartTest }, from: 'test/cart.test.js', to: 'test/cart.tset.js' },
    ],
    [
      'vitest started with a config of another name',
      {
        files: {
          ...vitestProject,
          'package.json':
            '{ "scripts": { "test": "vitest run --config config/vitest.js" }, "devDependencies": { "vitest": "^4.0.0" } }\n',
        },
        from: 'test/cart.test.js',
        to: 'test/cart.tset.js',
      },
    ],
    [
      'pytest: testpaths, when addopts names paths (or an option value it does not know)',
      {
        files: { ...pytestProject, 'pytest.ini': '[pytest]\naddopts = -q --reruns-delay 5\ntestpaths = tests\n' },
        from: 'tests/test_calc.py',
        to: 'checks/test_calc.py',
      },
    ],
  ])('lets be %s', async (_name, move) => {
    expect(uncollected(await guardMove(move))).toEqual([]);
  });

  it('lets be tests that were not collected at the base either', async () => {
    const files = { ...vitestProject, 'test/fixtures/sample.tset.js': cartTest.replace('sums', 'sums a sample') };
    expect(
      uncollected(await guardMove({ files, from: 'test/fixtures/sample.tset.js', to: 'test/other/sample.tset.js' })),
    ).toEqual([]);
  });

  it.each<[string, Move]>([
    [
      'cart.test.js -> cart.tset.js outside a test folder',
      {
        files: { ...without(vitestProject, 'test/cart.test.js'), 'src/cart.test.js': cartTest },
        from: 'src/cart.test.js',
        to: 'src/cart.tset.js',
      },
    ],
    ['test_calc.py -> calc_tests.py', { files: pytestProject, from: 'tests/test_calc.py', to: 'tests/calc_tests.py' }],
    ['foo_test.go -> foo_tst.go', { files: goProject, from: 'calc_test.go', to: 'calc_tst.go' }],
  ])('a rename to a name no runner takes as a test file is a deleted test file: %s', async (_name, move) => {
    const findings = await guardMove(move);
    expect(findings.map((finding) => `${finding.rule} ${finding.path}`)).toEqual([`test-file-deleted ${move.from}`]);
  });

  it('the rule can be turned off in guard.rules', async () => {
    const repo = await gitdir({ files: vitestProject });
    await git(repo, 'mv', 'test/cart.test.js', 'test/cart.tset.js');
    const { findings } = await runGuard({
      repoRoot: repo,
      config: { protect: [], allow: [], protect_tests: true, rules: { 'test-file-uncollected': 'warn' } },
    });
    expect(findings.map((finding) => `${finding.rule} ${finding.severity}`)).toEqual(['test-file-uncollected warn']);
    rmSync(join(repo, 'test'), { recursive: true, force: true });
  });
});

describe('test-file-uncollected: a configuration changed to leave unchanged test files out', () => {
  async function guardEdit(files: Record<string, string>, edit: Record<string, string>) {
    const repo = await gitdir({ files: { 'README.md': '# fixture\n', ...files } });
    writeFiles(repo, edit);
    const { findings } = await runGuard({ repoRoot: repo });
    return findings;
  }

  it.each<[string, Record<string, string>, Record<string, string>, string, RegExp]>([
    [
      'vitest: an include set where the default was',
      vitestProject,
      { 'vitest.config.js': "export default { test: { include: ['src/**/*.test.js'] } };\n" },
      'vitest.config.js',
      /leaves out 1 test file the runner collected at HEAD: test\/cart\.test\.js \(vitest: it matches none of `test\.include`/,
    ],
    [
      'jest: roots set in package.json',
      jestProject,
      { 'package.json': '{ "devDependencies": { "jest": "^30.0.0" }, "jest": { "roots": ["<rootDir>/lib"] } }\n' },
      'package.json',
      /src\/cart\.test\.js \(jest: it is outside `roots`/,
    ],
    [
      'pytest: testpaths narrowed',
      { ...pytestProject, 'pytest.ini': '[pytest]\ntestpaths = tests\n' },
      { 'pytest.ini': '[pytest]\ntestpaths = tests/unit\n' },
      'pytest.ini',
      /tests\/test_calc\.py \(pytest: it is outside `testpaths`/,
    ],
    [
      'pytest: a conftest.py that ignores a test file',
      pytestProject,
      { 'tests/conftest.py': 'collect_ignore = ["test_calc.py"]\n' },
      'tests/conftest.py',
      /`collect_ignore` in `tests\/conftest\.py` names `test_calc\.py`.*Restore: delete tests\/conftest\.py/,
    ],
    [
      'go: a go.mod added above the tests',
      { ...goProject, 'pkg/calc_test.go': goTest.replace('package calc', 'package pkg') },
      { 'pkg/go.mod': 'module example.com/pkg\n\ngo 1.22\n' },
      'pkg/go.mod',
      /pkg\/calc_test\.go \(go test: `pkg\/go\.mod` is new/,
    ],
  ])('blocks %s', async (_name, files, edit, path, message) => {
    const findings = (await guardEdit(files, edit)).filter((finding) => finding.rule === 'test-file-uncollected');
    expect(findings).toMatchObject([{ path, severity: 'block' }]);
    expect(findings[0]?.message).toMatch(message);
  });

  it.each<[string, Record<string, string>, Record<string, string>]>([
    [
      'a dependency added to package.json',
      vitestProject,
      { 'package.json': vitestProject['package.json'].replace('"vitest"', '"left-pad": "^1.0.0", "vitest"') },
    ],
    [
      'vitest: an include that still takes the tests',
      vitestProject,
      { 'vitest.config.js': "export default { test: { include: ['test/**/*.test.js', 'src/**/*.test.js'] } };\n" },
    ],
    [
      'pytest: testpaths widened',
      { ...pytestProject, 'pytest.ini': '[pytest]\ntestpaths = tests\n' },
      { 'pytest.ini': '[pytest]\ntestpaths = tests scripts\n' },
    ],
  ])('lets be %s', async (_name, files, edit) => {
    expect((await guardEdit(files, edit)).filter((finding) => finding.rule === 'test-file-uncollected')).toEqual([]);
  });
});
