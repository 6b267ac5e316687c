// `sluice guard` asks git its questions at once (one rev-parse while diff-index and ls-files list the change
// from the folder holding .git): the same verdicts and messages wherever it runs, and no way around them.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { git, gitdir } from '../../support/gitdir.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { repoForCase } from '../../unit/guard/tamper-case.ts';
import { weakenedRun } from './weakened-run.ts';

const passed = (since: string) => `guard: no weakened tests or protected files changed since ${since}\n`;
const finding = 'test/total.spec.ts:8 assertions-removed: ';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-guard-base-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('sluice guard: an empty diff', () => {
  it('passes from the top and from a subfolder, and names the commit it measured from', async () => {
    const repo = await gitdir({ files: { 'src/deep/a.js': 'export const a = 1;\n', 'sluice.yaml': 'version: 1\n' } });
    for (const args of [['guard'], ['guard', '-C', join(repo, 'src', 'deep')], ['guard', '--base', 'main']]) {
      const result = await runSluice(args, { cwd: repo });
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toBe(passed(args.includes('main') ? 'main' : 'HEAD'));
    }
    const json = await runSluice(['guard', '--json', '-C', join(repo, 'src')], { cwd: repo });
    expect(JSON.parse(json.stdout)).toEqual({
      verdict: 'passed',
      base: 'HEAD',
      base_commit: await git(repo, 'rev-parse', 'HEAD'),
      findings: [],
    });
  });
});

describe('sluice guard: where it runs does not change what it finds', () => {
  it('from a subfolder finds changes anywhere in the tree, tracked or untracked', async () => {
    const tracked = await repoForCase('vitest-expect-commented-out');
    mkdirSync(join(tracked, 'src', 'deep'), { recursive: true });
    const fromSubfolder = await runSluice(['guard', '-C', join(tracked, 'src', 'deep')], { cwd: tracked });
    expect(fromSubfolder.exitCode).toBe(1);
    expect(fromSubfolder.stdout).toContain(finding);
    // .cargo/config.toml is new, so untracked: only `ls-files --others` run at the top lists it.
    const untracked = await repoForCase('load-cargo-config-runner');
    expect(await git(untracked, 'status', '--porcelain', '--', '.cargo')).toBe('?? .cargo/');
    for (const dir of [untracked, join(untracked, 'src')]) {
      const result = await runSluice(['guard', '-C', dir], { cwd: untracked });
      expect(result.exitCode, dir).toBe(1);
      expect(result.stdout).toMatch(/^\.cargo\/config\.toml:\d+ runner-code-loaded/m);
    }
  });

  it('is not fooled by a .git folder planted in a subfolder to hide the rest of the tree', async () => {
    // The guard lists the change from the nearest folder holding .git while rev-parse finds the real top:
    // from src/, with a .git of its own, `ls-files --others` would not see .cargo/config.toml.
    const repo = await repoForCase('load-cargo-config-runner');
    // No objects/ or refs/ in it: git skips it as no repository and goes on up; a real one would be git's top.
    mkdirSync(join(repo, 'src', '.git'));
    writeFileSync(join(repo, 'src', '.git', 'HEAD'), 'ref: refs/heads/main\n');
    const result = await runSluice(['guard', '-C', join(repo, 'src')], { cwd: repo });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^\.cargo\/config\.toml:\d+ runner-code-loaded/m);
  });

  it('on a detached HEAD judges the change as on a branch', async () => {
    const repo = await repoForCase('vitest-expect-commented-out');
    await git(repo, 'checkout', '--quiet', '--detach');
    const result = await runSluice(['guard', '--json'], { cwd: repo });
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      verdict: 'blocked',
      base: 'HEAD',
      base_commit: await git(repo, 'rev-parse', 'HEAD'),
      findings: [{ rule: 'assertions-removed', path: 'test/total.spec.ts', line: 8 }],
    });
  });

  it('measures from --base, committed work included', async () => {
    const repo = await repoForCase('vitest-expect-commented-out');
    const base = await git(repo, 'rev-parse', 'HEAD');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '--quiet', '--no-verify', '-m', 'weaken');
    expect((await runSluice(['guard'], { cwd: repo })).stdout).toBe(passed('HEAD'));
    for (const ref of ['HEAD~1', base, 'main~1']) {
      const result = await runSluice(['guard', '--json', '--base', ref, '-C', join(repo, 'test')], { cwd: repo });
      expect(result.exitCode, ref).toBe(1);
      expect(JSON.parse(result.stdout)).toMatchObject({ base: ref, base_commit: base });
    }
  });
});

describe('sluice guard: the same errors as before', () => {
  it('refuses a repository with no commit, a folder outside any repository, and refs that name no commit', async () => {
    const unborn = join(tempDir(), 'unborn');
    mkdirSync(unborn);
    await git(unborn, 'init', '--quiet');
    writeFileSync(join(unborn, 'sluice.yaml'), 'version: 1\n');
    const noCommit = await runSluice(['guard'], { cwd: unborn });
    expect(noCommit.exitCode).toBe(2);
    expect(noCommit.stderr.split('\n')[0]).toBe(`sluice: Ref 'HEAD' does not name a commit in ${unborn}`);

    const outside = tempDir();
    const noRepo = await runSluice(['guard'], { cwd: outside });
    expect(noRepo.exitCode).toBe(2);
    expect(noRepo.stderr).toContain(`${outside} is not inside a git repository`);

    const repo = await gitdir();
    for (const ref of ['no-such-ref', 'HEAD~1', 'HEAD~1..HEAD', '']) {
      const result = await runSluice(['guard', `--base=${ref}`], { cwd: repo });
      expect(result.exitCode, ref).toBe(2);
      expect(result.stderr.split('\n')[0], ref).toBe(`sluice: Ref '${ref}' does not name a commit in ${repo}`);
    }
  });

  it('never hands a --base that starts with "-" to git as an option', async () => {
    const repo = await gitdir();
    const written = join(tempDir(), 'written-by-git');
    for (const ref of [`--output=${written}`, '-p']) {
      const result = await runSluice(['guard', `--base=${ref}`], { cwd: repo });
      expect(result.exitCode, ref).toBe(2);
      expect(result.stderr).toContain('does not name a commit');
    }
    expect(existsSync(written)).toBe(false);
  });
});

describe("sluice guard: a run's worktree", () => {
  it("measures from the run's base even when a tag shares the run branch's name", async () => {
    const { repo, runId, worktree } = await weakenedRun();
    // `git symbolic-ref --short HEAD` now says heads/sluice/<id>: an agent's way to lose the run's base.
    await git(worktree, 'tag', `sluice/${runId}`);
    const json = JSON.parse((await runSluice(['guard', '--json'], { cwd: worktree })).stdout);
    expect(json).toMatchObject({ verdict: 'blocked', run: runId, base_commit: await git(repo, 'rev-parse', 'main') });
    const human = await runSluice(['guard', '-C', join(worktree, 'test')], { cwd: worktree });
    expect(human.exitCode).toBe(1);
    expect(human.stdout).toContain('test/add.test.js:6 expected-value-changed');
  });
});
