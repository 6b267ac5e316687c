import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/guard/finding.ts';
import { runnerConfigNarrowed } from '../../../src/guard/rules/runner-config-narrowed.ts';
import { contextForChange } from './changed-context.ts';

function findingsFor(path: string, before: string | undefined, after: string | undefined): Finding[] {
  return runnerConfigNarrowed.check(contextForChange(path, before, after));
}

const vitest = (test: string) =>
  `import { defineConfig } from 'vitest/config';\n\nexport default defineConfig({\n  test: ${test},\n});\n`;
const jest = (options: string) => `/** @type {import('jest').Config} */\nmodule.exports = ${options};\n`;

// [what, path, before, after, the message must contain]
const narrowing: [string, string, string | undefined, string | undefined, string][] = [
  [
    'vitest exclude gains the failing file',
    'vitest.config.ts',
    vitest(`{ exclude: [...configDefaults.exclude] }`),
    vitest(`{ exclude: [...configDefaults.exclude, 'test/math.test.ts'] }`),
    '`test.exclude` now also leaves out `test/math.test.ts`',
  ],
  [
    'vitest include loses a dir',
    'vitest.config.mts',
    vitest(`{ include: ['test/**', 'e2e/**'] }`),
    vitest(`{ include: ['test/**'] }`),
    'no longer selects `e2e/**`',
  ],
  [
    'vitest testNamePattern set',
    'vitest.config.js',
    vitest('{}'),
    vitest(`{ testNamePattern: '^adds' }`),
    'runs only the tests matching `^adds`',
  ],
  [
    'vitest passWithNoTests on',
    'vitest.config.ts',
    vitest('{}'),
    vitest('{ passWithNoTests: true }'),
    '`test.passWithNoTests` is now true',
  ],
  [
    'vite.config test section',
    'web/vite.config.ts',
    vitest(`{ dir: 'src' }`),
    vitest(`{ dir: 'src/cart' }`),
    'no longer selects `src`',
  ],
  [
    'inline project loses an include',
    'vitest.config.ts',
    vitest(`{ projects: [{ test: { name: 'unit', include: ['a/**', 'b/**'] } }] }`),
    vitest(`{ projects: [{ test: { name: 'unit', include: ['a/**'] } }] }`),
    '`test.projects.test.include`',
  ],
  [
    'workspace entry removed',
    'vitest.workspace.ts',
    `export default ['packages/*', 'apps/*'];\n`,
    `export default ['packages/*'];\n`,
    '`workspace` no longer selects `apps/*`',
  ],
  [
    'jest testPathIgnorePatterns',
    'jest.config.js',
    jest(`{ testPathIgnorePatterns: ['/node_modules/'] }`),
    jest(`{ testPathIgnorePatterns: ['/node_modules/', 'parse'] }`),
    'now also leaves out `parse`',
  ],
  [
    'jest modulePathIgnorePatterns in JSON',
    'jest.config.json',
    '{ "roots": ["<rootDir>"] }',
    '{ "roots": ["<rootDir>"], "modulePathIgnorePatterns": ["cart"] }',
    '`modulePathIgnorePatterns`',
  ],
  [
    'jest testRegex changed',
    'jest.config.ts',
    `export default { testRegex: '\\\\.test\\\\.ts$' };`,
    `export default { testRegex: 'math\\\\.test\\\\.ts$' };`,
    '`testRegex` no longer selects',
  ],
  [
    'jest key of package.json',
    'package.json',
    JSON.stringify({ jest: { testMatch: ['**/*.test.js'] } }),
    JSON.stringify({ jest: { testMatch: ['**/unit/*.test.js'] } }),
    '`jest.testMatch`',
  ],
];

// [what, path, before, after]
const neutral: [string, string, string | undefined, string | undefined][] = [
  [
    'vitest reformatted and keys reordered',
    'vitest.config.ts',
    vitest(`{ include: ['test/**'], exclude: ["e2e/**"], globals: true }`),
    `import { defineConfig } from "vitest/config"\nexport default defineConfig({ test: { globals: true, exclude: ['e2e/**'],\n  include: [\n    "test/**",\n  ] } })\n`,
  ],
  [
    'vitest include gains a dir',
    'vitest.config.ts',
    vitest(`{ include: ['test/**'] }`),
    vitest(`{ include: ['test/**', 'e2e/**'] }`),
  ],
  [
    'vitest exclude loses an entry',
    'vitest.config.ts',
    vitest(`{ exclude: ['e2e/**', 'slow/**'] }`),
    vitest(`{ exclude: ['e2e/**'] }`),
  ],
  [
    'vitest coverage exclude is not test selection',
    'vitest.config.ts',
    vitest(`{ coverage: { exclude: [] } }`),
    vitest(`{ coverage: { exclude: ['src/generated/**'] } }`),
  ],
  [
    'vite build options untouched',
    'vite.config.ts',
    `export default { optimizeDeps: { exclude: [] } };`,
    `export default { optimizeDeps: { exclude: ['lodash'] } };`,
  ],
  ['vitest bail added', 'vitest.config.ts', vitest('{}'), vitest('{ bail: 1 }')],
  [
    'package.json jest key reformatted',
    'package.json',
    JSON.stringify({ name: 'shop', jest: { roots: ['<rootDir>/src'], testMatch: ['**/*.test.js'] } }),
    JSON.stringify({ jest: { testMatch: ['**/*.test.js'], roots: ['<rootDir>/src'] }, name: 'shop' }, null, 4),
  ],
  ['jest config deleted (defaults apply)', 'jest.config.js', jest(`{ testMatch: ['**/*.test.js'] }`), undefined],
];

describe('runner-config-narrowed: jest and vitest', () => {
  it.each(narrowing)('blocks: %s', (_, path, before, after, expected) => {
    const findings = findingsFor(path, before, after);
    expect(findings.map((finding) => finding.severity)).toContain('block');
    const message = findings.map((finding) => finding.message).join('\n');
    expect(message).toContain(expected);
    expect(message).toContain(`Restore it: git checkout main -- ${path}`);
  });

  it.each(neutral)('passes: %s', (_, path, before, after) => {
    expect(findingsFor(path, before, after)).toEqual([]);
  });

  it('reports the line of the setting and both values', () => {
    const [finding] = findingsFor(
      'vitest.config.ts',
      vitest(`{ exclude: ['e2e/**'] }`),
      vitest(`{\n    globals: true,\n    exclude: ['e2e/**', 'test/cart.test.ts'],\n  }`),
    );
    expect(finding).toMatchObject({ rule: 'runner-config-narrowed', path: 'vitest.config.ts', line: 6 });
    expect(finding?.message).toContain('(main: ["e2e/**"]; now: ["e2e/**","test/cart.test.ts"])');
  });

  it('warns when a selecting option replaces the runner default', () => {
    const findings = findingsFor('vitest.config.ts', vitest('{}'), vitest(`{ include: ['test/cart.test.ts'] }`));
    expect(findings.map((finding) => finding.severity)).toEqual(['warn']);
  });

  it('reads runner configs and nothing else', () => {
    const reads = (path: string) => runnerConfigNarrowed.reads?.(path) ?? false;
    const configs = ['jest.config.cjs', 'apps/web/vitest.config.e2e.ts', 'vite.config.mjs', 'vitest.workspace.json'];
    const others = ['package-lock.json', 'src/config.ts', 'tsconfig.json', 'README.md', 'src/jest.ts'];
    expect(configs.concat('package.json', 'pyproject.toml', 'Makefile', 'ci.mk', 'Cargo.toml').every(reads)).toBe(true);
    expect(others.some(reads)).toBe(false);
  });
});
