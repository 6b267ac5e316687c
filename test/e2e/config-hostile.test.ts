import { describe, expect, it } from 'vitest';
import { runSluice } from '../support/sluice-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { writeFiles } from '../support/write-files.ts';

async function checkWithConfig(yaml: string) {
  const dir = tempDir();
  writeFiles(dir, { 'sluice.yaml': yaml });
  return runSluice(['check'], { cwd: dir });
}

describe('hostile sluice.yaml: a clear config error (exit 2), never an internal error', () => {
  it('refuses a YAML alias bomb', async () => {
    const lines = ['a0: &a0 "lol"'];
    for (let level = 1; level <= 9; level += 1) {
      lines.push(`a${level}: &a${level} [${Array.from({ length: 9 }, () => `*a${level - 1}`).join(', ')}]`);
    }
    const run = await checkWithConfig(`${lines.join('\n')}\ngates:\n  test: { run: *a9 }\n`);
    expect(run.stderr).toContain('sluice.yaml: too many YAML aliases');
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(run.exitCode).toBe(2);
  });

  it('refuses a timeout a timer cannot hold instead of killing the gate at once', async () => {
    const run = await checkWithConfig('gates:\n  test: { run: "true", timeout: 30d }\n');
    expect(run.stderr).toContain('gates.test.timeout: duration too long: at most 24.8 days');
    expect(run.exitCode).toBe(2);
  });

  it('refuses a gate named __proto__ instead of running the other gates without it', async () => {
    const run = await checkWithConfig('gates:\n  __proto__: { run: "false" }\n  b: { run: "true" }\n');
    expect(run.stderr).toContain('gate name "__proto__" is reserved by JavaScript');
    expect(run.exitCode).toBe(2);
  });

  it('refuses `sluice check -g toString`, a name every object inherits, as an unknown gate', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'sluice.yaml': 'gates:\n  test: { run: "true" }\n' });
    const run = await runSluice(['check', '-g', 'toString'], { cwd: dir });
    expect(run.stderr).toContain('unknown gate "toString"');
    expect(run.exitCode).toBe(2);
  });
});
