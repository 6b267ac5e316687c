import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initConfig } from '../../../src/config/init/init-config.ts';
import type { GateKind, ReportFormat } from '../../../src/config/schema.ts';
import { readConfig, removeTempRepos, tempRepo, writtenConfigPath } from './fixture-repo.ts';

afterEach(removeTempRepos);

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
        ['build'],
        '.sluice/reports/test.xml',
      ),
    },
    found: [
      'package.json script test → vitest run',
      'package-lock.json → package manager npm',
      'tsconfig.json → TypeScript',
    ],
    guessed: ['test: added "--reporter=junit"'],
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
        ['build'],
        '.sluice/reports/test.xml',
      ),
      e2e: gate('pnpm run test:e2e', 'e2e', 3, 'generic', ['build']),
    },
    found: [
      'pnpm-lock.yaml → package manager pnpm',
      'biome.json → Biome',
      'package.json script test:e2e → playwright test',
    ],
    guessed: ['lint: runs "biome check ."', 'e2e: script test:e2e runs a tool Sluice has no report for'],
  },
  'python-pytest': {
    status: 'written',
    gates: {
      lint: gate('ruff check .', 'lint', 1, 'generic'),
      typecheck: gate('mypy .', 'typecheck', 1, 'generic'),
      test: gate('pytest --junitxml=.sluice/reports/test.xml', 'test', 2, 'junit', [], '.sluice/reports/test.xml'),
    },
    found: [
      'pyproject.toml [tool.pytest.ini_options] → pytest',
      'pyproject.toml [tool.ruff] → ruff',
      'pyproject.toml [tool.mypy] → mypy',
    ],
    guessed: ['Python: no uv, poetry, pdm or pipenv lockfile', 'typecheck: checks the whole folder with "mypy ."'],
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
    guessed: ['Makefile target check not added', 'Makefile targets: inputs cover every source file'],
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
    const result = await initConfig({ dir });
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
    for (const start of expected.guessed)
      expect(
        result.guessed.some((line) => line.startsWith(start)),
        start,
      ).toBe(true);
  });

  it('gives node gates the source folders, root sources and the lockfile as inputs', async () => {
    const dir = await tempRepo('node-jest-eslint');
    const { config } = await readConfig(await writtenConfigPath(dir));
    expect(config.gates.lint?.inputs).toEqual(['src/**', '*.{js,cjs,mjs,jsx,ts,cts,mts,tsx,json}', 'yarn.lock']);
  });

  it('gives Makefile gates every source file as inputs, since a target may read anything', async () => {
    const dir = await tempRepo('makefile-only');
    const { config } = await readConfig(await writtenConfigPath(dir));
    expect(config.gates.test?.inputs).toEqual(['src/**', '*']);
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
