import { describe, expect, it } from 'vitest';
import { runSluice } from '../../support/sluice-cli.ts';
import { repoForCase } from '../../unit/guard/tamper-case.ts';

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
