import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type InitResult, initConfig } from '../../../src/config/init/init-config.ts';
import type { SluiceConfig } from '../../../src/config/schema.ts';
import { pathWithManagers, readConfig, removeTempRepos, tempRepo } from './fixture-repo.ts';

afterEach(removeTempRepos);

/** A temp repository made of the given files; `package.json` is given as its scripts. */
async function repoWith(scripts: Record<string, string> | undefined, files: Record<string, string> = {}) {
  const dir = await tempRepo();
  const all = {
    ...(scripts ? { 'package.json': JSON.stringify({ name: 'x', scripts }), 'package-lock.json': '{}' } : {}),
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

type Written = Extract<InitResult, { status: 'written' | 'nothing-found' }>;

/** Runs init (on a PATH with or without pnpm, yarn and bun) and reads back what it wrote. */
async function init(dir: string, options: { managers?: boolean } = {}) {
  const searchPath = options.managers === false ? '' : await pathWithManagers();
  const result = (await initConfig({ dir, searchPath })) as Written;
  const { config, text } = await readConfig(result.path);
  return { result, config, text };
}

/** name → run, for compact expectations. */
function runs(config: SluiceConfig): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(config.gates).map(([name, gate]) => [name, gate.run]));
}

const junit = (gate: string) => `--reporter=default --reporter=junit --outputFile.junit=.sluice/reports/${gate}.xml`;

describe('sluice init on chained scripts', () => {
  it('gives each tool of "npm run lint && vitest run" its own gate and runs eslint once', async () => {
    const dir = await repoWith({ lint: 'eslint .', test: 'npm run lint && vitest run' });
    const { config, result } = await init(dir);
    expect(runs(config)).toEqual({
      lint: 'npm run lint -- -f json -o .sluice/reports/lint.json',
      test: `npx vitest run ${junit('test')}`,
    });
    expect(config.gates.test?.report).toEqual({ format: 'junit', path: '.sluice/reports/test.xml' });
    expect(result.gates.find((gate) => gate.name === 'test')?.why).toBe(
      'package.json script test (npm run lint && vitest run), its step "vitest run"',
    );
  });

  it('splits tools chained in one script, naming each gate by its job', async () => {
    const dir = await repoWith({ test: 'tsc --noEmit && eslint src && prettier --check . && NODE_ENV=test jest' });
    const { config } = await init(dir);
    expect(runs(config)).toEqual({
      typecheck: 'npx tsc --noEmit',
      lint: 'npx eslint src -f json -o .sluice/reports/lint.json',
      format: 'npx prettier --check .',
      test: 'NODE_ENV=test npx jest --json --outputFile=.sluice/reports/test.json',
    });
    expect(config.gates.test?.report).toEqual({ format: 'jest-json', path: '.sluice/reports/test.json' });
  });

  it('splits a chain of checkers that have no report of their own, so the test runner in it gets its report', async () => {
    const dir = await repoWith({ test: 'xo && ava && tsd' });
    const { config } = await init(dir);
    expect(runs(config)).toEqual({ lint: 'npx xo --reporter=json', test: 'npx ava', typecheck: 'npx tsd' });
    expect(config.gates.test?.report).toEqual({ format: 'ava' });
    expect(config.gates.lint?.report).toEqual({ format: 'eslint-json' });
    const fixing = await init(await repoWith({ lint: 'standard --fix && stylelint "**/*.css"', test: 'tstyche' }));
    expect(runs(fixing.config)).toEqual({ lint: 'npx stylelint "**/*.css"', test: 'npm run test' });
  });

  it('follows run-s globs and leaves out what other gates already run', async () => {
    const dir = await repoWith({
      'lint:js': 'eslint .',
      'lint:style': 'prettier --check .',
      lint: 'run-s lint:*',
      test: 'vitest run',
      'test:coverage': 'vitest run --coverage',
      check: 'npm run lint && npm test',
    });
    const { config } = await init(dir);
    expect(runs(config)).toEqual({
      lint: 'npm run lint:js -- -f json -o .sluice/reports/lint.json',
      format: 'npm run lint:style',
      test: `npm run test -- ${junit('test')}`,
    });
  });

  it('keeps each tsc of a chain that checks another tsconfig, and leaves out one that checks the same again', async () => {
    const dir = await repoWith({
      typecheck: 'tsc -p scripts && tsc -p playground && tsc --project packages/plugin/tsconfig.json',
      'check:types': 'tsc --noEmit -p ./playground/',
    });
    const { config, result } = await init(dir);
    expect(runs(config)).toEqual({
      typecheck: 'npx tsc -p scripts',
      'typecheck-playground': 'npx tsc -p playground',
      'typecheck-packages-plugin': 'npx tsc --project packages/plugin/tsconfig.json',
    });
    expect(result.guessed.some((line) => line.includes('left out'))).toBe(false);
  });

  it('keeps test runs with different configs, and leaves out a rerun with other output flags', async () => {
    const dir = await repoWith({
      test: 'vitest run && vitest run -c vitest.e2e.config.ts',
      'test:coverage': 'vitest run --coverage',
    });
    const { config } = await init(dir);
    expect(runs(config)).toEqual({
      test: `npx vitest run ${junit('test')}`,
      'test-vitest.e2e.config.ts': `npx vitest run -c vitest.e2e.config.ts ${junit('test-vitest.e2e.config.ts')}`,
    });
  });

  it('runs the build a test script starts as a gate of its own, which the tests then wait for', async () => {
    const dir = await repoWith({ test: 'tsc && node --test dist/' }, { 'tsconfig.json': '{}' });
    const { config } = await init(dir);
    expect(runs(config).build).toBe('npx tsc');
    expect(config.gates.test?.run).toMatch(/^NODE_OPTIONS=".*--test-reporter=junit.*" node --test dist\/$/);
    expect(config.gates.test?.needs).toEqual(['build']);
  });

  it('keeps a chain whole when a step is a command it does not know, and skips fixers', async () => {
    const dir = await repoWith({
      test: 'node scripts/seed.js && vitest run',
      lint: 'prettier --write . && eslint .',
    });
    const { config, result } = await init(dir);
    expect(runs(config)).toEqual({
      lint: 'npx eslint . -f json -o .sluice/reports/lint.json',
      test: `npm run test -- ${junit('test')}`,
    });
    expect(result.guessed).toContain(
      'script lint: "prettier --write ." rewrites files instead of checking, so it is no gate',
    );
  });
});

describe('sluice init on scripts that call scripts Sluice cannot read', () => {
  it('gives a called script with an unknown tool a gate that runs it, and runs node --test once', async () => {
    const dir = await repoWith({
      test: 'npm run test:unit && npm run test:typescript',
      'test:unit': 'c8 --100 node --test',
      'test:coverage': 'c8 node --test && c8 report --reporter=html',
      // A tool init does not know (tstyche, which it knows now, was this example before).
      'test:typescript': 'type-test-runner',
    });
    const { config } = await init(dir);
    expect(runs(config)).toEqual({
      test: expect.stringMatching(/^npm run test:unit -- --test-reporter=spec .*--test-reporter=junit/),
      'test-typescript': 'npm run test:typescript',
    });
  });

  it('quotes a script name that the shell would read as a command', async () => {
    const dir = await repoWith({ 'lint:$(touch pwned)': 'stylelint x', test: "run-s 'lint:*'" });
    const { config } = await init(dir);
    expect(Object.values(runs(config))).toEqual(["npm run 'lint:$(touch pwned)'"]);
  });
});

describe('sluice init on script names beyond the obvious', () => {
  it('finds check:type, check:lint, check:format and test:unit, and extra lint:* scripts', async () => {
    const dir = await repoWith({
      'check:type': 'tsc --noEmit',
      'check:lint': 'eslint .',
      'check:format': 'biome format .',
      'lint:css': 'stylelint "**/*.css"',
      'test:unit': 'vitest run',
      'test:watch': 'vitest',
      'lint:fix': 'eslint --fix .',
    });
    const { config } = await init(dir);
    expect(runs(config)).toEqual({
      typecheck: 'npm run check:type',
      lint: 'npm run check:lint -- -f json -o .sluice/reports/lint.json',
      format: 'npm run check:format',
      'lint-css': 'npm run lint:css',
      test: `npm run test:unit -- ${junit('test')}`,
    });
  });
});

describe('sluice init wires each test runner to a report Sluice reads', () => {
  it.each([
    ['ava (its default output has file:line)', 'ava', 'npm run test', { format: 'ava' }],
    ['ava --tap', 'c8 ava --tap', 'npm run test', { format: 'tap' }],
    [
      'mocha',
      'mocha',
      'npm run test -- --reporter json --reporter-option output=.sluice/reports/test.json',
      { format: 'mocha-json', path: '.sluice/reports/test.json' },
    ],
    [
      'mocha with a terminal reporter (the last --reporter wins)',
      'mocha --reporter spec --check-leaks test/',
      'npm run test -- --reporter json --reporter-option output=.sluice/reports/test.json',
      { format: 'mocha-json', path: '.sluice/reports/test.json' },
    ],
    ['mocha already writing xunit', 'mocha -R xunit', 'npm run test', { format: 'generic' }],
    ['xo', 'xo', 'npm run test -- --reporter=json', { format: 'eslint-json' }],
    ['node-tap', 'tap', 'npm run test -- --reporter=tap', { format: 'tap' }],
    [
      'bun test',
      'bun test',
      'npm run test -- --reporter=junit --reporter-outfile=.sluice/reports/test.xml',
      { format: 'junit', path: '.sluice/reports/test.xml' },
    ],
    [
      'deno test',
      'deno test -A',
      'npm run test -- --junit-path=.sluice/reports/test.xml',
      { format: 'junit', path: '.sluice/reports/test.xml' },
    ],
    ['uvu (no reporter: plain text)', 'uvu tests', 'npm run test', { format: 'generic' }],
  ])('%s', async (_, script, run, report) => {
    const { config } = await init(await repoWith({ test: script }));
    expect(config.gates.test?.run).toBe(run);
    expect(config.gates.test?.report).toEqual(report);
  });

  it('runs cargo nextest when a profile writes JUnit and cargo-nextest is installed', async () => {
    const files = {
      'Cargo.toml': '[package]\nname = "widget"\nversion = "0.1.0"\n',
      '.config/nextest.toml': '[profile.ci]\nfail-fast = false\n\n[profile.ci.junit]\npath = "junit.xml"\n',
    };
    const dir = await repoWith(undefined, files);
    const bin = await pathWithManagers();
    await writeFile(join(bin, 'cargo-nextest'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const withNextest = (await initConfig({ dir, searchPath: bin })) as Written;
    const { config } = await readConfig(withNextest.path);
    expect(config.gates.test).toMatchObject({
      run: 'cargo nextest run --profile ci',
      report: { format: 'junit', path: 'target/nextest/ci/junit.xml' },
    });

    const without = (await initConfig({ dir, force: true, searchPath: '' })) as Written;
    expect((await readConfig(without.path)).config.gates.test?.run).toBe('cargo test');
    expect(without.found).toContain(
      '.config/nextest.toml → nextest profile ci writes JUnit, but cargo-nextest is not on PATH',
    );
  });
});

describe('sluice init and the package manager that is installed', () => {
  const scripts = { lint: 'pnpm exec eslint .', test: 'vitest run' };

  it('uses pnpm when the lockfile says so and pnpm is on PATH', async () => {
    const dir = await repoWith(undefined, { 'package.json': JSON.stringify({ scripts }), 'pnpm-lock.yaml': '' });
    const { config, result } = await init(dir);
    expect(config.gates.test?.run).toBe(`pnpm run test ${junit('test')}`);
    expect(config.setup?.[0]?.run).toBe('pnpm install --frozen-lockfile');
    expect(result.warnings).toEqual([]);
  });

  it('falls back to npm with a warning when pnpm is missing, instead of gates that exit 127', async () => {
    const dir = await repoWith(undefined, { 'package.json': JSON.stringify({ scripts }), 'pnpm-lock.yaml': '' });
    const { config, result, text } = await init(dir, { managers: false });
    expect(config.gates.test?.run).toBe(`npm run test -- ${junit('test')}`);
    expect(Object.values(runs(config)).join('\n')).not.toMatch(/^pnpm /m);
    expect(config.setup?.map((step) => step.run)).toEqual(['npm install --no-audit --no-fund']);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^pnpm-lock.yaml names pnpm, which is not on PATH: the gates run with npm instead/),
      'scripts lint call pnpm themselves: their gates fail until it is installed',
    ]);
    expect(text).toContain('# Warnings (fix these first):');
  });

  it('splits a chain that calls the missing pnpm into gates that start each tool with npm', async () => {
    // As unjs projects write it: the test script runs the linter, a typecheck script and vitest through pnpm.
    const chain = {
      lint: 'eslint .',
      'test:types': 'tsgo --noEmit',
      test: 'pnpm lint && pnpm test:types && pnpm vitest run',
    };
    const files = {
      'package.json': JSON.stringify({ scripts: chain, devDependencies: { vitest: '4', typescript: '6' } }),
      'pnpm-lock.yaml': '',
      'tsconfig.json': '{}',
    };
    const { config } = await init(await repoWith(undefined, files), { managers: false });
    expect(runs(config)).toEqual({
      typecheck: 'npm run test:types',
      lint: 'npm run lint -- -f json -o .sluice/reports/lint.json',
      test: `npx vitest run ${junit('test')}`,
    });
    expect(config.gates.typecheck?.kind).toBe('typecheck');
  });
});

describe('sluice init and the Python runner that is installed', () => {
  it('runs python3 with a warning when uv.lock names uv and uv is missing', async () => {
    const files = { 'pyproject.toml': '[tool.pytest.ini_options]\n', 'uv.lock': '' };
    const dir = await repoWith(undefined, files);
    const missing = await init(dir, { managers: false });
    expect(missing.config.gates.test?.run).toBe('python3 -m pytest --junitxml=.sluice/reports/test.xml');
    expect(missing.config.setup).toEqual([]);
    expect(missing.result.warnings).toEqual([
      'uv.lock names uv, which is not on PATH: the gates run python3 instead; install uv and run "sluice init --force" again',
    ]);
    // The note on where the tools come from names the lockfile rather than denying it is there.
    expect(missing.text).toContain('Python: uv.lock names uv, which is not on PATH, and no .venv/ or venv/');
    expect(missing.text).not.toContain('no uv, poetry, pdm or pipenv lockfile');

    const withUv = (await initConfig({ dir, force: true, searchPath: await pathWithManagers(['uv']) })) as Written;
    expect((await readConfig(withUv.path)).config.gates.test?.run).toBe(
      'uv run python -m pytest --junitxml=.sluice/reports/test.xml',
    );
    expect(withUv.warnings).toEqual([]);
  });
});

describe('sluice init on a Deno project', () => {
  it('plans deno lint, deno fmt --check and deno test with a JUnit report, and warns when deno is missing', async () => {
    const dir = await repoWith(undefined, { 'deno.json': '{ "tasks": {} }', 'main_test.ts': '' });
    const withDeno = (await initConfig({ dir, searchPath: await pathWithManagers(['deno']) })) as Written;
    const { config } = await readConfig(withDeno.path);
    expect(runs(config)).toEqual({
      lint: 'deno lint',
      format: 'deno fmt --check',
      test: 'deno test -A --junit-path=.sluice/reports/test.xml',
    });
    expect(config.gates.test?.report).toEqual({ format: 'junit', path: '.sluice/reports/test.xml' });
    expect(withDeno.warnings).toEqual([]);

    const without = (await initConfig({ dir, force: true, searchPath: '' })) as Written;
    expect(without.warnings).toEqual([
      'deno.json makes this a Deno project, but deno is not on PATH: its gates fail until it is installed',
    ]);
  });

  it("runs the project's lint and test tasks, with the JUnit flag passed on to a task that is one deno test", async () => {
    const tasks = {
      lint: 'deno fmt --check && deno lint',
      test: 'deno test --check=all --allow-import=jsr.io:443',
      dev: 'deno run --watch main.ts',
    };
    const dir = await repoWith(undefined, { 'deno.json': JSON.stringify({ tasks }), 'main_test.ts': '' });
    const { config, result } = await init(dir);
    // The lint task checks the formatting too, so no format gate runs it again.
    expect(runs(config)).toEqual({
      lint: 'deno task lint',
      test: 'deno task test --junit-path=.sluice/reports/test.xml',
    });
    expect(config.gates.test?.report).toEqual({ format: 'junit', path: '.sluice/reports/test.xml' });
    expect(result.found).toContain('deno.json task test → deno test --check=all --allow-import=jsr.io:443');
  });

  it('reads the tasks of a deno.jsonc with comments, and reads a chained test task as plain text', async () => {
    const jsonc = `{
  // The project's checks.
  "tasks": {
    "lint": "deno lint", /* fmt runs in CI */
    "test": { "command": "deno test -A && deno run -A scripts/smoke.ts", "dependencies": [] },
  },
}`;
    const dir = await repoWith(undefined, { 'deno.jsonc': jsonc, 'main_test.ts': '' });
    const { config } = await init(dir);
    expect(runs(config)).toEqual({ lint: 'deno task lint', format: 'deno fmt --check', test: 'deno task test' });
    expect(config.gates.test?.report).toEqual({ format: 'generic' });
  });

  it('checks with deno lint and deno fmt --check when the lint task would rewrite the files', async () => {
    const tasks = { lint: 'deno fmt && deno lint --fix', test: 'deno test' };
    const dir = await repoWith(undefined, { 'deno.json': JSON.stringify({ tasks }), 'main_test.ts': '' });
    const { config, result } = await init(dir);
    expect(runs(config)).toMatchObject({ lint: 'deno lint', format: 'deno fmt --check' });
    expect(result.guessed).toContain(
      'lint: task lint ("deno fmt && deno lint --fix") rewrites files, so the gates check with deno lint and deno fmt --check',
    );
  });
});
