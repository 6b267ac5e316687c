import { describe, expect, it } from 'vitest';
import { runSluice } from '../support/sluice-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { writeFiles } from '../support/write-files.ts';

async function checkWithConfig(yaml: string) {
  const dir = tempDir();
  writeFiles(dir, { 'sluice.yaml': yaml });
  return runSluice(['check'], { cwd: dir });
}

describe('a malformed sluice.yaml', () => {
  it('names file, line and column of a wrong value and what was expected', async () => {
    const run = await checkWithConfig('gates:\n  test:\n    run: npm test\n    timeout: forever\n');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('sluice.yaml:4:14: gates.test.timeout:');
    expect(run.stderr).toContain('expected a duration such as "90s", "5m", "1h" or "1d"');
  });

  it('points at an unknown key and suggests the right one', async () => {
    const run = await checkWithConfig('gates:\n  test:\n    run: npm test\n    need: [build]\n');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('sluice.yaml:4:5: gates.test: unknown key "need" (did you mean "needs"?)');
  });

  it('reports a missing command at the gate', async () => {
    const run = await checkWithConfig('gates:\n  test:\n    kind: test\n');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('sluice.yaml:3:5: gates.test.run: missing "run" (expected string)');
  });

  it('says what type was expected and what it got', async () => {
    const run = await checkWithConfig('gates:\n  test:\n    run: 42\n    needs: build\n');
    expect(run.stderr).toContain('sluice.yaml:3:10: gates.test.run: expected a string, got number 42');
    expect(run.stderr).toContain('sluice.yaml:4:12: gates.test.needs: expected an array, got string "build"');
  });

  it('reports every unknown key, not only the first', async () => {
    const run = await checkWithConfig('gates:\n  test:\n    run: x\n    need: [a]\n    inputz: [b]\n');
    expect(run.stderr).toContain('sluice.yaml:4:5: gates.test: unknown key "need" (did you mean "needs"?)');
    expect(run.stderr).toContain('sluice.yaml:5:5: gates.test: unknown key "inputz" (did you mean "inputs"?)');
  });

  it('tells to quote a command that contains ": "', async () => {
    const run = await checkWithConfig('gates:\n  test:\n    run: echo a: b\n');
    expect(run.stderr).toContain('a value containing ": " must be quoted');
  });

  it('lists the allowed kinds', async () => {
    const run = await checkWithConfig('gates:\n  test:\n    run: x\n    kind: unit\n');
    expect(run.stderr).toContain('sluice.yaml:4:11: gates.test.kind: expected one of "build", "typecheck"');
  });

  it('rejects needs on an unknown gate, a cycle, and a need in a later tier', async () => {
    const unknown = await checkWithConfig('gates:\n  test:\n    run: x\n    needs: [biuld]\n');
    expect(unknown.stderr).toContain('sluice.yaml:4:13: gates.test.needs.0: unknown gate "biuld"');
    const cycle = await checkWithConfig('gates:\n  a: { run: x, needs: [b] }\n  b: { run: x, needs: [a] }\n');
    expect(cycle.exitCode).toBe(2);
    expect(cycle.stderr).toContain('gates need each other in a cycle: a -> b -> a');
    const tier = await checkWithConfig('gates:\n  a: { run: x, tier: 1, needs: [b] }\n  b: { run: x, tier: 2 }\n');
    expect(tier.stderr).toContain('"b" is in tier 2, after this gate\'s tier 1');
  });

  it('reports YAML syntax errors with their position', async () => {
    const run = await checkWithConfig('gates:\n  test:\n    run: "unterminated\n');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/sluice\.yaml:3:\d+: /);
  });

  it('says what to do when there is no config', async () => {
    const dir = tempDir();
    const run = await runSluice(['check'], { cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('run "sluice init" to write one');
  });

  it('exits 2 on a bad flag', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'sluice.yaml': 'gates:\n  a: { run: "true" }\n' });
    expect((await runSluice(['check', '--frobnicate'], { cwd: dir })).exitCode).toBe(2);
    expect((await runSluice(['check', '--concurrency', '0'], { cwd: dir })).exitCode).toBe(2);
    expect((await runSluice(['nonsense'], { cwd: dir })).exitCode).toBe(2);
  });

  it('answers --json with a JSON error too', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'sluice.yaml': 'gates:\n  a: { run: 1 }\n' });
    const run = await runSluice(['check', '--json'], { cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      verdict: 'error',
      error: {
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('gates.a.run: expected a string, got number 1'),
      },
    });
  });

  it('names a folder that does not exist and a budget below the minimum', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'sluice.yaml': 'gates:\n  a: { run: "true" }\n' });
    const missing = await runSluice(['check', '-C', 'nope'], { cwd: dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain(`no such folder: ${dir}/nope`);
    const budget = await runSluice(['check', '--budget', '50'], { cwd: dir });
    expect(budget.exitCode).toBe(2);
    expect(budget.stderr).toContain('--budget expects a whole number >= 200, got "50"');
  });
});
