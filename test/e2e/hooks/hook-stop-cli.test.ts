import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hookSessionPath, hookSessionsDir } from '../../../src/hooks/hook-sessions.ts';
import { adderTest, brokenAdderRepo, rightAdd } from '../../support/run-fixtures.ts';
import { type CliRun, runSluice } from '../../support/sluice-cli.ts';

/** `sluice hook stop` as Claude Code runs it: the hook JSON on stdin. */
function hookStop(stdin: string, cwd: string, ...args: string[]): Promise<CliRun> {
  return hookStopWith({}, stdin, cwd, ...args);
}

function hookStopWith(env: Record<string, string>, stdin: string, cwd: string, ...args: string[]): Promise<CliRun> {
  // The test runner's own CLAUDE_PROJECT_DIR, if any, is not the hook's.
  return runSluice(['hook', 'stop', ...args], { cwd, env: { CLAUDE_PROJECT_DIR: undefined, ...env }, input: stdin });
}

const stopJson = (cwd: string, stopHookActive = false) =>
  JSON.stringify({ session_id: 's-1', cwd, hook_event_name: 'Stop', stop_hook_active: stopHookActive });

describe('sluice hook stop (the real bin)', () => {
  it('exits 2 with the feedback on stderr while a gate fails, then 0 once it passes', async () => {
    const repo = await brokenAdderRepo();
    const blocked = await hookStop(stopJson(repo), repo);
    expect(blocked.exitCode).toBe(2);
    expect(blocked.stdout).toBe('');
    expect(blocked.stderr).toContain('block 1 of 8');
    expect(blocked.stderr).toContain('adds two numbers (test/add.test.js:6)');
    writeFileSync(join(repo, 'src/add.js'), rightAdd);
    expect(await hookStop(stopJson(repo), repo)).toEqual({ exitCode: 0, stdout: '', stderr: '' });
  });

  it('does not let the agent stop on an earlier pass once it broke a file outside the gate inputs', async () => {
    const repo = await brokenAdderRepo(); // its unit gate declares inputs: ["src/**", "test/**"]
    const importsBase =
      "import { base } from '../lib/base.js';\n\nexport function add(a, b) {\n  return a + b + base;\n}\n";
    writeFileSync(join(repo, 'src/add.js'), importsBase);
    execSync('mkdir -p lib && printf "export const base = 0;\\n" > lib/base.js', { cwd: repo });
    expect((await hookStop(stopJson(repo), repo)).exitCode).toBe(0);
    writeFileSync(join(repo, 'lib/base.js'), 'export const base = 1;\n');
    const stop = await hookStop(stopJson(repo), repo);
    expect(stop.exitCode).toBe(2);
    expect(stop.stderr).toContain('adds two numbers (test/add.test.js:6)');
  });

  it.each([
    [
      'a sluice.yaml of its own whose gate passes',
      'mkdir sub && printf "gates:\\n  ok:\\n    run: \\"true\\"\\n" > sub/sluice.yaml',
    ],
    ['an empty .git folder, where the search for sluice.yaml stops', 'mkdir -p sub/.git'],
    ['a repository of its own', 'git init -q sub'],
  ])('judges the project Claude Code names, not the folder the agent cd-ed into with %s', async (_trick, plant) => {
    const repo = await brokenAdderRepo();
    execSync(plant, { cwd: repo, stdio: 'ignore' });
    const sub = join(repo, 'sub');
    const stop = await hookStopWith({ CLAUDE_PROJECT_DIR: repo }, stopJson(sub), sub);
    expect(stop.exitCode).toBe(2);
    expect(stop.stderr).toContain('adds two numbers (test/add.test.js:6)');
  });

  it("keeps the session's base out of the agent's tree: a weakened test committed, then .sluice deleted, is still blocked", async () => {
    const repo = await brokenAdderRepo();
    expect((await hookStop(stopJson(repo), repo)).exitCode).toBe(2); // the session's base is recorded
    writeFileSync(join(repo, 'test/add.test.js'), adderTest.replace('assert.equal(add(2, 3), 5)', 'assert.ok(true)'));
    execSync('git commit -qam "simplify the test" && rm -rf .sluice', { cwd: repo, stdio: 'ignore' });
    const stop = await hookStop(stopJson(repo, true), repo);
    expect(stop.exitCode).toBe(2);
    expect(stop.stderr).toContain('test/add.test.js:6 assertion-weakened');
  });

  it('never answers from a pass the agent got recorded with a fake node first on PATH (by check, or by a hook of another session)', async () => {
    const repo = await brokenAdderRepo();
    const fakeBin = join(repo, '.fake-bin');
    // It writes the passing report the gate reads, too: a gate that exits 0 without its report fails.
    const passingReport = '<testsuites><testcase name="adds two numbers" classname="test"/></testsuites>';
    writeFileSync(
      join(repo, 'fake-node.sh'),
      `#!/bin/sh\nmkdir -p .sluice/reports && printf '%s' '${passingReport}' > .sluice/reports/unit.xml\nexit 0\n`,
    );
    execSync(`mkdir -p ${fakeBin} && mv fake-node.sh ${fakeBin}/node && chmod +x ${fakeBin}/node`, { cwd: repo });
    const faked = { PATH: `${fakeBin}:${process.env.PATH}` };
    const check = await runSluice(['check'], { cwd: repo, env: faked });
    expect(check.exitCode).toBe(0); // the fake node "passes" the tests, and check records the pass
    const otherSession = JSON.stringify({ session_id: 'agent-made', cwd: repo, hook_event_name: 'Stop' });
    expect((await hookStopWith(faked, otherSession, repo)).exitCode).toBe(0);
    const stop = await hookStop(stopJson(repo), repo);
    expect(stop.exitCode).toBe(2);
    expect(stop.stderr).toContain('adds two numbers (test/add.test.js:6)');
  });

  it('judges the tree the guard restored, not the cached pass of the tree it was handed', async () => {
    // The agent strips the assertion (a `revert` rule) and gets a passing check of that tree into the cache.
    const repo = await brokenAdderRepo('guard:\n  rules:\n    assertions-removed: revert\n');
    writeFileSync(join(repo, 'test/add.test.js'), adderTest.replace('  assert.equal(add(2, 3), 5);\n', ''));
    const weakened = await runSluice(['check', '-C', repo], { cwd: repo });
    expect(weakened.exitCode).toBe(0);
    // The hook puts the assertion back; the gate must run on that tree and fail.
    const stop = await hookStop(stopJson(repo), repo);
    expect(stop.exitCode).toBe(2);
    expect(stop.stderr).toContain('Sluice restored these files from the base');
    expect(stop.stderr).toContain('adds two numbers (test/add.test.js:6)');
  });

  it('lets the agent stop after --max-blocks blocks and says the session is not done', async () => {
    const repo = await brokenAdderRepo();
    expect((await hookStop(stopJson(repo), repo, '--max-blocks', '1')).exitCode).toBe(2);
    const capped = await hookStop(stopJson(repo, true), repo, '--max-blocks', '1');
    expect(capped.exitCode).toBe(0);
    expect(capped.stderr).toContain('the session is NOT done');
    expect(capped.stderr).toContain(hookSessionPath(hookSessionsDir(repo), 's-1'));
  });

  it.each(['', 'not json', '{"session_id":"s"}'])(
    'never blocks on garbage stdin (%j): exit 0, one line',
    async (stdin) => {
      const repo = await brokenAdderRepo();
      const run = await hookStop(stdin, repo);
      expect(run.exitCode).toBe(0);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^sluice hook stop: .*; letting the agent stop\n$/);
    },
  );

  it('refuses an unknown hook event as a usage error', async () => {
    const repo = await brokenAdderRepo();
    const run = await hookStop('', repo, 'extra');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('expected "sluice hook stop"');
  });
});
