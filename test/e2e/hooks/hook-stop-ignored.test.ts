import { execSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokenCalcRepo, firstToolCall, stop } from './hook-calc-fixtures.ts';

/** Runs before the tests (pytest loads every conftest.py on the way to them) and "fixes" `add` in memory. */
const rigging = 'import calc\n\ncalc.add = lambda a, b: a + b\n';

describe('sluice hook stop: files git ignores that a runner loads by name', () => {
  it.each([
    ['.git/info/exclude', (repo: string) => execSync('echo tests/conftest.py >> .git/info/exclude', { cwd: repo })],
    [
      'an untracked .gitignore that ignores itself',
      (repo: string) => writeFileSync(join(repo, 'tests/.gitignore'), 'conftest.py\n.gitignore\n'),
    ],
    [
      'core.excludesFile in the repository config',
      (repo: string) => {
        writeFileSync(join(repo, '.git/hidden'), 'conftest.py\n');
        execSync('git config core.excludesFile .git/hidden', { cwd: repo });
      },
    ],
  ])('blocks a conftest.py that rigs the tests, hidden from the diff with %s', async (_how, hide) => {
    const repo = await brokenCalcRepo();
    expect((await firstToolCall(repo)).exitCode).toBe(0);
    hide(repo);
    writeFileSync(join(repo, 'tests/conftest.py'), rigging);
    expect(execSync('git status --porcelain', { cwd: repo }).toString()).toBe(''); // git sees nothing
    const stopped = await stop(repo);
    expect(stopped.exitCode).toBe(2);
    expect(stopped.stderr).toContain('tests/conftest.py');
    expect(stopped.stderr).toContain('ignored-runner-file');
  });

  it('blocks a node_modules folder planted beside the tests, where no package.json was committed', async () => {
    const repo = await brokenCalcRepo();
    writeFileSync(join(repo, '.gitignore'), '__pycache__/\n.sluice/\nnode_modules\n');
    writeFileSync(join(repo, 'calc.py'), 'def add(a, b):\n    return a + b\n');
    execSync('git commit -qam "fix add, ignore node_modules"', { cwd: repo });
    expect((await firstToolCall(repo)).exitCode).toBe(0);
    expect((await stop(repo)).exitCode).toBe(0); // the gates pass: only the planted folder may block
    mkdirSync(join(repo, 'tests/node_modules/calc'), { recursive: true });
    writeFileSync(join(repo, 'tests/node_modules/calc/index.js'), 'export const add = (a, b) => a + b;\n');
    const stopped = await stop(repo);
    expect(stopped.exitCode).toBe(2);
    expect(stopped.stderr).toContain('tests/node_modules/');
  });

  it('blocks an ignored copy of a committed module that Python imports first (pytest puts tests/ first on the path)', async () => {
    const repo = await brokenCalcRepo();
    expect((await firstToolCall(repo)).exitCode).toBe(0);
    execSync('echo calc.py >> .git/info/exclude', { cwd: repo });
    writeFileSync(join(repo, 'tests/calc.py'), 'def add(a, b):\n    return a + b\n');
    const stopped = await stop(repo);
    expect(stopped.exitCode).toBe(2);
    expect(stopped.stderr).toContain('`tests/calc.py` is ignored by git');
    expect(stopped.stderr).not.toContain('test_add'); // the gate passed: only the guard blocks
  });

  it("never runs the bytecode of a fixed copy that Python finds in __pycache__ by the source's time and size", async () => {
    const repo = await brokenCalcRepo();
    expect((await firstToolCall(repo)).exitCode).toBe(0);
    // The agent compiles a fixed calc.py of the same size and time, then puts the broken bytes back.
    const calc = join(repo, 'calc.py');
    const { mtime } = statSync(calc);
    const broken = readFileSync(calc);
    writeFileSync(calc, 'def add(a, b):\n    return a + b\n');
    utimesSync(calc, mtime, mtime);
    execSync('python3 -m py_compile calc.py', { cwd: repo });
    writeFileSync(calc, broken);
    utimesSync(calc, mtime, mtime);
    expect(execSync('python3 -c "import calc; print(calc.add(2, 3))"', { cwd: repo }).toString()).toBe('5\n');
    const stopped = await stop(repo);
    expect(stopped.exitCode).toBe(2);
    expect(stopped.stderr).toContain('test_add');
  });

  it('lets the ignored runner files the session started with be, while they stay as they were', async () => {
    const repo = await brokenCalcRepo();
    writeFileSync(join(repo, 'calc.py'), 'def add(a, b):\n    return a + b\n');
    execSync('git commit -qam fix && echo .npmrc >> .git/info/exclude', { cwd: repo });
    writeFileSync(join(repo, '.npmrc'), 'registry=https://registry.npmjs.org/\n');
    expect((await firstToolCall(repo)).exitCode).toBe(0);
    expect(await stop(repo)).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    // The same file rewritten during the session is judged like a new one.
    writeFileSync(join(repo, '.npmrc'), 'node-options=--import ./rig.mjs\n');
    const rewritten = await stop(repo);
    expect(rewritten.exitCode).toBe(2);
    expect(rewritten.stderr).toContain('.npmrc');
  });
  it.each([
    ['off', 0],
    ['warn', 0],
    ['revert', 2], // nothing at the base to put back, and the gates ran with the file: it blocks
  ] as const)(
    'takes the policy of guard.rules.ignored-runner-file (%s) from the sluice.yaml committed',
    async (policy, exitCode) => {
      const repo = await brokenCalcRepo();
      appendFileSync(join(repo, 'sluice.yaml'), `guard:\n  rules:\n    ignored-runner-file: ${policy}\n`);
      execSync('git commit -qam "guard policy"', { cwd: repo });
      expect((await firstToolCall(repo)).exitCode).toBe(0);
      execSync('echo tests/conftest.py >> .git/info/exclude', { cwd: repo });
      writeFileSync(join(repo, 'tests/conftest.py'), rigging);
      const stopped = await stop(repo);
      expect(stopped.exitCode).toBe(exitCode);
      if (exitCode === 2) expect(stopped.stderr).toContain('ignored-runner-file');
    },
  );
});
