import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { adderTest } from '../support/run-fixtures.ts';
import { checkJson } from '../support/sluice-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { writeFiles } from '../support/write-files.ts';

// The exit status of a test gate is what the code under test controls: it can end the runner with status 0
// before the runner writes its report, or force 0 at exit after the runner reported the failures. The report
// the gate names is the runner's own account, and a gate passes only when it agrees.
const noPytest = spawnSync('python3', ['-c', 'import pytest'], { stdio: 'ignore' }).status !== 0;

const pytestGate = `gates:
  unit:
    run: python3 -m pytest -q -p no:cacheprovider --junitxml=.sluice/reports/unit.xml tests
    env: { PYTHONPATH: src, PYTHONDONTWRITEBYTECODE: "1" }
    kind: test
    report: { format: junit, path: .sluice/reports/unit.xml }
`;

/** A pytest project whose add() is wrong, its module opening with `prelude`. */
function pytestProject(prelude: string): string {
  const dir = tempDir();
  writeFiles(dir, {
    'src/adder.py': `${prelude}\n\ndef add(a, b):\n    return a - b\n`,
    'tests/test_adder.py': 'from adder import add\n\n\ndef test_adds_two_numbers():\n    assert add(2, 3) == 5\n',
    'sluice.yaml': pytestGate,
  });
  return dir;
}

describe('a gate whose command exits 0 while its report says otherwise', () => {
  it.skipIf(noPytest)(
    'fails when the code under test forces status 0 at exit after pytest reported the failure',
    async () => {
      const { exitCode, json, gate } = await checkJson(
        pytestProject('import atexit\nimport os\n\natexit.register(os._exit, 0)'),
      );
      expect(gate('unit')).toMatchObject({
        status: 'failed',
        exit_code: 0,
        reason: 'it exited 0, but its report .sluice/reports/unit.xml counts 1 failed test',
      });
      expect(gate('unit').failures).toEqual([
        expect.objectContaining({ test: expect.stringContaining('test_adds_two_numbers') }),
      ]);
      expect(json.verdict).toBe('failed');
      expect(exitCode).toBe(1);
    },
  );

  it.skipIf(noPytest)(
    'fails when the code under test ends pytest with status 0 before it writes its report',
    async () => {
      const { json, gate } = await checkJson(pytestProject('import os\n\nos._exit(0)'));
      expect(gate('unit')).toMatchObject({
        status: 'failed',
        exit_code: 0,
        reason: 'it exited 0, but its report .sluice/reports/unit.xml was not written: the run ended early',
      });
      expect(json.verdict).toBe('failed');
    },
  );

  it('fails a node:test run whose failures the command swallows, and keeps the failures as feedback', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'package.json': '{ "type": "module" }\n',
      'src/add.js': 'export function add(a, b) {\n  return a - b;\n}\n',
      'test/add.test.js': adderTest,
      'sluice.yaml': `gates:
  unit:
    run: node --test --test-reporter=junit --test-reporter-destination=.sluice/reports/unit.xml "test/*.test.js" || true
    kind: test
    report: { format: junit, path: .sluice/reports/unit.xml }
`,
    });
    const { gate } = await checkJson(dir);
    expect(gate('unit')).toMatchObject({ status: 'failed', exit_code: 0 });
    expect(gate('unit').reason).toMatch(/counts 1 failed test$/);
    expect(gate('unit').failures).toEqual([expect.objectContaining({ test: 'adds two numbers' })]);
  });

  it('lets a lint gate pass with warnings its JUnit report lists as failures', async () => {
    const dir = tempDir();
    const warning =
      '<?xml version="1.0"?><testsuites><testsuite name="src/a.js" tests="1"><testcase name="no-unused-vars" classname="src/a.js"><failure message="Warning - unused x"/></testcase></testsuite></testsuites>';
    writeFiles(dir, {
      'sluice.yaml': `gates:
  lint:
    run: mkdir -p .sluice/reports && printf '%s' '${warning}' > .sluice/reports/lint.xml
    kind: lint
    report: { format: junit, path: .sluice/reports/lint.xml }
`,
    });
    const { gate } = await checkJson(dir);
    expect(gate('lint').status).toBe('passed');
  });
});
