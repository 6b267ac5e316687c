import { describe, expect, it } from 'vitest';
import type { GoStack, NodeStack, PythonStack, StackDetection } from '../../../src/config/init/detect-stack.ts';
import { type PlannedGate, planGates } from '../../../src/config/init/plan-gates.ts';

function detection(parts: Partial<StackDetection>): StackDetection {
  return { dir: '/repo', unignoredDirs: ['src'], findings: [], ...parts };
}

function nodeStack(parts: Partial<NodeStack>): NodeStack {
  return { packageManager: 'npm', packageManagerEvidence: 'package-lock.json', scripts: {}, ...parts };
}

const nodeOutputs = ['!dist/**', '!build/**', '!coverage/**'];
const pythonOutputs = [
  '!**/__pycache__/**',
  '!.pytest_cache/**',
  '!.mypy_cache/**',
  '!.ruff_cache/**',
  '!**/*.egg-info/**',
  '!.tox/**',
  '!.venv/**',
  '!venv/**',
];

const nodeTestReporters = (path: string) =>
  `--test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=${path}`;

function byName(gates: PlannedGate[]): Record<string, PlannedGate> {
  return Object.fromEntries(gates.map((gate) => [gate.name, gate]));
}

describe('planGates for package.json scripts', () => {
  it('adds the report flags to the last command of a chain it cannot split (a command it does not know)', () => {
    const scripts = { test: { name: 'test', command: 'node scripts/fixtures.js && vitest run' } };
    const { gates } = planGates(detection({ node: nodeStack({ scripts }) }));
    expect(gates[0]?.run).toBe(
      'npm run test -- --reporter=default --reporter=junit --outputFile.junit=.sluice/reports/test.xml',
    );
  });

  it('keeps a script that already chose its output as it is, read as plain text', () => {
    const scripts = {
      test: { name: 'test', command: 'vitest run --outputFile=out.xml' },
      lint: { name: 'lint', command: 'eslint --format stylish .' },
    };
    const plan = planGates(detection({ node: nodeStack({ scripts }) }));
    const gates = byName(plan.gates);
    expect([gates.test?.run, gates.test?.report]).toEqual(['npm run test', { format: 'generic' }]);
    expect([gates.lint?.run, gates.lint?.report]).toEqual(['npm run lint', { format: 'generic' }]);
    expect(plan.guessed).toEqual([
      'lint: script lint already picks its output format: its terminal output is read as plain text',
      'test: script test already picks its output format: its terminal output is read as plain text',
    ]);
  });

  it('uses a script whose tool is unknown as it is, and says its output is plain text', () => {
    const scripts = { test: { name: 'test', command: 'npm run test:unit' } };
    const plan = planGates(
      detection({ node: nodeStack({ scripts, testRunner: { name: 'vitest', evidence: 'package.json' } }) }),
    );
    expect(plan.gates[0]).toMatchObject({ run: 'npm run test', report: { format: 'generic' } });
    expect(plan.guessed).toEqual([
      'test: script test runs a tool Sluice has no report for: its output is read as plain text',
    ]);
  });

  it('sees jest behind node and its flags', () => {
    const scripts = { test: { name: 'test', command: 'node --experimental-vm-modules node_modules/jest/bin/jest.js' } };
    const { gates } = planGates(detection({ node: nodeStack({ packageManager: 'bun', scripts }) }));
    expect(gates[0]).toMatchObject({
      run: 'bun run test --json --outputFile=.sluice/reports/test.json',
      report: { format: 'jest-json', path: '.sluice/reports/test.json' },
    });
  });

  it('runs the detected tools directly when a script is missing', () => {
    const node = nodeStack({
      testRunner: { name: 'jest', evidence: 'package.json' },
      linter: { name: 'eslint', evidence: '.eslintrc.json' },
      typescript: { tsconfig: 'tsconfig.json', installed: false },
    });
    const plan = planGates(detection({ node }));
    expect(plan.gates.map((gate) => gate.run)).toEqual([
      'npx tsc --noEmit',
      'npx eslint . -f json -o .sluice/reports/lint.json',
      'npx jest --json --outputFile=.sluice/reports/test.json',
    ]);
    expect(plan.guessed).toContain('typecheck: typescript is not a dependency in package.json: assumed installed');
  });

  it('says when npm is assumed for lack of a lockfile', () => {
    const node: NodeStack = { packageManager: 'npm', scripts: { build: { name: 'build', command: 'vite build' } } };
    expect(planGates(detection({ node })).notes).toEqual([
      'package.json: no lockfile or packageManager field, so npm is assumed',
    ]);
  });
});

describe('planGates for node --test', () => {
  it('appends the spec and JUnit reporters to a node --test that names no files', () => {
    const scripts = { test: { name: 'test', command: 'node --test' } };
    const plan = planGates(detection({ node: nodeStack({ scripts }) }));
    expect(plan.gates[0]).toMatchObject({
      run: `npm run test -- ${nodeTestReporters('.sluice/reports/test.xml')}`,
      report: { format: 'junit', path: '.sluice/reports/test.xml' },
    });
    expect(plan.guessed).toEqual([
      'test: added "--test-reporter=junit" (a JUnit report) to node --test in script test so failures are exact',
    ]);
  });

  it('puts the reporters in NODE_OPTIONS when node --test names files, and leaves the patterns alone', () => {
    const scripts = { test: { name: 'test', command: "node --import tsx --test 'src/**/*.test.ts'" } };
    const plan = planGates(detection({ node: nodeStack({ packageManager: 'pnpm', scripts }) }));
    expect(plan.gates[0]).toMatchObject({
      run: `NODE_OPTIONS="$NODE_OPTIONS ${nodeTestReporters('.sluice/reports/test.xml')}" pnpm run test`,
      report: { format: 'junit', path: '.sluice/reports/test.xml' },
    });
    expect(plan.guessed).toEqual([
      'test: added "--test-reporter=junit" (a JUnit report) to node --test in script test so failures are exact',
      'test: node --test reads no options after its file patterns, so the reporters go in NODE_OPTIONS',
      "test: the patterns ('src/**/*.test.ts') are passed as written: Node 21+ expands their globs, Node 20 does not",
    ]);
  });

  it('keeps a node --test that already picks a reporter as it is', () => {
    const scripts = { test: { name: 'test', command: 'node --test --test-reporter=dot' } };
    const plan = planGates(detection({ node: nodeStack({ scripts }) }));
    expect([plan.gates[0]?.run, plan.gates[0]?.report]).toEqual(['npm run test', { format: 'generic' }]);
  });
});

describe('planGates and the TypeScript build', () => {
  const typescript = { tsconfig: 'tsconfig.json', installed: true };

  it('leaves out the typecheck when the build is a plain tsc on the same tsconfig', () => {
    const scripts = { build: { name: 'build', command: 'tsc' } };
    const plan = planGates(detection({ node: nodeStack({ scripts, typescript }) }));
    expect(plan.gates.map(({ name, run, kind, report }) => ({ name, run, kind, report }))).toEqual([
      { name: 'build', run: 'npm run build', kind: 'build', report: { format: 'tsc' } },
    ]);
    expect(plan.guessed).toEqual([
      'build: its tsc reports every type error in tsconfig.json, so a "tsc --noEmit" gate is left out: it would check the same again',
    ]);
  });

  it('leaves out a typecheck script that checks the tsconfig the build compiles', () => {
    const scripts = {
      build: { name: 'build', command: 'tsc -b' },
      typecheck: { name: 'type-check', command: 'tsc --noEmit -p ./' },
    };
    const plan = planGates(detection({ node: nodeStack({ scripts, typescript }) }));
    expect(plan.gates.map((gate) => gate.name)).toEqual(['build']);
    expect(plan.guessed).toEqual([
      'build: its tsc reports every type error in tsconfig.json, so script type-check ("tsc --noEmit -p ./") is left out: it would check the same again',
    ]);
  });

  it.each([
    ['another tsconfig', 'tsc -p tsconfig.build.json', 'tsc --noEmit'],
    ['a build that does more than tsc', 'rimraf dist && tsc', 'tsc --noEmit'],
    ['a build that skips the type check', 'tsc --noCheck', 'tsc --noEmit'],
    ['a stricter typecheck', 'tsc', 'tsc --noEmit --strict'],
    ['a typecheck of the referenced projects too', 'tsc', 'tsc -b --noEmit'],
    ['a bundler build', 'vite build', 'tsc --noEmit'],
  ])('keeps both gates for %s', (_, build, typecheck) => {
    const scripts = { build: { name: 'build', command: build }, typecheck: { name: 'typecheck', command: typecheck } };
    const plan = planGates(detection({ node: nodeStack({ scripts, typescript }) }));
    expect(plan.gates.map((gate) => gate.name)).toEqual(['build', 'typecheck']);
    expect(plan.guessed).toEqual([]);
  });
});

describe('planGates and the needs of Node tests', () => {
  const typescript = { tsconfig: 'tsconfig.json', installed: true };
  const build = { name: 'build', command: 'vite build' };

  it.each<[string, string, Partial<NodeStack>, string[], string | undefined]>([
    ['vitest', 'vitest run', { typescript }, [], 'vitest compiles the sources itself'],
    ['vitest on built files', 'vitest run --dir dist/', { typescript }, ['build'], undefined],
    [
      'jest with ts-jest',
      'jest',
      { typescript, jestTransform: 'ts-jest' },
      [],
      'jest compiles the TypeScript itself with ts-jest',
    ],
    ['jest without a TypeScript transform', 'jest', { typescript }, ['build'], undefined],
    ['jest in a JavaScript project', 'jest', {}, [], 'jest runs the JavaScript sources'],
    [
      'node --test with tsx',
      'node --import tsx --test',
      { typescript },
      [],
      'node loads the TypeScript sources itself',
    ],
    ['node --test on built files', "node --test './dist/**/*.test.js'", {}, ['build'], undefined],
    ['node --test in a TypeScript project', 'node --test', { typescript }, ['build'], undefined],
    ['a runner Sluice does not know', 'tape test/*.js', {}, ['build'], undefined],
    ['ava in a JavaScript project', 'ava', {}, [], 'ava runs the JavaScript sources'],
    ['mocha in a TypeScript project', 'mocha', { typescript }, ['build'], undefined],
    ['bun test', 'bun test', { typescript }, [], 'bun compiles the TypeScript itself'],
  ])('%s', (_, command, parts, needs, reason) => {
    const scripts = { build, test: { name: 'test', command } };
    const plan = planGates(detection({ node: nodeStack({ ...parts, scripts }) }));
    const test = byName(plan.gates).test;
    expect(test?.needs).toEqual(needs);
    const waitGuesses = plan.guessed.filter((line) => line.startsWith('test: does not wait'));
    expect(waitGuesses).toEqual(reason ? [`test: does not wait for build: ${reason}`] : []);
  });

  it('lets a vitest found without a script run beside the build, and keeps e2e tests waiting', () => {
    const scripts = { build, e2e: { name: 'test:e2e', command: 'playwright test' } };
    const node = nodeStack({ scripts, testRunner: { name: 'vitest', evidence: 'vitest.config.ts' } });
    const gates = byName(planGates(detection({ node })).gates);
    expect([gates.test?.needs, gates.e2e?.needs]).toEqual([[], ['build']]);
  });
});

describe('planGates for Python', () => {
  const tools = {
    pytest: { name: 'pytest', evidence: 'pyproject.toml' },
    ruff: { name: 'ruff', evidence: 'pyproject.toml' },
    mypy: { name: 'mypy', evidence: 'pyproject.toml' },
  } as const;

  it('runs the tools with the virtualenv found at init, ruff included when it is installed there', () => {
    const plan = planGates(detection({ python: { ...tools, virtualenv: { dir: '.venv', hasRuff: true } } }));
    expect(plan.gates.map((gate) => gate.run)).toEqual([
      '.venv/bin/ruff check --no-fix .',
      '.venv/bin/python -m mypy .',
      '.venv/bin/python -m pytest --junitxml=.sluice/reports/test.xml',
    ]);
    expect(plan.notes).toEqual([
      'Python: the tools run with .venv/bin/python, found at init; the gates need that virtualenv where they run',
    ]);
  });

  it('takes ruff from PATH when the virtualenv has none', () => {
    const plan = planGates(detection({ python: { ...tools, virtualenv: { dir: 'venv', hasRuff: false } } }));
    expect(plan.gates.map((gate) => gate.run)).toEqual([
      'ruff check --no-fix .',
      'venv/bin/python -m mypy .',
      'venv/bin/python -m pytest --junitxml=.sluice/reports/test.xml',
    ]);
    expect(plan.notes[0]).toMatch(/ruff is not installed there, so it comes from PATH$/);
  });

  it('runs python -m through the lockfile runner, which also beats a virtualenv folder', () => {
    const python: PythonStack = {
      ...tools,
      runPrefix: { name: 'poetry run', evidence: 'poetry.lock' },
      virtualenv: { dir: '.venv', hasRuff: true },
    };
    const plan = planGates(detection({ python }));
    expect(plan.gates.map((gate) => gate.run)).toEqual([
      'poetry run ruff check --no-fix .',
      'poetry run python -m mypy .',
      'poetry run python -m pytest --junitxml=.sluice/reports/test.xml',
    ]);
    // poetry.lock is a `found` line already; nothing about the environment was guessed.
    expect(plan.notes).toEqual([]);
  });

  it('never lets ruff fix files, which its config may ask for with "fix = true"', () => {
    const plan = planGates(detection({ python: { ruff: tools.ruff } }));
    expect(plan.gates[0]?.run).toBe('ruff check --no-fix .');
  });

  it('runs a bare mypy when its config lists the files to check', () => {
    const plan = planGates(detection({ python: { mypy: { ...tools.mypy, configuresFiles: true } } }));
    expect(plan.gates[0]?.run).toBe('python3 -m mypy');
    expect(plan.guessed.filter((line) => line.startsWith('typecheck:'))).toEqual([]);
  });

  it('makes pytest import a package kept in src/ from there, unless a lockfile runner installs the project', () => {
    const plan = planGates(detection({ python: { pytest: tools.pytest, srcLayout: 'src' } }));
    expect(plan.gates[0]?.run).toBe('python3 -m pytest -o pythonpath=src --junitxml=.sluice/reports/test.xml');
    expect(plan.guessed).toContain(
      'test: adds "-o pythonpath=src": the package sits in src/, so the tests import it from there, not an installed copy that does not change with the sources',
    );
    const runPrefix = { name: 'uv run', evidence: 'uv.lock' } as const;
    const installed = planGates(detection({ python: { pytest: tools.pytest, srcLayout: 'src', runPrefix } }));
    expect(installed.gates[0]?.run).toBe('uv run python -m pytest --junitxml=.sluice/reports/test.xml');
  });

  it('says why pytest runs as a module', () => {
    const plan = planGates(detection({ python: { pytest: tools.pytest } }));
    expect(plan.gates[0]?.run).toBe('python3 -m pytest --junitxml=.sluice/reports/test.xml');
    expect(plan.guessed).toContain(
      'test: runs "python3 -m pytest", not "pytest": it puts the repository folder on sys.path, so tests import a package that sits beside tests/ without being installed',
    );
  });
});

describe('planGates inputs', () => {
  it('covers the whole repository less the output folders of every detected stack', () => {
    const node = nodeStack({ scripts: { test: { name: 'test', command: 'vitest run' } } });
    const plan = planGates(detection({ node, rust: { crate: 'x', workspace: false }, go: { module: 'x' } }));
    for (const gate of plan.gates) expect(gate.inputs).toEqual(['**/*', ...nodeOutputs, '!target/**']);
  });

  it('keeps an unignored build/ folder as an input, since it may hold sources, and says so', () => {
    const node = nodeStack({ scripts: { build: { name: 'build', command: 'webpack' } } });
    const plan = planGates(detection({ node, unignoredDirs: ['build', 'src'] }));
    expect(plan.gates[0]?.inputs).toEqual(['**/*', '!dist/**', '!coverage/**']);
    expect(plan.notes).toEqual([
      'build/ exists and .gitignore does not ignore it, so it stays in the inputs in case it holds sources; add "!build/**" to inputs if it is build output',
    ]);
  });
});

describe('planGates across stacks', () => {
  it('orders gates by tier and makes tests and e2e need the build', () => {
    const scripts = {
      e2e: { name: 'e2e', command: 'playwright test' },
      test: { name: 'test', command: 'tape test/*.js' },
      build: { name: 'build', command: 'vite build' },
    };
    const { gates } = planGates(detection({ node: nodeStack({ scripts }) }));
    expect(gates.map(({ name, tier, needs }) => ({ name, tier, needs }))).toEqual([
      { name: 'build', tier: 1, needs: [] },
      { name: 'test', tier: 2, needs: ['build'] },
      { name: 'e2e', tier: 3, needs: ['build'] },
    ]);
  });

  it('names a clashing gate after its stack, and its report after the new name', () => {
    const node = nodeStack({ scripts: { test: { name: 'test', command: 'vitest run' } } });
    const python: PythonStack = {
      runPrefix: { name: 'uv run', evidence: 'uv.lock' },
      pytest: { name: 'pytest', evidence: 'pytest.ini' },
    };
    const gates = byName(planGates(detection({ node, python })).gates);
    expect(Object.keys(gates)).toEqual(['test', 'python-test']);
    expect(gates['python-test']).toMatchObject({
      run: 'uv run python -m pytest --junitxml=.sluice/reports/python-test.xml',
      report: { format: 'junit', path: '.sluice/reports/python-test.xml' },
      inputs: ['**/*', '!dist/**', '!build/**', '!coverage/**', ...pythonOutputs],
    });
  });

  it('builds and tests every member of a Rust workspace', () => {
    const { gates } = planGates(detection({ rust: { workspace: true } }));
    expect(gates.map((gate) => gate.run)).toEqual(['cargo build --workspace --all-targets', 'cargo test --workspace']);
  });

  it('uses golangci-lint when the Go module configures it', () => {
    const go: GoStack = {
      module: 'example.com/x',
      linter: { name: 'golangci-lint', evidence: '.golangci.yml' },
    };
    const { gates } = planGates(detection({ go }));
    expect(gates.map(({ name, run }) => ({ name, run }))).toEqual([
      { name: 'lint', run: 'golangci-lint run' },
      { name: 'test', run: 'go test -json ./...' },
    ]);
  });

  it('keeps package.json scripts over Makefile targets that do the same job', () => {
    const node = nodeStack({ scripts: { build: { name: 'build', command: 'vite build' } } });
    const plan = planGates(detection({ node, make: { file: 'Makefile', targets: ['build', 'test'] } }));
    expect(plan.gates.map((gate) => gate.run)).toEqual(['npm run build', 'make test']);
    expect(plan.notes[0]).toBe(
      'Makefile target build not added: "npm run build" already does that; use "make build" if the target does more',
    );
  });

  it('adds a Makefile check target when it is the only check there is', () => {
    const { gates, notes } = planGates(detection({ make: { file: 'Makefile', targets: ['check'] } }));
    expect(notes).toEqual([]);
    expect(gates).toEqual([
      {
        name: 'check',
        run: 'make check',
        kind: 'other',
        tier: 1,
        needs: [],
        inputs: ['**/*'],
        report: { format: 'generic' },
        why: 'Makefile target check',
        guesses: [],
      },
    ]);
  });

  it('installs the dependencies of a clean checkout from the lockfile, rerun only when it changes', () => {
    const withLock = planGates(
      detection({ node: nodeStack({ scripts: { test: { name: 'test', command: 'vitest run' } } }) }),
    );
    expect(withLock.setup).toEqual([
      {
        run: 'npm ci --no-audit --no-fund',
        inputs: ['package.json', 'package-lock.json'],
        why: 'package-lock.json pins the dependencies',
      },
    ]);
    const pnpm = planGates(
      detection({
        node: nodeStack({
          packageManager: 'pnpm',
          packageManagerEvidence: 'pnpm-lock.yaml',
          scripts: { test: { name: 'test', command: 'vitest run' } },
        }),
      }),
    );
    expect(pnpm.setup?.[0]).toMatchObject({
      run: 'pnpm install --frozen-lockfile',
      inputs: ['package.json', 'pnpm-lock.yaml'],
    });
    const goOnly = planGates(detection({ go: { module: 'example.com/x' } }));
    expect(goOnly.setup).toBeUndefined();
  });

  it('plans nothing for a detection with no checks', () => {
    expect(planGates(detection({ node: nodeStack({}) }))).toEqual({
      warnings: [],
      gates: [],
      found: [],
      guessed: [],
      notes: [],
    });
  });
});
