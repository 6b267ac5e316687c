import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitdir } from '../support/gitdir.ts';
import { checkJson, runSluice } from '../support/sluice-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { writeFiles } from '../support/write-files.ts';

const config = `gates:
  build:
    run: "echo build >> runs.txt"
    inputs: ["src/**"]
  test:
    run: "echo test >> runs.txt"
    needs: [build]
    inputs: ["test/**"]
  lint:
    run: "echo lint >> runs.txt"
    inputs: ["lint.cfg"]
  always:
    run: "echo always >> runs.txt"
`;

function runsSince(dir: string, before: number): string[] {
  return readFileSync(join(dir, 'runs.txt'), 'utf8').trim().split('\n').slice(before).sort();
}

describe('the gate cache', () => {
  it('answers unchanged gates from the cache and re-runs what a changed input touches', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'sluice.yaml': config, 'src/a.ts': 'a', 'test/a.test.ts': 't', 'lint.cfg': 'x' });

    const first = await checkJson(dir);
    expect(first.json.gates.map((gate) => gate.status)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(runsSince(dir, 0)).toEqual(['always', 'build', 'lint', 'test']);

    const second = await checkJson(dir);
    expect(second.exitCode).toBe(0);
    expect(second.gate('build').status).toBe('cached');
    expect(second.gate('test').status).toBe('cached');
    expect(second.gate('lint').status).toBe('cached');
    expect(second.gate('always').status).toBe('passed'); // no inputs: never cached
    expect(runsSince(dir, 4)).toEqual(['always']);

    // One source file changes: build re-runs, and test, which needs build, re-runs too.
    appendFileSync(join(dir, 'src/a.ts'), 'changed');
    const third = await checkJson(dir);
    expect(third.gate('build').status).toBe('passed');
    expect(third.gate('test').status).toBe('passed');
    expect(third.gate('lint').status).toBe('cached');
    expect(runsSince(dir, 5)).toEqual(['always', 'build', 'test']);

    // Only a test file changes: build stays cached.
    appendFileSync(join(dir, 'test/a.test.ts'), 'changed');
    const fourth = await checkJson(dir);
    expect(fourth.gate('build').status).toBe('cached');
    expect(fourth.gate('test').status).toBe('passed');
  });

  it('counts a new file matching the inputs as a change', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'sluice.yaml': config, 'src/a.ts': 'a', 'test/a.test.ts': 't', 'lint.cfg': 'x' });
    await checkJson(dir);
    writeFiles(dir, { 'src/b.ts': 'new' });
    expect((await checkJson(dir)).gate('build').status).toBe('passed');
  });

  it('re-runs a gate whose command or env changed', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'sluice.yaml': config, 'src/a.ts': 'a', 'test/a.test.ts': 't', 'lint.cfg': 'x' });
    await checkJson(dir);
    writeFiles(dir, { 'sluice.yaml': config.replace('echo lint', 'echo  lint') });
    expect((await checkJson(dir)).gate('lint').status).toBe('passed');
    writeFiles(dir, {
      'sluice.yaml': config.replace('inputs: ["lint.cfg"]', 'inputs: ["lint.cfg"]\n    env: { STRICT: 1 }'),
    });
    expect((await checkJson(dir)).gate('lint').status).toBe('passed');
  });

  it('does not answer from a pass recorded under another PATH (a fake node put first, another Node)', async () => {
    const dir = tempDir();
    const fakeBin = join(dir, 'fake-bin');
    writeFiles(dir, {
      'sluice.yaml': 'gates:\n  unit:\n    run: node test.js\n    inputs: ["test.js"]\n',
      'test.js': 'process.exit(1);\n',
      'fake-bin/node': '#!/bin/sh\nexit 0\n',
    });
    chmodSync(join(fakeBin, 'node'), 0o755);
    const faked = await runSluice(['check'], { cwd: dir, env: { PATH: `${fakeBin}:${process.env.PATH}` } });
    expect(faked.exitCode).toBe(0);
    expect((await checkJson(dir)).gate('unit').status).toBe('failed');
  });

  it('never caches a failure, and --no-cache re-runs everything', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': 'gates:\n  flaky:\n    run: "test -f pass-now"\n    inputs: ["in.txt"]\n',
      'in.txt': 'x',
    });
    expect((await checkJson(dir)).gate('flaky').status).toBe('failed');
    expect((await checkJson(dir)).gate('flaky').status).toBe('failed');
    writeFiles(dir, { 'pass-now': '' });
    expect((await checkJson(dir)).gate('flaky').status).toBe('passed');
    expect((await checkJson(dir)).gate('flaky').status).toBe('cached');
    expect((await checkJson(dir, '--no-cache')).gate('flaky').status).toBe('passed');
  });

  it('in a git repository, re-runs a gate whose input was rewritten (same size) with its old mtime put back', async () => {
    const dir = await gitdir({
      files: { 'sluice.yaml': config, 'src/a.ts': 'aaaa', 'test/a.test.ts': 't', 'lint.cfg': 'x' },
    });
    // An old mtime, then `git add`: git records the file with a ctime other than its mtime.
    execFileSync('touch', ['-m', '-d', '@1577836800.5', join(dir, 'src/a.ts')]);
    await git(dir, 'add', 'src/a.ts');
    expect((await checkJson(dir)).gate('build').status).toBe('passed');
    expect((await checkJson(dir)).gate('build').status).toBe('cached');
    writeFileSync(join(dir, 'src/a.ts'), 'bbbb');
    execFileSync('touch', ['-m', '-d', '@1577836800.5', join(dir, 'src/a.ts')]);
    expect((await checkJson(dir)).gate('build').status).toBe('passed');
  });

  it('in a git repository, keys a gate by what the gate before it wrote in the same check', async () => {
    const dir = await gitdir({
      files: {
        '.gitignore': 'dist/\n',
        'sluice.yaml': `gates:
  build:
    run: "mkdir -p dist && cp src/a.txt gen/out.txt && cp src/a.txt dist/out.txt"
    inputs: ["src/**"]
  test:
    run: "echo test >> runs.txt"
    needs: [build]
    inputs: ["gen/**", "dist/**"]
`,
        'src/a.txt': 'one',
        'gen/out.txt': 'one', // generated, and committed
      },
    });
    const statuses = async () => (await checkJson(dir)).json.gates.map((gate) => gate.status);
    expect(await statuses()).toEqual(['passed', 'passed']);
    expect(await statuses()).toEqual(['cached', 'cached']);
    writeFileSync(join(dir, 'src/a.txt'), 'two');
    expect(await statuses()).toEqual(['passed', 'passed']);
    // Had test's key been taken from a look at the files before build rewrote gen/out.txt, it would not match now.
    expect(await statuses()).toEqual(['cached', 'cached']);
    // dist/ is ignored, but named: a change to it re-runs test, even with build cached.
    writeFileSync(join(dir, 'dist/out.txt'), 'tampered');
    expect(await statuses()).toEqual(['cached', 'passed']);
  });

  it("keeps .sluice/ out of git without touching the repository's own .gitignore", async () => {
    const dir = tempDir();
    writeFiles(dir, { 'sluice.yaml': 'gates:\n  a: { run: "true" }\n' });
    await checkJson(dir);
    expect(readFileSync(join(dir, '.sluice/.gitignore'), 'utf8')).toContain('*\n');
    expect(() => readFileSync(join(dir, '.gitignore'))).toThrow();
  });
});
