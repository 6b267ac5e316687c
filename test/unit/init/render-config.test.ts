import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { GatePlan, PlannedGate } from '../../../src/config/init/plan-gates.ts';
import { renderConfig } from '../../../src/config/init/render-config.ts';
import { configSchema } from '../../../src/config/schema.ts';

const inputs = ['src/**', '*.{js,ts,json}'];

function plannedGate(parts: Partial<PlannedGate> & Pick<PlannedGate, 'name' | 'run'>): PlannedGate {
  return { kind: 'other', tier: 1, needs: [], report: { format: 'generic' }, why: 'because', guesses: [], ...parts };
}

const plan: GatePlan = {
  gates: [
    plannedGate({ name: 'build', run: 'npm run build', kind: 'build', inputs, why: 'package.json script build (tsc)' }),
    plannedGate({
      name: 'test',
      run: `npm run test -- --outputFile.junit=.sluice/reports/test.xml && echo "a: b" # not a comment`,
      kind: 'test',
      tier: 2,
      needs: ['build'],
      inputs,
      report: { format: 'junit', path: '.sluice/reports/test.xml' },
      why: 'package.json script test (vitest run)',
      guesses: ['added a JUnit report'],
    }),
  ],
  found: ['package.json script test → vitest run'],
  guessed: ['Makefile target test not added', 'test: added a JUnit report'],
  notes: ['Makefile target test not added'],
};

describe('renderConfig', () => {
  it('writes YAML that the config schema accepts, with every value intact', () => {
    const config = configSchema.parse(parse(renderConfig(plan)));
    expect(config.gates.test).toMatchObject({
      run: plan.gates[1]?.run,
      needs: ['build'],
      inputs,
      report: { format: 'junit', path: '.sluice/reports/test.xml' },
    });
    expect(config.gates.build?.inputs).toEqual(inputs);
  });

  it('puts why and the guesses right above each gate', () => {
    const text = renderConfig(plan);
    expect(text).toContain(
      '  # Why: package.json script test (vitest run).\n  # guess: added a JUnit report.\n  test:\n',
    );
    expect(text).toContain('  # Why: package.json script build (tsc).\n  build:\n');
  });

  it('starts with what was detected, the repository-wide guesses and a pointer to the JSON Schema', () => {
    const header = renderConfig(plan).split('\n---\n')[0] ?? '';
    expect(header).toContain('#   package.json script test → vitest run');
    expect(header).toContain('#   Makefile target test not added');
    expect(header).toContain('`sluice schema`');
    expect(header.split('\n').every((line) => line === '' || line.startsWith('#'))).toBe(true);
  });

  it('says what "**/*" covers and how to narrow a gate', () => {
    const header = (renderConfig(plan).split('\n---\n')[0] ?? '').replace(/\n# /g, ' ');
    expect(header).toContain(
      '"**/*" is every file of the repository except .git/, .sluice/, node_modules/ and what the root .gitignore ignores',
    );
    expect(header).toContain('"!dist/**" leaves a folder out');
    expect(header).toContain('To narrow a gate, list what it reads (["src/**", "package.json"])');
    expect(header).not.toContain('every source file');
  });

  it('spells shared inputs out for each gate instead of using YAML anchors', () => {
    expect(renderConfig(plan)).not.toMatch(/[&*]a\d/);
  });

  it('says so when nothing was detected', () => {
    const empty: GatePlan = { ...plan, found: [], notes: [] };
    expect(renderConfig(empty)).toContain('# Detected: nothing Sluice recognizes');
  });
});

/** The yamllint default rules a written sluice.yaml can break, checked line by line. */
function yamllintProblems(text: string): string[] {
  const lines = text.split('\n');
  const problems: string[] = [];
  const lengthOff = lines.includes('# yamllint disable rule:line-length');
  if (!text.endsWith('\n') || text.endsWith('\n\n')) problems.push('new-line-at-end-of-file / empty-lines');
  if (!lines.includes('---')) problems.push('document-start');
  lines.forEach((line, index) => {
    const at = `line ${index + 1}`;
    if (/[ \t]$/.test(line)) problems.push(`${at}: trailing-spaces`);
    if (line.includes('\t')) problems.push(`${at}: tab`);
    if (line.length > 80 && (!lengthOff || /^\s*#/.test(line))) problems.push(`${at}: line-length ${line.length}`);
    if (/^\s*#[^ \n]/.test(line) && !/^\s*#$/.test(line)) problems.push(`${at}: comments (starting space)`);
    // braces and brackets: no spaces inside; Prettier wants spaces inside braces, so no flow mappings at all.
    if (/:\s*\{/.test(line)) problems.push(`${at}: flow mapping`);
    if (/\[ | \]/.test(line.replace(/"[^"]*"/g, '""'))) problems.push(`${at}: brackets`);
  });
  return problems;
}

describe('renderConfig and YAML linters', () => {
  it('passes the yamllint default rules, keys in one order, with short commands', () => {
    const short = plan.gates.map((gate) => ({ ...gate, run: `npm run ${gate.name}` }));
    const text = renderConfig({ ...plan, gates: short, warnings: ['pnpm is not on PATH '.repeat(8)] });
    expect(yamllintProblems(text)).toEqual([]);
    expect(text).not.toContain('yamllint disable');
    expect(text).toContain('\n---\nversion: 1\ngates:\n');
    const testGate = text.slice(text.indexOf('\n  test:\n'));
    const keys = [...testGate.matchAll(/^ {4}([a-z]+):/gm)].map((match) => match[1]);
    expect(keys).toEqual(['run', 'kind', 'tier', 'needs', 'inputs', 'report']);
  });

  it('keeps a long command on one line and tells yamllint so, before the document starts', () => {
    const long = plannedGate({ name: 'e2e', run: `npx playwright test ${'--project=chromium '.repeat(5)}`.trim() });
    const text = renderConfig({ ...plan, gates: [...plan.gates, long] });
    expect(yamllintProblems(text)).toEqual([]);
    expect(text).toMatch(/# yamllint disable rule:line-length\n---\n/);
    expect(configSchema.parse(parse(text)).gates.e2e?.run).toBe(long.run);
  });
});
