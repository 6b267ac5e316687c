import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/guard/finding.ts';
import { runnerConfigNarrowed } from '../../../src/guard/rules/runner-config-narrowed.ts';
import { contextForChange } from './changed-context.ts';
import { describeCases } from './runner-code-cases.ts';

function findingsFor(path: string, before: string | undefined, after: string | undefined): Finding[] {
  return runnerConfigNarrowed.check(contextForChange(path, before, after));
}

const tox = (setenv: string) => `[tox]\nenvlist = py312\n\n[testenv]\ndeps = pytest\n${setenv}commands = pytest\n`;
const pyproject = (table: string) => `[project]\nname = "shop"\n\n${table}\n[tool.ruff]\nline-length = 100\n`;

// [what, path, before, after, severity, the message must contain]
const narrowing: [string, string, string | undefined, string | undefined, 'block' | 'warn', string][] = [
  [
    'tox setenv PYTEST_ADDOPTS -k',
    'tox.ini',
    tox(''),
    tox('setenv =\n    PYTEST_ADDOPTS = -k "not slow"\n'),
    'block',
    "`[testenv] setenv PYTEST_ADDOPTS`: `'PYTEST_ADDOPTS=-k \"not slow\"' pytest` gained `-k 'not slow'`",
  ],
  [
    'tox setenv of a named env gains --deselect',
    'tox.ini',
    '[testenv:unit]\nsetenv =\n    PYTEST_ADDOPTS = -q\ncommands = pytest\n',
    '[testenv:unit]\nsetenv =\n    PYTEST_ADDOPTS = -q --deselect tests/test_cart.py::test_total\ncommands = pytest\n',
    'block',
    'gained `--deselect tests/test_cart.py::test_total`',
  ],
  ['tox setenv PYTHONOPTIMIZE', 'tox.ini', tox(''), tox('setenv =\n    PYTHONOPTIMIZE = 1\n'), 'block', 'gained `-O`'],
  [
    '.env PYTEST_ADDOPTS',
    '.env',
    'DATABASE_URL=sqlite://\n',
    'DATABASE_URL=sqlite://\nPYTEST_ADDOPTS="-m \'not db\'"\n',
    'block',
    "gained `-m 'not db'`",
  ],
  [
    '.env.test GOFLAGS -run',
    '.env.test',
    undefined,
    'export GOFLAGS=-run=TestParse\n',
    'block',
    'gained `-run TestParse`',
  ],
  ['a new .env with PYTHONOPTIMIZE', '.env', undefined, 'PYTHONOPTIMIZE=2 # faster\n', 'block', 'gained `-O`'],
  [
    'noxfile session.env',
    'noxfile.py',
    'import nox\n\n@nox.session\ndef tests(session):\n    session.run("pytest")\n',
    'import nox\n\n@nox.session\ndef tests(session):\n    session.env["PYTEST_ADDOPTS"] = "-q -k cart"\n    session.run("pytest")\n',
    'block',
    'gained `-k cart`',
  ],
  [
    'noxfile run(env={...})',
    'noxfile.py',
    'import nox\n\n@nox.session\ndef tests(session):\n    session.run("pytest")\n',
    "import nox\n\n@nox.session\ndef tests(session):\n    session.run('pytest', env={'PYTEST_ADDOPTS': '--co'})\n",
    'block',
    'gained `--co`',
  ],
  [
    'pytest-env env in pytest.ini (set after pytest read it: a warning)',
    'pytest.ini',
    '[pytest]\nenv =\n    HOME=/tmp/home\n',
    '[pytest]\nenv =\n    HOME=/tmp/home\n    PYTEST_ADDOPTS=-k cart\n',
    'warn',
    '`env PYTEST_ADDOPTS`',
  ],
  [
    'pytest-env env in pyproject',
    'pyproject.toml',
    pyproject('[tool.pytest.ini_options]\nenv = ["HOME=/tmp/home"]\n'),
    pyproject('[tool.pytest.ini_options]\nenv = ["HOME=/tmp/home", "D:PYTHONOPTIMIZE=1"]\n'),
    'warn',
    'gained `-O`',
  ],
  [
    "pytest-env's [tool.pytest_env] table",
    'pyproject.toml',
    pyproject(''),
    pyproject('[tool.pytest_env]\nPYTEST_ADDOPTS = { value = "-m smoke" }\n'),
    'warn',
    '`tool.pytest_env PYTEST_ADDOPTS`',
  ],
];

// [what, path, before, after]
const neutral: [string, string, string | undefined, string | undefined][] = [
  [
    'tox setenv of other variables',
    'tox.ini',
    tox(''),
    tox('setenv =\n    PYTHONPATH = src\n    HOME = {envtmpdir}\n'),
  ],
  [
    'tox setenv PYTEST_ADDOPTS that runs more',
    'tox.ini',
    tox('setenv =\n    PYTEST_ADDOPTS = -k cart\n'),
    tox('setenv =\n    PYTEST_ADDOPTS = -ra -x\n'),
  ],
  ['.env PYTEST_ADDOPTS -ra -q', '.env', 'A=1\n', 'A=1\nPYTEST_ADDOPTS=-ra -q --tb=short\n'],
  ['.env PYTHONOPTIMIZE=0', '.env', 'A=1\n', 'A=1\nPYTHONOPTIMIZE=0\n'],
  ['.env.example names -k (nothing loads a template)', '.env.example', 'A=1\n', 'A=1\nPYTEST_ADDOPTS=-k cart\n'],
  [
    'pytest-env env of other variables',
    'pytest.ini',
    '[pytest]\nenv =\n    A=1\n',
    '[pytest]\nenv =\n    A=1\n    TZ=UTC\n',
  ],
  [
    'noxfile without option variables',
    'noxfile.py',
    'import nox\n',
    'import nox\n\n@nox.session\ndef lint(session):\n    session.run("ruff", "check")\n',
  ],
];

describe('runner-config-narrowed: the environment a runner starts with', () => {
  it.each(narrowing)('finds: %s', (_, path, before, after, severity, expected) => {
    const findings = findingsFor(path, before, after);
    expect(findings.map((finding) => finding.severity)).toEqual([severity]);
    expect(findings[0]?.message).toContain(expected);
  });

  it.each(neutral)('passes: %s', (_, path, before, after) => {
    expect(findingsFor(path, before, after)).toEqual([]);
  });

  it('reports the line of the variable', () => {
    const [dotenv] = findingsFor('.env', 'A=1\n', 'A=1\n\nPYTEST_ADDOPTS=-k cart\n');
    expect(dotenv?.line).toBe(3);
    const [nox] = findingsFor('noxfile.py', 'import nox\n', 'import nox\n\nENV = {"PYTEST_ADDOPTS": "-k cart"}\n');
    expect(nox?.line).toBe(3);
  });
});

describeCases(
  'runner-code-loaded: the environment of a nox session',
  [
    [
      'PYTEST_PLUGINS in session.env',
      'noxfile.py',
      'import nox\n\n@nox.session\ndef tests(session):\n    session.run("pytest")\n',
      'import nox\n\n@nox.session\ndef tests(session):\n    session.env["PYTEST_PLUGINS"] = "tests.fakes"\n    session.run("pytest")\n',
      '`env PYTEST_PLUGINS` now loads `tests.fakes`',
    ],
    [
      'PYTHONPATH in run(env={...})',
      'noxfile.py',
      'import nox\n',
      'import nox\n\n@nox.session\ndef tests(session):\n    session.run("pytest", env={"PYTHONPATH": "fakes"})\n',
      '`env PYTHONPATH` now loads `fakes`',
    ],
  ],
  [['a session env of other variables', 'noxfile.py', 'import nox\n', 'import nox\nENV = {"TZ": "UTC"}\n']],
);
