import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectStack } from '../../../src/config/init/detect-stack.ts';
import { fixturePath, pathWithManagers, removeTempRepos, tempRepo } from './fixture-repo.ts';

afterEach(removeTempRepos);

/** An executable file at `path` inside `dir`, as a virtualenv's bin/python is. */
async function executable(dir: string, path: string): Promise<void> {
  await mkdir(join(dir, path, '..'), { recursive: true });
  await writeFile(join(dir, path), '#!/bin/sh\n');
  await chmod(join(dir, path), 0o755);
}

/** A temp repository made of the given files. */
async function repoWith(files: Record<string, string>): Promise<string> {
  const dir = await tempRepo();
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

describe('detectStack on Node projects', () => {
  it('reads scripts, the npm lockfile, tsconfig and vitest from node-vitest-ts', async () => {
    const detection = await detectStack(fixturePath('node-vitest-ts'));
    expect(detection.node).toEqual({
      packageManager: 'npm',
      packageManagerEvidence: 'package-lock.json',
      scripts: {
        build: { name: 'build', command: 'tsc -p tsconfig.build.json' },
        typecheck: { name: 'typecheck', command: 'tsc --noEmit' },
        test: { name: 'test', command: 'vitest run' },
      },
      scriptTable: {
        build: 'tsc -p tsconfig.build.json',
        start: 'node dist/index.js',
        test: 'vitest run',
        typecheck: 'tsc --noEmit',
      },
      typescript: { tsconfig: 'tsconfig.json', installed: true },
      testRunner: { name: 'vitest', evidence: 'package.json' },
    });
    expect(detection.unignoredDirs).toEqual(['src', 'test']);
    expect([detection.python, detection.go, detection.rust, detection.make]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('finds yarn, jest and ESLint from their files', async () => {
    const { node } = await detectStack(fixturePath('node-jest-eslint'));
    expect(node?.packageManager).toBe('yarn');
    expect(node?.testRunner).toEqual({ name: 'jest', evidence: 'jest.config.js' });
    expect(node?.linter).toEqual({ name: 'eslint', evidence: 'eslint.config.js' });
    expect(node?.typescript).toBeUndefined();
  });

  it('finds pnpm, Biome and the e2e script', async () => {
    const { node } = await detectStack(fixturePath('node-biome-pnpm'));
    expect(node?.packageManager).toBe('pnpm');
    expect(node?.linter).toEqual({ name: 'biome', evidence: 'biome.json' });
    expect(node?.scripts.e2e).toEqual({ name: 'test:e2e', command: 'playwright test' });
    expect(node?.scripts.lint).toBeUndefined();
  });

  it('ignores the failing test script npm init writes, and takes the manager from packageManager', async () => {
    const scripts = { test: 'echo "Error: no test specified" && exit 1' };
    const dir = await repoWith({ 'package.json': JSON.stringify({ packageManager: 'bun@1.1.0', scripts }) });
    const { node, findings } = await detectStack(dir);
    expect(node?.scripts).toEqual({});
    expect(node?.packageManager).toBe('bun');
    expect(findings).toContainEqual({ file: 'package.json', subject: 'packageManager field', says: 'bun' });
  });

  it('skips a package.json that is not JSON and says so', async () => {
    const dir = await repoWith({ 'package.json': '{ "scripts": ' });
    const { node, findings } = await detectStack(dir);
    expect(node).toBeUndefined();
    expect(findings).toEqual([{ file: 'package.json', says: 'not valid JSON, skipped' }]);
  });

  it('lists the top-level folders that .gitignore and .git/info/exclude do not ignore, .git left out', async () => {
    const dir = await repoWith({
      '.gitignore': 'node_modules/\n/dist\n',
      '.git/info/exclude': 'scratch\n',
      'src/a.js': '',
      'node_modules/x/index.js': '',
      'dist/a.js': '',
      'scratch/notes.txt': '',
      '.github/ci.yml': '',
      'build/webpack.config.js': '',
      'lib/b.js': '',
    });
    expect((await detectStack(dir)).unignoredDirs).toEqual(['.github', 'build', 'lib', 'src']);
  });

  it('finds the dependency that lets jest compile TypeScript', async () => {
    const devDependencies = { jest: '29', 'ts-jest': '29', typescript: '5' };
    const dir = await repoWith({ 'package.json': JSON.stringify({ devDependencies }), 'tsconfig.json': '{}' });
    const { node, findings } = await detectStack(dir);
    expect(node?.jestTransform).toBe('ts-jest');
    expect(findings).toContainEqual({ file: 'package.json', subject: 'dependency', says: 'jest transform ts-jest' });
    const plain = await repoWith({ 'package.json': JSON.stringify({ devDependencies: { jest: '29' } }) });
    expect((await detectStack(plain)).node?.jestTransform).toBeUndefined();
  });
});

describe('detectStack on Python projects', () => {
  it('finds pytest, ruff and mypy from pyproject.toml sections', async () => {
    const { python } = await detectStack(fixturePath('python-pytest'));
    expect(python).toEqual({
      pytest: { name: 'pytest', evidence: 'pyproject.toml' },
      ruff: { name: 'ruff', evidence: 'pyproject.toml' },
      mypy: { name: 'mypy', evidence: 'pyproject.toml' },
      srcLayout: 'src',
    });
  });

  it('finds a package kept in src/, unless the pytest config sets pythonpath itself', async () => {
    const pyproject = '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n';
    const dir = await repoWith({ 'pyproject.toml': pyproject, 'src/widget/__init__.py': '' });
    const { python, findings } = await detectStack(dir);
    expect(python?.srcLayout).toBe('src');
    expect(findings).toContainEqual({ file: 'src/widget/', says: 'Python package in src/' });
    const module = await repoWith({ 'pytest.ini': '[pytest]\n', 'src/widget.py': '' });
    expect((await detectStack(module)).python?.srcLayout).toBe('src');
    const chosen = await repoWith({
      'setup.cfg': '[tool:pytest]\npythonpath = src\n',
      'src/widget/__init__.py': '',
    });
    expect((await detectStack(chosen)).python?.srcLayout).toBeUndefined();
    // A src/ of other files (a C extension's sources, a JS front end) holds no package to import.
    const other = await repoWith({ 'pyproject.toml': pyproject, 'src/widget.c': '', 'src/app/index.ts': '' });
    expect((await detectStack(other)).python?.srcLayout).toBeUndefined();
  });

  it('notes a mypy config that lists the files to check, in its own section only', async () => {
    const files = '[tool.mypy]\nstrict = true\nfiles = ["src", "tests"]\n';
    const { python, findings } = await detectStack(await repoWith({ 'pyproject.toml': files }));
    expect(python?.mypy).toEqual({ name: 'mypy', evidence: 'pyproject.toml', configuresFiles: true });
    expect(findings).toContainEqual({
      file: 'pyproject.toml',
      subject: '[tool.mypy] files',
      says: 'the files mypy checks',
    });
    const ini = await repoWith({ 'mypy.ini': '[mypy]\nfiles: src/widget\n', 'requirements.txt': 'mypy\n' });
    expect((await detectStack(ini)).python?.mypy).toEqual({
      name: 'mypy',
      evidence: 'mypy.ini',
      configuresFiles: true,
    });
    // `files` of an override section names no files to check.
    const override = '[tool.mypy]\nstrict = true\n\n[[tool.mypy.overrides]]\nfiles = ["x"]\n';
    const overridden = await detectStack(await repoWith({ 'pyproject.toml': override }));
    expect(overridden.python?.mypy).toEqual({ name: 'mypy', evidence: 'pyproject.toml' });
  });

  it('reads requirements files and setup.cfg, and the runner from the lockfile', async () => {
    const dir = await repoWith({
      'requirements-dev.txt': 'pytest==8.2\nruff\n',
      'setup.cfg': '[metadata]\nname = widget\n\n[mypy]\nstrict = True\n',
      'poetry.lock': '',
    });
    const { python } = await detectStack(dir, { searchPath: await pathWithManagers(['poetry']) });
    expect(python?.runPrefix).toEqual({ name: 'poetry run', evidence: 'poetry.lock' });
    // Without poetry installed, its lockfile gives no runner: every gate would fail with exit 127.
    const withoutPoetry = await detectStack(dir, { searchPath: await pathWithManagers([]) });
    expect(withoutPoetry.python?.runPrefix).toBeUndefined();
    expect(withoutPoetry.python?.missingRunner).toEqual({ name: 'poetry', evidence: 'poetry.lock' });
    expect(withoutPoetry.findings).toContainEqual({ file: 'poetry.lock', says: 'poetry is not on PATH' });
    expect(python?.pytest).toEqual({ name: 'pytest', evidence: 'requirements-dev.txt' });
    expect(python?.ruff).toEqual({ name: 'ruff', evidence: 'requirements-dev.txt' });
    expect(python?.mypy).toEqual({ name: 'mypy', evidence: 'setup.cfg' });
  });

  it('finds a virtualenv folder whose python runs, and whether ruff is installed in it', async () => {
    const dir = await repoWith({ 'pyproject.toml': '[tool.ruff]\n' });
    await executable(dir, '.venv/bin/python');
    await executable(dir, '.venv/bin/ruff');
    const { python, findings } = await detectStack(dir);
    expect(python?.virtualenv).toEqual({ dir: '.venv', hasRuff: true });
    expect(findings).toContainEqual({ file: '.venv/bin/python', says: 'virtualenv' });
  });

  it('skips a virtualenv whose python is a broken link, and takes venv/ next', async () => {
    const dir = await repoWith({ 'requirements.txt': 'pytest\n' });
    await mkdir(join(dir, '.venv', 'bin'), { recursive: true });
    await symlink('/nonexistent/python3.99', join(dir, '.venv', 'bin', 'python'));
    await executable(dir, 'venv/bin/python');
    expect((await detectStack(dir)).python?.virtualenv).toEqual({ dir: 'venv', hasRuff: false });
  });

  it('does not mistake a package that only starts with a tool name for the tool', async () => {
    const dir = await repoWith({ 'pyproject.toml': '[project]\ndependencies = ["mypy-extensions", "pytest-cov"]\n' });
    const { python } = await detectStack(dir);
    expect(python).toEqual({});
  });
});

describe('detectStack on Go, Rust and Makefiles', () => {
  it('reads the Go module name, and golangci-lint from its config', async () => {
    expect((await detectStack(fixturePath('go'))).go).toEqual({ module: 'example.com/widget' });
    const dir = await repoWith({ 'go.mod': 'module example.com/x\n', 'go.sum': '', '.golangci.yml': '' });
    expect((await detectStack(dir)).go).toEqual({
      module: 'example.com/x',
      linter: { name: 'golangci-lint', evidence: '.golangci.yml' },
    });
  });

  it('reads the crate name, and a virtual workspace', async () => {
    expect((await detectStack(fixturePath('rust'))).rust).toEqual({ crate: 'widget', workspace: false });
    const dir = await repoWith({ 'Cargo.toml': '[workspace]\nmembers = ["a", "b"]\n', 'Cargo.lock': '' });
    expect((await detectStack(dir)).rust).toEqual({ workspace: true });
  });

  it('finds Makefile targets and not variables', async () => {
    expect((await detectStack(fixturePath('makefile-only'))).make).toEqual({
      file: 'Makefile',
      targets: ['build', 'lint', 'test', 'check'],
    });
    const dir = await repoWith({ Makefile: 'test := unit\nlint ?= yes\nbuild: deps\n\tcc main.c\n' });
    expect((await detectStack(dir)).make).toEqual({ file: 'Makefile', targets: ['build'] });
  });

  it('finds nothing in a repository with no known files', async () => {
    const detection = await detectStack(fixturePath('empty'));
    expect(detection.findings).toEqual([]);
    expect(Object.keys(detection).sort()).toEqual(['dir', 'findings', 'unignoredDirs']);
  });

  it('finds both stacks in a mixed repository', async () => {
    const detection = await detectStack(fixturePath('mixed-go-make'));
    expect(detection.go?.module).toBe('example.com/mixed');
    expect(detection.make?.targets).toEqual(['build', 'lint', 'test']);
  });
});

describe('detectStack on script names', () => {
  it('chooses check:type, check:lint, check:format and test:unit, and lists the other check scripts', async () => {
    const scripts = {
      'check:type': 'tsc --noEmit',
      'check:lint': 'eslint .',
      'check:format': 'prettier --check .',
      'test:unit': 'vitest run',
      'test:e2e': 'playwright test',
      'lint:css': 'stylelint "**/*.css"',
      'lint:fix': 'eslint --fix .',
      'test:watch': 'vitest',
      format: 'prettier --write .',
      ci: 'npm run check:lint && npm run test:unit',
    };
    const dir = await tempRepo();
    await writeFile(join(dir, 'package.json'), JSON.stringify({ scripts }));
    const { node } = await detectStack(dir);
    const chosen = Object.fromEntries(Object.entries(node?.scripts ?? {}).map(([role, script]) => [role, script.name]));
    expect(chosen).toEqual({
      typecheck: 'check:type',
      lint: 'check:lint',
      format: 'check:format',
      test: 'test:unit',
      e2e: 'test:e2e',
    });
    expect(node?.extraScripts?.map((script) => script.name)).toEqual(['lint:css', 'ci']);
  });
});
