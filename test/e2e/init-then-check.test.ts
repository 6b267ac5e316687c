import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkJson, repoRoot, runSluice } from '../support/sluice-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { writeFiles } from '../support/write-files.ts';

/**
 * `sluice init` then `sluice check` on small repositories, through the real CLI: the gates init writes must run
 * and name the failing tests. The repositories borrow Sluice's node_modules (vitest, mocha, ava, biome), so
 * nothing is installed.
 */

/** A PATH with node and the system tools, and no pnpm, yarn or bun. */
const pathWithoutManagers = [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':');

function repo(files: Record<string, string>): string {
  const dir = tempDir('sluice-init-e2e-');
  writeFiles(dir, { '.gitignore': 'node_modules/\n', ...files });
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

const mathSource = 'export function add(a, b) {\n  return a - b;\n}\n';

describe('sluice init, then sluice check runs the gates it wrote', () => {
  it('node --test behind a chained script with a pnpm lockfile and no pnpm: npm runs it, failures are exact', async () => {
    const dir = repo({
      'package.json': JSON.stringify({
        type: 'module',
        scripts: { lint: 'biome lint src', test: 'pnpm run lint && node --test' },
      }),
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'src/math.js': mathSource,
      'test/math.test.js': [
        "import { test } from 'node:test';",
        "import assert from 'node:assert/strict';",
        "import { add } from '../src/math.js';",
        '',
        "test('adds', () => {",
        '  assert.equal(add(2, 2), 4);',
        '});',
        '',
      ].join('\n'),
    });
    const env = { PATH: pathWithoutManagers };
    const init = await runSluice(['init'], { cwd: dir, env });
    expect(init.exitCode, init.stderr).toBe(0);
    expect(init.stderr).toMatch(/^sluice: warning: pnpm-lock.yaml names pnpm, which is not on PATH/m);
    // The test gate runs node --test itself, so the script's own "pnpm run lint" is no problem.
    expect(init.stderr).not.toContain('call pnpm themselves');
    const yaml = readFileSync(join(dir, 'sluice.yaml'), 'utf8');
    expect(yaml).toContain('run: npm run lint\n');
    expect(yaml).toMatch(/run: node --test --test-reporter=spec .*--test-reporter=junit/);
    expect(yaml).not.toMatch(/run: pnpm/);

    const { json, gate, stdout } = await checkJson(dir);
    expect(json.verdict, stdout).toBe('failed');
    expect(gate('lint').status).toBe('passed');
    expect(gate('test').status).toBe('failed');
    expect(gate('test').failures).toEqual([
      expect.objectContaining({ test: 'adds', file: 'test/math.test.js', line: 6, expected: '4', received: '0' }),
    ]);
  }, 60_000);

  it('a script chaining vitest and mocha: each runner its own gate and report', async () => {
    const dir = repo({
      'package.json': JSON.stringify({
        type: 'module',
        scripts: {
          test: 'npm run test:unit && npm run test:mocha',
          'test:unit': 'vitest run',
          'test:mocha': 'mocha spec/',
        },
      }),
      'package-lock.json': '{}',
      'src/math.js': mathSource,
      'test/math.test.js': [
        "import { expect, test } from 'vitest';",
        "import { add } from '../src/math.js';",
        '',
        "test('adds with vitest', () => {",
        '  expect(add(1, 2)).toBe(3);',
        '});',
        '',
      ].join('\n'),
      'spec/math.js': [
        "import assert from 'node:assert/strict';",
        "import { add } from '../src/math.js';",
        '',
        "describe('math', () => {",
        "  it('adds with mocha', () => {",
        '    assert.equal(add(5, 2), 7);',
        '  });',
        '});',
        '',
      ].join('\n'),
    });
    expect((await runSluice(['init'], { cwd: dir })).exitCode).toBe(0);
    const yaml = readFileSync(join(dir, 'sluice.yaml'), 'utf8');
    expect(yaml).toContain('run: npm run test:unit -- --reporter=default --reporter=junit');
    expect(yaml).toContain('run: npm run test:mocha -- --reporter json --reporter-option output=');

    const { json, gate, stdout } = await checkJson(dir);
    expect(json.gates.map((entry) => entry.name).sort(), stdout).toEqual(['test', 'test-mocha']);
    expect(gate('test').failures).toEqual([
      expect.objectContaining({
        test: expect.stringContaining('adds with vitest'),
        file: 'test/math.test.js',
        line: 5,
      }),
    ]);
    expect(gate('test-mocha').failures).toEqual([
      expect.objectContaining({
        test: expect.stringContaining('adds with mocha'),
        line: 6,
        expected: '7',
        received: '3',
      }),
    ]);
  }, 90_000);

  it('ava: its own output read with the ava reader, file:line and values', async () => {
    const dir = repo({
      'package.json': JSON.stringify({ type: 'module', scripts: { test: 'ava' } }),
      'package-lock.json': '{}',
      'src/math.js': mathSource,
      'test/math.test.js': [
        "import test from 'ava';",
        "import { add } from '../src/math.js';",
        '',
        "test('adds with ava', (t) => {",
        '  t.is(add(1, 1), 2);',
        '});',
        '',
      ].join('\n'),
    });
    expect((await runSluice(['init'], { cwd: dir })).exitCode).toBe(0);
    const yaml = readFileSync(join(dir, 'sluice.yaml'), 'utf8');
    expect(yaml).toContain('run: npm run test\n');
    expect(yaml).toContain('format: ava\n');
    const { gate } = await checkJson(dir);
    expect(gate('test').status).toBe('failed');
    expect(gate('test').counts).toMatchObject({ total: 1, failed: 1 });
    expect(gate('test').failures).toEqual([
      expect.objectContaining({
        test: 'adds with ava',
        file: 'test/math.test.js',
        line: 5,
        expected: '2',
        received: '0',
      }),
    ]);
  }, 60_000);
});

describe('sluice init --dry-run', () => {
  it('prints the file it would write and where each gate came from, and writes nothing', async () => {
    const dir = repo({
      'package.json': JSON.stringify({
        scripts: { 'check:lint': 'biome lint .', test: 'npm run check:lint && vitest run' },
      }),
      'package-lock.json': '{}',
    });
    const gitignore = readFileSync(join(dir, '.gitignore'), 'utf8');
    const run = await runSluice(['init', '--dry-run'], { cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Would write ${join(dir, 'sluice.yaml')}:\n\n# sluice.yaml`));
    expect(run.stdout).toContain('\n---\nversion: 1\n');
    expect(run.stdout).toContain(
      [
        'Gates:',
        '  lint: package.json script check:lint (biome lint .)',
        '  test: package.json script test (npm run check:lint && vitest run), its step "vitest run"',
        '',
        'Nothing written (--dry-run).',
      ].join('\n'),
    );
    expect(existsSync(join(dir, 'sluice.yaml'))).toBe(false);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(gitignore);
  });
});
