import { describe, expect, it } from 'vitest';
import type { GoStack, NodeStack, PythonStack, StackDetection } from '../../../src/config/init/detect-stack.ts';
import { type PlannedGate, planGates } from '../../../src/config/init/plan-gates.ts';

function detection(parts: Partial<StackDetection>): StackDetection {
  return { dir: '/repo', projectDirs: ['src'], findings: [], ...parts };
}

function nodeStack(parts: Partial<NodeStack>): NodeStack {
  return { packageManager: 'npm', packageManagerEvidence: 'package-lock.json', scripts: {}, inputFiles: [], ...parts };
}

function byName(gates: PlannedGate[]): Record<string, PlannedGate> {
  return Object.fromEntries(gates.map((gate) => [gate.name, gate]));
}

describe('planGates for package.json scripts', () => {
  it('adds the report flags to the last command of a chained script', () => {
    const scripts = { test: { name: 'test', command: 'tsc -p . && vitest run' } };
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
    const node: NodeStack = {
      packageManager: 'npm',
      scripts: { build: { name: 'build', command: 'vite build' } },
      inputFiles: [],
    };
    expect(planGates(detection({ node })).notes).toEqual([
      'package.json: no lockfile or packageManager field, so npm is assumed',
    ]);
  });
});

describe('planGates across stacks', () => {
  it('orders gates by tier and makes tests and e2e need the build', () => {
    const scripts = {
      e2e: { name: 'e2e', command: 'playwright test' },
      test: { name: 'test', command: 'vitest run' },
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
      inputFiles: ['pytest.ini'],
    };
    const gates = byName(planGates(detection({ node, python })).gates);
    expect(Object.keys(gates)).toEqual(['test', 'python-test']);
    expect(gates['python-test']).toMatchObject({
      run: 'uv run pytest --junitxml=.sluice/reports/python-test.xml',
      report: { format: 'junit', path: '.sluice/reports/python-test.xml' },
      inputs: ['src/**', '*.py', 'pytest.ini'],
    });
  });

  it('builds and tests every member of a Rust workspace', () => {
    const { gates } = planGates(detection({ rust: { workspace: true, inputFiles: ['Cargo.toml'] } }));
    expect(gates.map((gate) => gate.run)).toEqual(['cargo build --workspace --all-targets', 'cargo test --workspace']);
  });

  it('uses golangci-lint when the Go module configures it', () => {
    const go: GoStack = {
      module: 'example.com/x',
      linter: { name: 'golangci-lint', evidence: '.golangci.yml' },
      inputFiles: [],
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
    const { gates } = planGates(detection({ make: { file: 'Makefile', targets: ['check'] } }));
    expect(gates).toEqual([
      {
        name: 'check',
        run: 'make check',
        kind: 'other',
        tier: 1,
        needs: [],
        inputs: ['src/**', '*'],
        report: { format: 'generic' },
        why: 'Makefile target check',
        guesses: [],
      },
    ]);
  });

  it('plans nothing for a detection with no checks', () => {
    expect(planGates(detection({ node: nodeStack({}) }))).toEqual({ gates: [], found: [], guessed: [], notes: [] });
  });
});
