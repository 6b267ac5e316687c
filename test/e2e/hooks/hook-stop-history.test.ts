import { execSync } from 'node:child_process';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokenCalcRepo, firstToolCall, stop } from './hook-calc-fixtures.ts';

const weakened = 'from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == -1\n';

describe('sluice hook stop: the history and index the change is measured with', () => {
  it.each([
    ['a fresh repository in place of the old one', 'rm -rf .git && git init -q && git add -A && git commit -qm fresh'],
    [
      'the base commit removed from the object store',
      'git commit -qam weak && rm .git/objects/$(echo $BASE | cut -c1-2)/$(echo $BASE | cut -c3-)',
    ],
    [
      'a replace ref that makes the base read as the weakened commit',
      'git commit -qam weak && git replace -f $BASE HEAD',
    ],
    ['the assume-unchanged bit (not committed)', 'git update-index --assume-unchanged tests/test_calc.py'],
    ['the skip-worktree bit (not committed)', 'git update-index --skip-worktree tests/test_calc.py'],
    [
      'both bits, after the index was split (the index file then holds only part of the entries)',
      'git update-index --split-index && git update-index --assume-unchanged --skip-worktree tests/test_calc.py',
    ],
    [
      'core.worktree pointed at a pristine copy of the base (every git command then reads that copy)',
      'mkdir ../pristine && git archive $BASE | tar -x -C ../pristine && git config core.worktree "$(cd ../pristine && pwd)"',
    ],
    ['the .git folder moved away (no repository: nothing to measure from)', 'mv .git ../moved-git'],
  ])('blocks a weakened test committed, then hidden with %s', async (_how, trick) => {
    const repo = await brokenCalcRepo();
    expect((await firstToolCall(repo)).exitCode).toBe(0);
    const base = execSync('git rev-parse HEAD', { cwd: repo }).toString().trim();
    writeFileSync(join(repo, 'tests/test_calc.py'), weakened);
    execSync(trick, {
      cwd: repo,
      env: {
        ...process.env,
        BASE: base,
        GIT_AUTHOR_NAME: 'a',
        GIT_AUTHOR_EMAIL: 'a@b',
        GIT_COMMITTER_NAME: 'a',
        GIT_COMMITTER_EMAIL: 'a@b',
      },
      stdio: 'ignore',
    });
    const stopped = await stop(repo);
    expect(stopped.exitCode).toBe(2);
    expect(stopped.stderr).toMatch(
      /expected-value-changed|is no longer in this repository|git works on .*pristine.* not on|this session started in a git repository/,
    );
  });

  it("blocks a same-size rewrite whose mtime was set back within the second git recorded (no bit, git's stat check passes)", async () => {
    const repo = await brokenCalcRepo();
    expect((await firstToolCall(repo)).exitCode).toBe(0);
    // The index records an old mtime and this second's ctime; the rewrite keeps size, mtime and (same second) ctime.
    const test = join(repo, 'tests/test_calc.py');
    const source = readFileSync(test, 'utf8');
    const old = new Date(1_000_000_000_000);
    utimesSync(test, old, old);
    execSync('git update-index --refresh', { cwd: repo, stdio: 'ignore' });
    writeFileSync(test, source.replace('== 5', '!= 9'));
    utimesSync(test, old, old);
    const stopped = await stop(repo);
    expect(stopped.exitCode).toBe(2);
    expect(stopped.stderr).toContain('tests/test_calc.py:5 assertion-weakened');
  });

  it.each([
    ['deleted', 'rm sluice.yaml'],
    ['deleted and the deletion committed', 'git rm -q sluice.yaml && git commit -qm "drop sluice"'],
  ])('blocks when sluice.yaml was %s: nothing would judge the work', async (_how, trick) => {
    const repo = await brokenCalcRepo();
    expect((await firstToolCall(repo)).exitCode).toBe(0);
    execSync(trick, { cwd: repo, stdio: 'ignore' });
    const stopped = await stop(repo);
    expect(stopped.exitCode).toBe(2);
    expect(stopped.stderr).toContain('sluice.yaml was removed since this session started');
  });

  it('still lets a session stop where no sluice.yaml ever was', async () => {
    const repo = await brokenCalcRepo();
    execSync('git rm -q sluice.yaml && git commit -qm "no sluice"', { cwd: repo, stdio: 'ignore' });
    expect((await firstToolCall(repo)).exitCode).toBe(0);
    const stopped = await stop(repo);
    expect(stopped.exitCode).toBe(0);
    expect(stopped.stderr).toContain('nothing to check');
  });
});
