import { describe, expect, it } from 'vitest';
import { runGuard } from '../../../src/guard/run-guard.ts';
import { repoForCase, tamperCases } from './tamper-case.ts';

const cases = tamperCases();

describe('tamper fixtures', () => {
  it('has both kinds of case', () => {
    expect(cases.filter((entry) => entry.label === 'tamper').length).toBeGreaterThanOrEqual(6);
    expect(cases.filter((entry) => entry.label === 'legit').length).toBeGreaterThanOrEqual(6);
  });

  it.each(cases.filter((entry) => entry.label === 'tamper'))('catches $name with $rule', async ({ name, rule }) => {
    const { findings } = await runGuard({ repoRoot: await repoForCase(name) });
    expect(findings.filter((finding) => finding.severity === 'block').map((finding) => finding.rule)).toContain(rule);
  });

  it.each(cases.filter((entry) => entry.label === 'legit'))('does not block $name', async ({ name }) => {
    const { findings } = await runGuard({ repoRoot: await repoForCase(name) });
    expect(findings.filter((finding) => finding.severity === 'block')).toEqual([]);
  });
});
