import { execSync } from 'node:child_process';
import { readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adderTest, brokenAdderRepo } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';

const weakened = adderTest.replace('assert.equal(add(2, 3), 5)', 'assert.ok(add(2, 3))');

describe('sluice guard: tracked files git takes the index for', () => {
  it.each([
    ['the assume-unchanged bit', 'git update-index --assume-unchanged test/add.test.js'],
    ['the skip-worktree bit', 'git update-index --skip-worktree test/add.test.js'],
    [
      'both bits, after the index was split',
      'git update-index --split-index && git update-index --assume-unchanged --skip-worktree test/add.test.js',
    ],
  ])('judges the real bytes of a weakened test hidden with %s', async (_how, trick) => {
    const repo = await brokenAdderRepo();
    writeFileSync(join(repo, 'test/add.test.js'), weakened);
    execSync(trick, { cwd: repo });
    expect(execSync('git status --porcelain', { cwd: repo }).toString()).toBe(''); // git sees nothing
    const guard = await runSluice(['guard'], { cwd: repo });
    expect(guard.exitCode).toBe(1);
    expect(guard.stdout).toContain('test/add.test.js:6 assertion-weakened');
  });

  it('judges a test file deleted under the assume-unchanged bit', async () => {
    const repo = await brokenAdderRepo();
    execSync('git update-index --assume-unchanged test/add.test.js', { cwd: repo });
    rmSync(join(repo, 'test/add.test.js'));
    const guard = await runSluice(['guard', '--json'], { cwd: repo });
    expect(guard.exitCode).toBe(1);
    expect(JSON.parse(guard.stdout).findings).toMatchObject([{ rule: 'test-file-deleted', path: 'test/add.test.js' }]);
  });

  it("judges a same-size rewrite whose mtime was set back within the second git recorded (git's stat check passes)", async () => {
    const repo = await brokenAdderRepo();
    const test = join(repo, 'test/add.test.js');
    const old = new Date(1_000_000_000_000);
    utimesSync(test, old, old);
    execSync('git update-index --refresh', { cwd: repo, stdio: 'ignore' });
    writeFileSync(test, readFileSync(test, 'utf8').replace('(2, 3), 5', '(2, 3), 6'));
    utimesSync(test, old, old);
    const guard = await runSluice(['guard'], { cwd: repo });
    expect(guard.exitCode).toBe(1);
    expect(guard.stdout).toContain('test/add.test.js:6 expected-value-changed');
  });

  it('lets be a file sparse checkout left out (skip-worktree, absent) and a bit over unchanged bytes', async () => {
    const repo = await brokenAdderRepo();
    execSync('git update-index --skip-worktree test/add.test.js && rm test/add.test.js', { cwd: repo });
    execSync('git update-index --assume-unchanged src/add.js', { cwd: repo });
    const guard = await runSluice(['guard'], { cwd: repo });
    expect(guard.stdout).toContain('guard: no weakened tests or protected files changed since HEAD');
    expect(guard.exitCode).toBe(0);
  });
});
