import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runGate } from '../../../src/gates/run-gate.ts';
import { readConfig, removeTempRepos, tempRepo, writtenConfigPath } from './fixture-repo.ts';

afterEach(removeTempRepos);

/** A temp repository made of the given files. */
async function repoWith(files: Record<string, string>): Promise<string> {
  const dir = await tempRepo();
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

/** Runs `sluice init` in `dir`, then the planned gate `name` through the real gate runner. */
async function initAndRunGate(dir: string, name: string) {
  const { config } = await readConfig(await writtenConfigPath(dir));
  const gate = config.gates[name];
  if (!gate) throw new Error(`init planned no ${name} gate`);
  const result = await runGate(name, gate, { root: dir, sluiceDir: join(dir, '.sluice') });
  const log = result.logPath ? await readFile(join(dir, result.logPath), 'utf8') : '';
  return { gate, result, log };
}

const nodeTests = `import { test } from 'node:test';
import assert from 'node:assert/strict';
test('adds', () => assert.equal(1 + 1, 3));
test('subtracts', () => assert.equal(2 - 1, 1));
`;

describe('the node --test gate init plans, run for real', () => {
  it.each([
    ['names no files (flags appended to the script)', 'node --test'],
    ['names its files (flags in NODE_OPTIONS)', 'node --test test/math.test.mjs'],
  ])('writes a JUnit report naming the failing test when the script %s', async (_, script) => {
    const dir = await repoWith({
      'package.json': JSON.stringify({ scripts: { test: script } }),
      'package-lock.json': '{}',
      'test/math.test.mjs': nodeTests,
    });
    const { gate, result, log } = await initAndRunGate(dir, 'test');
    expect(gate.report).toEqual({ format: 'junit', path: '.sluice/reports/test.xml' });
    expect(result.status, log).toBe('failed');
    expect(result.problems).toEqual([]);
    expect(result.failures.map((failure) => failure.test)).toEqual(['adds']);
    expect(result.counts).toMatchObject({ total: 2, passed: 1, failed: 1 });
    // The spec reporter still writes the terminal output.
    expect(log).toMatch(/✖ adds/);
  });
});

/** Whether python3 can import pytest here; the real-run Python test needs it. */
const hasPytest = spawnSync('python3', ['-c', 'import pytest'], { encoding: 'utf8' }).status === 0;

describe('the pytest gate init plans, run for real', () => {
  it.skipIf(!hasPytest)('passes on a flat layout, where bare pytest cannot import the package', async () => {
    const dir = await repoWith({
      'pyproject.toml':
        '[project]\nname = "mypkg"\nversion = "0.1.0"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
      'mypkg/__init__.py': 'def double(x):\n    return 2 * x\n',
      'tests/test_double.py': 'from mypkg import double\n\n\ndef test_double():\n    assert double(2) == 4\n',
    });
    const { gate, result, log } = await initAndRunGate(dir, 'test');
    expect(gate.run).toBe('python3 -m pytest --junitxml=.sluice/reports/test.xml');
    expect(result.status, log).toBe('passed');
    expect(result.counts).toMatchObject({ total: 1, passed: 1, failed: 0 });

    // What the gate used to run, the `pytest` script, has its own folder on sys.path instead of the repository:
    // the same tests then fail to import.
    const asScript = 'import sys; sys.path.pop(0); import pytest; sys.exit(pytest.console_main())';
    const bare = spawnSync('python3', ['-c', asScript], { cwd: dir, encoding: 'utf8' });
    expect(bare.stdout).toMatch(/ModuleNotFoundError: No module named 'mypkg'/);
  });
});

describe('the pytest gate init plans for a src layout, run for real', () => {
  const sources = {
    'pyproject.toml':
      '[project]\nname = "srcpkg"\nversion = "0.1.0"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
    'tests/test_double.py': 'from srcpkg import double\n\n\ndef test_double():\n    assert double(2) == 4\n',
  };

  it.skipIf(!hasPytest)('tests the sources in src/, not an installed copy of the package', async () => {
    // The sources are broken; an installed copy (here on PYTHONPATH, as site-packages would be) still works.
    const dir = await repoWith({
      ...sources,
      'src/srcpkg/__init__.py': 'def double(x):\n    return 3 * x\n',
      'installed/srcpkg/__init__.py': 'def double(x):\n    return 2 * x\n',
    });
    const { config } = await readConfig(await writtenConfigPath(dir));
    const gate = config.gates.test;
    if (!gate) throw new Error('init planned no test gate');
    const withInstalledCopy = { ...gate, env: { PYTHONPATH: join(dir, 'installed') } };
    const result = await runGate('test', withInstalledCopy, { root: dir, sluiceDir: join(dir, '.sluice') });
    expect(result.status).toBe('failed');
    expect(result.failures.map((failure) => failure.test)).toEqual(['tests.test_double > test_double']);
  });

  it.skipIf(!hasPytest)('passes when the package in src/ is not installed at all', async () => {
    const dir = await repoWith({ ...sources, 'src/srcpkg/__init__.py': 'def double(x):\n    return 2 * x\n' });
    const { gate, result, log } = await initAndRunGate(dir, 'test');
    expect(gate.run).toBe('python3 -m pytest -o pythonpath=src --junitxml=.sluice/reports/test.xml');
    expect(result.status, log).toBe('passed');
  });
});
