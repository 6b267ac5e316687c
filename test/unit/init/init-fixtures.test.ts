import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initConfig } from '../../../src/config/init/init-config.ts';
import type { GateKind, ReportFormat, SluiceConfig } from '../../../src/config/schema.ts';
import { hashInputs } from '../../../src/gates/cache/hash-inputs.ts';
import { pathWithManagers, readConfig, removeTempRepos, tempRepo, writtenConfigPath } from './fixture-repo.ts';

afterEach(removeTempRepos);

const nodeOutputs = ['!dist/**', '!build/**', '!coverage/**'];

/** The content hash of each gate's inputs, as the cache computes it. */
async function gateHashes(dir: string, config: SluiceConfig): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const [name, gate] of Object.entries(config.gates)) {
    hashes[name] = (await hashInputs(dir, gate.inputs ?? [])).hash;
  }
  return hashes;
}

async function writeRepoFile(dir: string, file: string, text: string): Promise<void> {
  await mkdir(dirname(join(dir, file)), { recursive: true });
  await writeFile(join(dir, file), text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface ExpectedGate {
  run: string;
  kind: GateKind;
  tier: number;
  needs: string[];
  report: { format: ReportFormat; path?: string };
}

interface FixtureExpectation {
  status: 'written' | 'nothing-found';
  gates: Record<string, ExpectedGate>;
  found: string[];
  guessed: string[];
}

const gate = (
  run: string,
  kind: GateKind,
  tier: number,
  format: ReportFormat,
  needs: string[] = [],
  path?: string,
) => ({
  run,
  kind,
  tier,
  needs,
  report: path ? { format, path } : { format },
});

const expectations: Record<string, FixtureExpectation> = {
  'node-vitest-ts': {
    status: 'written',
    gates: {
      build: gate('npm run build', 'build', 1, 'tsc'),
      typecheck: gate('npm run typecheck', 'typecheck', 1, 'tsc'),
      test: gate(
        'npm run test -- --reporter=default --reporter=junit --outputFile.junit=.sluice/reports/test.xml',
        'test',
        2,
        'junit',
        [],
        '.sluice/reports/test.xml',
      ),
    },
    found: [
      'package.json script test → vitest run',
      'package-lock.json → package manager npm',
      'tsconfig.json → TypeScript',
    ],
    guessed: ['test: added "--reporter=junit"', 'test: does not wait for build: vitest compiles the sources itself'],
  },
  'node-tsc-node-test': {
    status: 'written',
    gates: {
      build: gate('npm run build', 'build', 1, 'tsc'),
      test: gate(
        'NODE_OPTIONS="$NODE_OPTIONS --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=.sluice/reports/test.xml" npm run test',
        'test',
        2,
        'junit',
        ['build'],
        '.sluice/reports/test.xml',
      ),
    },
    found: ['package.json script build → tsc', "package.json script test → node --test 'dist/**/*.test.js'"],
    guessed: [
      'build: its tsc reports every type error in tsconfig.json, so a "tsc --noEmit" gate is left out',
      'test: added "--test-reporter=junit" (a JUnit report) to node --test',
      'test: node --test reads no options after its file patterns, so the reporters go in NODE_OPTIONS',
      "test: the patterns ('dist/**/*.test.js') are passed as written: Node 21+ expands their globs, Node 20 does not",
    ],
  },
  'node-jest-eslint': {
    status: 'written',
    gates: {
      lint: gate(
        'yarn lint -f json -o .sluice/reports/lint.json',
        'lint',
        1,
        'eslint-json',
        [],
        '.sluice/reports/lint.json',
      ),
      test: gate(
        'yarn test --json --outputFile=.sluice/reports/test.json',
        'test',
        2,
        'jest-json',
        [],
        '.sluice/reports/test.json',
      ),
    },
    found: ['yarn.lock → package manager yarn', 'eslint.config.js → ESLint', 'jest.config.js → test runner jest'],
    guessed: ['lint: added "-f json -o"', 'lint: ESLint writes one format only', 'test: added "--json --outputFile"'],
  },
  'node-biome-pnpm': {
    status: 'written',
    gates: {
      build: gate('pnpm run build', 'build', 1, 'generic'),
      typecheck: gate('pnpm exec tsc --noEmit', 'typecheck', 1, 'tsc'),
      lint: gate('pnpm exec biome check .', 'lint', 1, 'generic'),
      test: gate(
        'pnpm run test --run --reporter=default --reporter=junit --outputFile.junit=.sluice/reports/test.xml',
        'test',
        2,
        'junit',
        [],
        '.sluice/reports/test.xml',
      ),
      e2e: gate('pnpm run test:e2e', 'e2e', 3, 'generic', ['build']),
    },
    found: [
      'pnpm-lock.yaml → package manager pnpm',
      'biome.json → Biome',
      'package.json script test:e2e → playwright test',
    ],
    guessed: [
      'lint: runs "biome check ."',
      'test: added "--reporter=junit"',
      'test: does not wait for build: vitest compiles the sources itself',
      'e2e: script test:e2e runs a tool Sluice has no report for',
    ],
  },
  'python-pytest': {
    status: 'written',
    gates: {
      lint: gate('ruff check --no-fix .', 'lint', 1, 'generic'),
      typecheck: gate('python3 -m mypy .', 'typecheck', 1, 'generic'),
      test: gate(
        'python3 -m pytest -o pythonpath=src --junitxml=.sluice/reports/test.xml',
        'test',
        2,
        'junit',
        [],
        '.sluice/reports/test.xml',
      ),
    },
    found: [
      'pyproject.toml [tool.pytest.ini_options] → pytest',
      'pyproject.toml [tool.ruff] → ruff',
      'pyproject.toml [tool.mypy] → mypy',
      'src/widget/ → Python package in src/',
    ],
    guessed: [
      'Python: no uv, poetry, pdm or pipenv lockfile and no .venv/ or venv/, so python3 and the tools come from PATH',
      'typecheck: checks the whole folder with "mypy ."',
      'test: adds "-o pythonpath=src": the package sits in src/',
    ],
  },
  go: {
    status: 'written',
    gates: {
      vet: gate('go vet ./...', 'lint', 1, 'generic'),
      test: gate('go test -json ./...', 'test', 2, 'go-test-json'),
    },
    found: ['go.mod → Go module example.com/widget'],
    guessed: ['vet: added "go vet ./..."'],
  },
  rust: {
    status: 'written',
    gates: {
      build: gate('cargo build --all-targets', 'build', 1, 'generic'),
      test: gate('cargo test', 'test', 2, 'generic', ['build']),
    },
    found: ['Cargo.toml → Rust crate widget'],
    guessed: ['test: cargo test has no machine-readable report'],
  },
  'makefile-only': {
    status: 'written',
    gates: {
      build: gate('make build', 'build', 1, 'generic'),
      lint: gate('make lint', 'lint', 1, 'generic'),
      test: gate('make test', 'test', 2, 'generic', ['build']),
    },
    found: ['Makefile → targets build, lint, test, check'],
    guessed: ['Makefile target check not added: it likely repeats the other gates'],
  },
  'mixed-go-make': {
    status: 'written',
    gates: {
      build: gate('make build', 'build', 1, 'generic'),
      lint: gate('make lint', 'lint', 1, 'generic'),
      test: gate('go test -json ./...', 'test', 2, 'go-test-json', ['build']),
    },
    found: ['go.mod → Go module example.com/mixed', 'Makefile → targets build, lint, test'],
    guessed: ['Makefile target lint replaces "go vet ./..."', 'Makefile target test not added: "go test -json ./..."'],
  },
  empty: {
    status: 'nothing-found',
    gates: { check: gate("echo 'replace me with your checks' && exit 1", 'other', 1, 'generic') },
    found: [],
    guessed: ['check: placeholder that fails on purpose'],
  },
};

describe('initConfig on fixture repositories', () => {
  it.each(Object.entries(expectations))('%s: writes the expected gates', async (fixture, expected) => {
    const dir = await tempRepo(fixture);
    // The fixtures' lockfiles name yarn and pnpm: plan as on a machine that has them.
    const result = await initConfig({ dir, searchPath: await pathWithManagers() });
    if (result.status === 'exists') throw new Error('a fresh fixture has no sluice.yaml');

    expect(result.status).toBe(expected.status);
    expect(result.path).toBe(join(dir, 'sluice.yaml'));
    const { config } = await readConfig(result.path);
    expect(Object.keys(config.gates)).toEqual(Object.keys(expected.gates));
    expect(result.gateNames).toEqual(Object.keys(expected.gates));
    for (const [name, expectedGate] of Object.entries(expected.gates)) {
      const { run, kind, tier, needs, report } = config.gates[name] ?? {};
      expect({ run, kind, tier, needs, report }, name).toEqual(expectedGate);
    }
    if (expected.found.length === 0) expect(result.found).toEqual([]);
    for (const line of expected.found) expect(result.found).toContain(line);
    expect(result.guessed).toHaveLength(expected.guessed.length);
    expected.guessed.forEach((start, index) => {
      expect(result.guessed[index], start).toMatch(new RegExp(`^${escapeRegExp(start)}`));
    });
  });

  it('gives every gate the whole repository as inputs, less the build output of the stack', async () => {
    const node = await readConfig(
      await writtenConfigPath(await tempRepo('node-jest-eslint'), await pathWithManagers()),
    );
    for (const gate of Object.values(node.config.gates)) {
      expect(gate.inputs).toEqual(['**/*', '!dist/**', '!build/**', '!coverage/**']);
    }
    const rust = await readConfig(await writtenConfigPath(await tempRepo('rust')));
    for (const gate of Object.values(rust.config.gates)) expect(gate.inputs).toEqual(['**/*', '!target/**']);
    const make = await readConfig(await writtenConfigPath(await tempRepo('makefile-only')));
    for (const gate of Object.values(make.config.gates)) expect(gate.inputs).toEqual(['**/*']);
  });

  it.each([
    ['node-vitest-ts', 'tests/new.test.ts'],
    ['node-vitest-ts', 'src/native/x.c'],
    ['node-vitest-ts', 'vite.config.mts'],
    ['python-pytest', 'tests/test_new.py'],
    ['python-pytest', 'conftest.py'],
    ['rust', 'benches/speed.rs'],
    ['makefile-only', 'lib/x.c'],
    ['makefile-only', 'include/x.h'],
  ])('%s: a file created after init (%s) changes the cache key of every gate', async (fixture, file) => {
    const dir = await tempRepo(fixture);
    const { config } = await readConfig(await writtenConfigPath(dir));
    const before = await gateHashes(dir, config);
    await writeRepoFile(dir, file, 'new\n');
    const after = await gateHashes(dir, config);
    for (const name of Object.keys(config.gates)) expect(after[name], name).not.toBe(before[name]);
  });

  it.each([
    ['node-vitest-ts', ['dist/index.js', 'build/app.js', 'coverage/lcov.info', 'node_modules/x/index.js']],
    ['python-pytest', ['src/widget/__pycache__/a.pyc', '.pytest_cache/v/lastfailed', '.venv/bin/python']],
    ['python-pytest', ['.mypy_cache/3.12/x.json', '.ruff_cache/0.5/x', 'src/widget.egg-info/PKG-INFO']],
    ['rust', ['target/debug/widget', 'target/release/widget']],
    ['node-vitest-ts', ['.sluice/reports/test.xml', '.git/index']],
  ])('%s: build output and caches written later (%j) leave the cache key alone', async (fixture, files) => {
    const dir = await tempRepo(fixture);
    const { config } = await readConfig(await writtenConfigPath(dir));
    const before = await gateHashes(dir, config);
    for (const file of files) await writeRepoFile(dir, file, 'output\n');
    expect(await gateHashes(dir, config)).toEqual(before);
  });

  it('keeps a build/ folder that exists and is not ignored as an input, in case it holds sources', async () => {
    const dir = await tempRepo('node-vitest-ts');
    await writeRepoFile(dir, 'build/webpack.config.js', 'module.exports = {};\n');
    const result = await initConfig({ dir });
    if (result.status !== 'written') throw new Error(`expected a new sluice.yaml, got ${result.status}`);
    const { config } = await readConfig(result.path);
    expect(config.gates.test?.inputs).toEqual(['**/*', '!dist/**', '!coverage/**']);
    expect(result.guessed).toContain(
      'build/ exists and .gitignore does not ignore it, so it stays in the inputs in case it holds sources; add "!build/**" to inputs if it is build output',
    );
    const before = await gateHashes(dir, config);
    await writeRepoFile(dir, 'build/webpack.config.js', 'module.exports = { mode: "production" };\n');
    expect((await gateHashes(dir, config)).test).not.toBe(before.test);
  });

  it('leaves a build/ folder out when .gitignore ignores it', async () => {
    const dir = await tempRepo('node-vitest-ts');
    await writeRepoFile(dir, 'build/app.js', '');
    await writeRepoFile(dir, '.gitignore', 'build/\n');
    const result = await initConfig({ dir });
    if (result.status !== 'written') throw new Error(`expected a new sluice.yaml, got ${result.status}`);
    expect((await readConfig(result.path)).config.gates.test?.inputs).toEqual(['**/*', ...nodeOutputs]);
    expect(result.guessed.filter((line) => line.startsWith('build/'))).toEqual([]);
  });

  it('writes a placeholder for an unrecognized repository that fails until replaced', async () => {
    const dir = await tempRepo('empty');
    const { config } = await readConfig(await writtenConfigPath(dir));
    const placeholder = config.gates.check;
    expect(placeholder?.inputs).toBeUndefined();
    const outcome = spawnSync('sh', ['-c', placeholder?.run ?? ''], { cwd: dir, encoding: 'utf8' });
    expect(outcome.status).toBe(1);
    expect(outcome.stdout).toContain('replace me');
  });
});
