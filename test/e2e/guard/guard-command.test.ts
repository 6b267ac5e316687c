import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../../support/gitdir.ts';
import { adderTest, brokenAdderRepo } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { repoForCase } from '../../unit/guard/tamper-case.ts';
import { weakenedRun } from './weakened-run.ts';

describe('sluice guard', () => {
  it('exits 1 and names what to restore when an assertion was commented out', async () => {
    const cwd = await repoForCase('vitest-expect-commented-out');
    const human = await runSluice(['guard'], { cwd });
    expect(human.exitCode).toBe(1);
    expect(human.stdout).toContain('test/total.spec.ts:8 assertions-removed: ');
    expect(human.stdout).toContain('restore `expect(total([])).toBe(0)`');

    const json = await runSluice(['guard', '--json', '--base', 'HEAD'], { cwd });
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      verdict: 'blocked',
      base: 'HEAD',
      findings: [{ rule: 'assertions-removed', path: 'test/total.spec.ts', line: 8, severity: 'block' }],
    });
  });

  it('blocks a package committed into an ignored node_modules, which a judge checkout would hold', async () => {
    const repo = await brokenAdderRepo();
    writeFileSync(join(repo, '.gitignore'), 'node_modules/\n');
    await git(repo, 'add', '.gitignore');
    await git(repo, 'commit', '-qm', 'ignore installs');
    const bin = join(repo, 'node_modules', 'vitest');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'package.json'), '{ "name": "vitest", "version": "3.0.0" }\n');
    writeFileSync(join(bin, 'vitest.mjs'), 'process.exit(0);\n');
    // Ignored and untracked: an install, not part of the change.
    expect((await runSluice(['guard'], { cwd: repo })).exitCode).toBe(0);
    await git(repo, 'add', '-f', 'node_modules');
    await git(repo, 'commit', '-qm', 'planted');
    const guard = await runSluice(['guard', '--base', 'HEAD~1'], { cwd: repo });
    expect(guard.exitCode).toBe(1);
    expect(guard.stdout).toContain(
      'node_modules/vitest/package.json:1 runner-code-loaded: `node_modules/vitest` is a folder',
    );
    expect(guard.stdout).toContain('(2 files there;');
  });

  it('does not take a file whose bytes are unchanged for a change (touched, copied, rewritten the same)', async () => {
    const repo = await brokenAdderRepo();
    const touched = new Date(Date.now() + 5_000);
    utimesSync(join(repo, 'sluice.yaml'), touched, touched);
    writeFileSync(join(repo, 'test/add.test.js'), adderTest);
    const guard = await runSluice(['guard'], { cwd: repo });
    expect(guard.stdout).toContain('guard: no weakened tests or protected files changed since HEAD');
    expect(guard.exitCode).toBe(0);
    // The guard looked without writing git's index: its stat data is still the old one.
    expect(await git(repo, 'diff-index', '--name-only', 'HEAD')).toContain('sluice.yaml');
    // A real edit of the same file is still found.
    writeFileSync(join(repo, 'sluice.yaml'), `${readFileSync(join(repo, 'sluice.yaml'), 'utf8')}# edited\n`);
    const edited = await runSluice(['guard'], { cwd: repo });
    expect(edited.exitCode).toBe(1);
    expect(edited.stdout).toContain('sluice.yaml:1 protected-path-changed');
  });

  it('cannot be shown the base bytes of a weakened test through a clean filter the repository names', async () => {
    const repo = await brokenAdderRepo();
    // The filter prints the committed test whatever it is given: git would take the weakened file as unchanged.
    const original = join(repo, '.git', 'original-test.js');
    writeFileSync(original, adderTest);
    await git(repo, 'config', 'filter.hide.clean', `cat ${original}`);
    writeFileSync(join(repo, '.git', 'info', 'attributes'), 'test/add.test.js filter=hide\n');
    writeFileSync(join(repo, 'test/add.test.js'), adderTest.replace('  assert.equal(add(2, 3), 5);\n', ''));
    const guard = await runSluice(['guard'], { cwd: repo });
    expect(guard.exitCode).toBe(1);
    expect(guard.stdout).toContain('test/add.test.js');
  });

  it('exits 0 on a test file renamed with the same tests', async () => {
    const cwd = await repoForCase('renamed-test-file-same-tests');
    const json = await runSluice(['guard', '--json'], { cwd });
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ verdict: 'passed', findings: [] });
  });

  it('exits 2 on a usage error', async () => {
    const cwd = await repoForCase('new-test-file');
    expect((await runSluice(['guard', '--bogus'], { cwd })).exitCode).toBe(2);
    expect((await runSluice(['guard', '--base', 'no-such-ref'], { cwd })).exitCode).toBe(2);
  });
});

describe('sluice guard: base and policies', () => {
  it("in a run's worktree measures from the run's base, though the run committed its turns", async () => {
    const { repo, runId, worktree } = await weakenedRun();
    expect(await git(worktree, 'status', '--porcelain')).toBe('');
    const guard = await runSluice(['guard'], { cwd: worktree });
    expect(guard.exitCode).toBe(1);
    expect(guard.stdout).toContain('test/add.test.js:6 expected-value-changed');
    const json = JSON.parse((await runSluice(['guard', '--json'], { cwd: worktree })).stdout);
    expect(json).toMatchObject({ run: runId, base_commit: await git(repo, 'rev-parse', 'main') });
    // --base still wins: against the worktree's own HEAD nothing is uncommitted.
    expect((await runSluice(['guard', '--base', 'HEAD'], { cwd: worktree })).exitCode).toBe(0);
  });

  it('takes the policies from sluice.yaml as committed at the base, so the change cannot switch a rule off', async () => {
    const repo = await brokenAdderRepo('guard:\n  rules:\n    skip-marker-added: ask\n');
    writeFileSync(join(repo, 'test/add.test.js'), adderTest.replace("test('adds", "test.skip('adds"));
    const asked = await runSluice(['guard'], { cwd: repo });
    expect(asked.exitCode).toBe(0);
    expect(asked.stdout).toContain('skip-marker-added (ask: a human decides)');
    // The change also turns the rule off in the working tree: that edit is itself a finding, and the rule still applies.
    const original = readFileSync(join(repo, 'sluice.yaml'), 'utf8');
    writeFileSync(join(repo, 'sluice.yaml'), original.replace('skip-marker-added: ask', 'skip-marker-added: off'));
    const json = JSON.parse((await runSluice(['guard', '--json'], { cwd: repo })).stdout);
    expect(json.verdict).toBe('blocked');
    expect(
      json.findings.map((finding: { rule: string; severity: string }) => `${finding.rule}:${finding.severity}`),
    ).toEqual(['protected-path-changed:block', 'skip-marker-added:ask']);
  });
});
