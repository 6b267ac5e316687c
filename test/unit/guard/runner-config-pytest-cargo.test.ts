import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/guard/finding.ts';
import { runnerConfigNarrowed } from '../../../src/guard/rules/runner-config-narrowed.ts';
import { contextForChange } from './changed-context.ts';

function findingsFor(path: string, before: string | undefined, after: string | undefined): Finding[] {
  return runnerConfigNarrowed.check(contextForChange(path, before, after));
}

const pytestIni = (options: string) => `[pytest]\nminversion = 8.0\n${options}\n`;
const pyproject = (options: string) =>
  `[project]\nname = "shop"\ndependencies = ["httpx>=0.27"]\n\n[tool.pytest.ini_options]\n${options}\n\n[tool.ruff]\nline-length = 100\n`;
const cargo = (targets: string) =>
  `[package]\nname = "shop"\nversion = "0.1.0"\n\n[dependencies]\nserde = "1"\n${targets}`;

// [what, path, before, after, the message must contain]
const narrowing: [string, string, string | undefined, string | undefined, string][] = [
  [
    'addopts gains --deselect',
    'pytest.ini',
    pytestIni('addopts = -ra'),
    pytestIni('addopts = -ra --deselect tests/test_parse.py::test_garbage'),
    '`addopts`: `pytest -ra --deselect tests/test_parse.py::test_garbage` gained `--deselect',
  ],
  [
    'addopts gains -k on a continuation line',
    'pytest.ini',
    pytestIni('addopts =\n    -ra\n    -q'),
    pytestIni('addopts =\n    -ra\n    -q\n    -k "not cart"'),
    "gained `-k 'not cart'`",
  ],
  [
    'addopts gains -m "not ..."',
    'tox.ini',
    '[tox]\nenvlist = py312\n\n[pytest]\naddopts = -q\n',
    '[tox]\nenvlist = py312\n\n[pytest]\naddopts = -q -m "not slow"\n',
    "gained `-m 'not slow'`",
  ],
  [
    'addopts gains --ignore=',
    'setup.cfg',
    '[tool:pytest]\naddopts = -q\n',
    '[tool:pytest]\naddopts = -q --ignore=tests/e2e\n',
    'gained `--ignore tests/e2e`',
  ],
  [
    'addopts disables a plugin',
    'pytest.ini',
    pytestIni('addopts = -q'),
    pytestIni('addopts = -q -p no:randomly'),
    'gained `-p no:randomly`',
  ],
  [
    'a new pytest.ini with -k',
    'pytest.ini',
    undefined,
    pytestIni('addopts = -k "not parse"'),
    "gained `-k 'not parse'`",
  ],
  [
    'testpaths shrinks',
    'pytest.ini',
    pytestIni('testpaths = tests docs'),
    pytestIni('testpaths = tests'),
    '`testpaths` no longer selects `docs`',
  ],
  [
    'python_files changed',
    'pytest.ini',
    pytestIni('python_files = test_*.py'),
    pytestIni('python_files = test_cart.py'),
    'no longer selects `test_*.py`',
  ],
  [
    'python_functions changed',
    'pytest.ini',
    pytestIni('python_functions = test_*'),
    pytestIni('python_functions = test_ok_*'),
    '`python_functions`',
  ],
  [
    'norecursedirs grows',
    'pytest.ini',
    pytestIni('norecursedirs = .git build'),
    pytestIni('norecursedirs = .git build tests/api'),
    'now also leaves out `tests/api`',
  ],
  [
    'xfail_strict turned off',
    'pytest.ini',
    pytestIni('xfail_strict = true'),
    pytestIni(''),
    '`xfail_strict` is now false (by default',
  ],
  [
    'pyproject addopts array gains -k',
    'pyproject.toml',
    pyproject('addopts = ["-ra"]'),
    pyproject('addopts = ["-ra", "-k", "not slow"]'),
    "gained `-k 'not slow'`",
  ],
  [
    'pyproject testpaths shrinks',
    'pyproject.toml',
    pyproject('testpaths = ["tests", "integration"]'),
    pyproject('testpaths = ["tests"]'),
    'no longer selects `integration`',
  ],
  [
    'pytest 9 [tool.pytest] table',
    'pyproject.toml',
    '[tool.pytest]\naddopts = ["-q"]\n',
    '[tool.pytest]\naddopts = ["-q", "--deselect", "tests/test_a.py"]\n',
    'gained `--deselect',
  ],
  [
    'conftest collect_ignore appended',
    'tests/conftest.py',
    'import pytest\n\ncollect_ignore = ["setup.py"]\n',
    'import pytest\n\ncollect_ignore = ["setup.py"]\ncollect_ignore.append("test_cart.py")\n',
    '`collect_ignore` now also leaves out `test_cart.py`',
  ],
  [
    'conftest collect_ignore_glob added',
    'conftest.py',
    'import pytest\n',
    "collect_ignore_glob = ['tests/api/*']\n",
    'leaves out `tests/api/*`',
  ],
  [
    'a [[test]] without the harness',
    'Cargo.toml',
    cargo(''),
    cargo('\n[[test]]\nname = "parse"\nharness = false\n'),
    '`[[test]] parse harness` is now false',
  ],
  [
    '[lib] test = false',
    'Cargo.toml',
    cargo('\n[lib]\npath = "src/lib.rs"\n'),
    cargo('\n[lib]\npath = "src/lib.rs"\ntest = false\n'),
    '`[lib] test` is now false',
  ],
  [
    'autotests = false',
    'Cargo.toml',
    cargo(''),
    cargo('').replace('version = "0.1.0"', 'version = "0.1.0"\nautotests = false'),
    '`package.autotests` is now false',
  ],
];

// [what, path, before, after]
const neutral: [string, string, string | undefined, string | undefined][] = [
  [
    'addopts rewrapped',
    'pytest.ini',
    pytestIni('addopts = -ra -q -k "not slow"'),
    pytestIni("addopts =\n    -q\n    -ra\n    -k 'not slow'"),
  ],
  [
    'addopts gains -x, --maxfail and -p no:cacheprovider',
    'pytest.ini',
    pytestIni('addopts = -ra'),
    pytestIni('addopts = -ra -x --maxfail=2 -p no:cacheprovider'),
  ],
  ['addopts loses its -k', 'pytest.ini', pytestIni('addopts = -ra -k "not slow"'), pytestIni('addopts = -ra')],
  [
    'testpaths gains a dir',
    'pytest.ini',
    pytestIni('testpaths = tests'),
    pytestIni('testpaths =\n    tests\n    integration'),
  ],
  ['norecursedirs shrinks', 'pytest.ini', pytestIni('norecursedirs = .git build'), pytestIni('norecursedirs = .git')],
  ['xfail_strict turned on', 'pytest.ini', pytestIni(''), pytestIni('xfail_strict = true')],
  [
    'other pyproject sections',
    'pyproject.toml',
    pyproject('addopts = "-ra"'),
    pyproject('addopts = "-ra"').replace('100', '120').replace('0.27', '0.28'),
  ],
  [
    'pyproject reformatted',
    'pyproject.toml',
    pyproject('testpaths = ["tests", "it"]'),
    pyproject("testpaths = [\n  'tests',\n  'it',\n]"),
  ],
  ['other tox.ini sections', 'tox.ini', '[testenv]\ncommands = pytest\n', '[testenv]\ncommands = pytest -k cart\n'],
  [
    'pyproject no longer valid TOML',
    'pyproject.toml',
    pyproject('testpaths = ["tests"]'),
    '[tool.pytest.ini_options\n',
  ],
  [
    'a conftest fixture added',
    'conftest.py',
    'collect_ignore = ["setup.py"]\n',
    'import pytest\n\ncollect_ignore = ["setup.py"]\n\n@pytest.fixture\ndef cart():\n    return []\n',
  ],
  [
    'a new [[test]] with the harness',
    'Cargo.toml',
    cargo(''),
    cargo('\n[[test]]\nname = "parse"\npath = "tests/parse.rs"\n'),
  ],
  [
    'a dependency bumped',
    'Cargo.toml',
    cargo(''),
    cargo('').replace('serde = "1"', 'serde = { version = "1.0.200", features = ["derive"] }'),
  ],
];

describe('runner-config-narrowed: pytest, conftest.py and Cargo.toml', () => {
  it.each(narrowing)('blocks: %s', (_, path, before, after, expected) => {
    const findings = findingsFor(path, before, after);
    expect(findings.map((finding) => finding.severity)).toContain('block');
    const message = findings.map((finding) => finding.message).join('\n');
    expect(message).toContain(expected);
    // A file new since the base cannot be checked out from it: the fix is to delete it.
    expect(message).toContain(
      before === undefined ? `Delete ${path}: it is not in main.` : `Restore it: git checkout main -- ${path}`,
    );
  });

  it.each(neutral)('passes: %s', (_, path, before, after) => {
    expect(findingsFor(path, before, after)).toEqual([]);
  });

  it('reports the line of the option', () => {
    const [ini] = findingsFor('pytest.ini', pytestIni('addopts = -ra'), pytestIni('addopts = -ra -k cart'));
    expect(ini?.line).toBe(3);
    const [toml] = findingsFor('pyproject.toml', pyproject('addopts = "-ra"'), pyproject('addopts = "-ra -k cart"'));
    expect(toml?.line).toBe(6);
    const [target] = findingsFor('Cargo.toml', cargo(''), cargo('\n[[test]]\nname = "parse"\nharness = false\n'));
    expect(target?.line).toBe(10);
  });
});
