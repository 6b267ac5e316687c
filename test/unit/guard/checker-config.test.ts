import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/guard/finding.ts';
import { checkerConfigLoosened } from '../../../src/guard/rules/checker-config-loosened.ts';
import { contextForChange } from './changed-context.ts';

function findingsFor(path: string, before: string | undefined, after: string | undefined): Finding[] {
  return checkerConfigLoosened.check(contextForChange(path, before, after));
}

const tsconfig = (options: string, rest = '') => `{\n  // settings\n  "compilerOptions": {${options}},${rest}\n}\n`;
const flat = (objects: string) => `export default [\n${objects}\n];\n`;

// [what, path, before, after, the message must contain, severity]
const loosened: [string, string, string, string, string, 'block' | 'warn'][] = [
  [
    'tsconfig strict off, with comments and trailing commas',
    'tsconfig.json',
    tsconfig('"strict": true,'),
    tsconfig('"strict": false,'),
    '`compilerOptions.strict` is now false (main: true; now: false): tsc reports less',
    'block',
  ],
  [
    'tsconfig strict removed, no extends',
    'packages/web/tsconfig.app.json',
    tsconfig('"strict": true'),
    tsconfig(''),
    '`compilerOptions.strict` is now false (by default, since it was removed)',
    'block',
  ],
  [
    'tsconfig strict removed under an extends: the extended file may set it',
    'tsconfig.json',
    tsconfig('"strict": true', '"extends": "./tsconfig.base.json"'),
    tsconfig('', '"extends": "./tsconfig.base.json"'),
    '`compilerOptions.strict` was removed: the value in force now comes from a preset',
    'warn',
  ],
  [
    'a flag strict implies turned off',
    'tsconfig.json',
    tsconfig('"strict": true'),
    tsconfig('"strict": true, "useUnknownInCatchVariables": false'),
    '`compilerOptions.useUnknownInCatchVariables` is now false (main: (not set: true by default); now: false)',
    'block',
  ],
  [
    'noCheck on',
    'tsconfig.json',
    tsconfig('"strict": true'),
    tsconfig('"strict": true, "noCheck": true'),
    'noCheck',
    'block',
  ],
  [
    'allowUnreachableCode true',
    'tsconfig.json',
    tsconfig(''),
    tsconfig('"allowUnreachableCode": true'),
    '`compilerOptions.allowUnreachableCode` is now true (main: (not set: a suggestion by default)',
    'block',
  ],
  [
    'include narrowed',
    'tsconfig.json',
    tsconfig('', '"include": ["src", "scripts"]'),
    tsconfig('', '"include": ["src/**/*"]'),
    '`include` no longer checks `scripts`',
    'block',
  ],
  [
    'extends dropped',
    'tsconfig.json',
    tsconfig('', '"extends": "@tsconfig/strictest/tsconfig.json"'),
    tsconfig(''),
    '`extends` no longer extends `@tsconfig/strictest/tsconfig.json`',
    'warn',
  ],
  [
    'eslint: an override object turns a rule off for one folder',
    'eslint.config.js',
    flat(`  { rules: { 'no-explicit-any': 'error' } },`),
    flat(
      `  { rules: { 'no-explicit-any': 'error' } },\n  { files: ['src/legacy/**'], rules: { 'no-explicit-any': 'off' } },`,
    ),
    '`rules.no-explicit-any` is now off (main: error; now: error, off)',
    'block',
  ],
  [
    'eslint: a rule newly set to warn may be below its preset',
    'eslint.config.ts',
    flat(`  { rules: {} },`),
    flat(`  { rules: { 'no-console': ['warn', { allow: ['error'] }] } },`),
    '`rules.no-console` is now warn, which may be below',
    'warn',
  ],
  [
    'eslint: linterOptions.noInlineConfig taken out',
    'eslint.config.mjs',
    flat(`  { linterOptions: { noInlineConfig: true } },`),
    flat(`  { linterOptions: {} },`),
    '`linterOptions.noInlineConfig` is now false',
    'block',
  ],
  [
    'eslint: the failing file added to an object that turns a rule off',
    'eslint.config.js',
    flat(`  { rules: { eqeqeq: 'error' } },\n  { files: ['test/**'], rules: { eqeqeq: 'off' } },`),
    flat(`  { rules: { eqeqeq: 'error' } },\n  { files: ['test/**', 'src/cart.js'], rules: { eqeqeq: 'off' } },`),
    '`files where rules.eqeqeq is turned down` now also takes in `src/cart.js` (main: ["test/**"]; now: ["test/**","src/cart.js"])',
    'block',
  ],
  [
    'eslintrc: the failing file added to an override that sets a rule to warn',
    '.eslintrc.json',
    '{ "overrides": [{ "files": ["*.test.js"], "rules": { "no-undef": ["warn"] } }] }',
    '{ "overrides": [{ "files": ["*.test.js", "src/cart.js"], "rules": { "no-undef": ["warn"] } }] }',
    '`files where rules.no-undef is turned down` now also takes in `src/cart.js`',
    'block',
  ],
  [
    'biome: the failing file added to an override that turns a rule off',
    'biome.json',
    '{ "overrides": [{ "includes": ["test/**"], "linter": { "rules": { "suspicious": { "noConsole": "off" } } } }] }',
    '{ "overrides": [{ "includes": ["test/**", "src/cart.ts"], "linter": { "rules": { "suspicious": { "noConsole": { "level": "off" } } } } }] }',
    '`files where overrides.linter.rules.suspicious.noConsole is turned down` now also takes in `src/cart.ts`',
    'block',
  ],
  [
    'eslint: globalIgnores gains the failing file',
    'eslint.config.mjs',
    `import { defineConfig, globalIgnores } from 'eslint/config';\nexport default defineConfig([globalIgnores(['dist/'])]);\n`,
    `import { defineConfig, globalIgnores } from 'eslint/config';\nexport default defineConfig([\n  globalIgnores(['dist/', 'src/cart.js']),\n]);\n`,
    '`ignores` now also leaves out `src/cart.js`',
    'block',
  ],
  [
    'eslint: .eslintignore gains a line',
    '.eslintignore',
    '# built\ndist\n',
    '# built\ndist\nsrc/legacy/\n',
    '`ignores` now also leaves out `src/legacy/`',
    'block',
  ],
  [
    'eslint script: --quiet stops counting warnings',
    'package.json',
    '{ "scripts": { "lint": "eslint . --max-warnings=0" } }',
    '{ "scripts": { "lint": "eslint . --max-warnings=0 --quiet" } }',
    '`scripts.lint eslint --max-warnings` is now 0, with --quiet',
    'block',
  ],
  [
    'eslint script: --max-warnings dropped',
    'package.json',
    '{ "scripts": { "lint": "npx eslint src --max-warnings 0" } }',
    '{ "scripts": { "lint": "npx eslint src" } }',
    'is now any number of warnings (by default, since it was removed)',
    'block',
  ],
  [
    'biome: recommended off in a group',
    'biome.json',
    '{ "linter": { "rules": { "recommended": true } } }',
    '{ "linter": { "rules": { "recommended": true, "style": { "recommended": false } } } }',
    '`linter.rules.style.recommended` is now false',
    'block',
  ],
  [
    'ruff: extend-ignore at the top level (older spelling)',
    'ruff.toml',
    '[lint]\nselect = ["E", "F"]\n',
    'extend-ignore = ["E501"]\n\n[lint]\nselect = ["E", "F"]\n',
    '`ignore` now also ignores `E501`',
    'block',
  ],
  [
    'ruff: select set anew without the default F',
    'pyproject.toml',
    '[tool.ruff]\nline-length = 100\n',
    '[tool.ruff]\nline-length = 100\n[tool.ruff.lint]\nselect = ["E"]\n',
    '`select` no longer selects `F` (main: ["E4","E7","E9","F"]; now: ["E"])',
    'block',
  ],
  [
    'mypy: follow_imports skip',
    'mypy.ini',
    '[mypy]\nstrict = True\n',
    '[mypy]\nstrict = True\nfollow_imports = skip\n',
    '`follow_imports` is now skip',
    'block',
  ],
  [
    'mypy: ignore_missing_imports is only a warning',
    'setup.cfg',
    '[mypy]\nstrict = True\n',
    '[mypy]\nstrict = True\n[mypy-requests.*]\nignore_missing_imports = True\n',
    '`ignore_missing_imports (module requests.*)` is now true',
    'warn',
  ],
  [
    'mypy: strict taken out, in pyproject',
    'pyproject.toml',
    '[tool.mypy]\nstrict = true\npython_version = "3.12"\n',
    '[tool.mypy]\npython_version = "3.12"\n',
    '`strict` is now false (by default, since it was removed)',
    'block',
  ],
  [
    'pyright: typeCheckingMode removed from strict falls back to standard',
    'pyproject.toml',
    '[tool.pyright]\ntypeCheckingMode = "strict"\n',
    '[tool.pyright]\npythonVersion = "3.12"\n',
    '`typeCheckingMode` is now standard (by default, since it was removed)',
    'block',
  ],
  [
    'pyright: type: ignore comments honoured again',
    'pyrightconfig.json',
    '{ "enableTypeIgnoreComments": false }',
    '{ "enableTypeIgnoreComments": true }',
    '`enableTypeIgnoreComments` is now true',
    'block',
  ],
  [
    'pylint: fail-under lowered',
    '.pylintrc',
    '[MAIN]\nfail-under = 10\n',
    '[MAIN]\nfail-under = 7.5\n',
    '`fail-under` is now 7.5 (main: 10; now: 7.5)',
    'block',
  ],
  [
    'golangci: linters.default lowered',
    '.golangci.yml',
    'version: "2"\nlinters:\n  default: all\n',
    'version: "2"\nlinters:\n  default: none\n',
    '`linters.default` is now none (main: all; now: none)',
    'block',
  ],
  [
    'golangci toml: disable-all',
    '.golangci.toml',
    '[linters]\nenable = ["errcheck"]\n',
    '[linters]\ndisable-all = true\nenable = ["errcheck"]\n',
    '`linters.disable-all` is now true',
    'block',
  ],
  [
    'Cargo: workspace lint allowed',
    'Cargo.toml',
    '[workspace]\nmembers = ["a"]\n\n[workspace.lints.rust]\nunsafe_code = "forbid"\n',
    '[workspace]\nmembers = ["a"]\n\n[workspace.lints.rust]\nunsafe_code = "warn"\n',
    '`workspace.lints.rust.unsafe_code` is now warn (main: forbid; now: warn): rustc/clippy reports less',
    'block',
  ],
];

// [what, path, before, after]
const unchanged: [string, string, string | undefined, string | undefined][] = [
  [
    'tsconfig: strict spelled out flag by flag is no weaker for the flags written',
    'tsconfig.json',
    tsconfig('"noImplicitAny": true'),
    tsconfig('"noImplicitAny": true, "strictNullChecks": true'),
  ],
  [
    'tsconfig: skipLibCheck on',
    'tsconfig.json',
    tsconfig('"strict": true'),
    tsconfig('"strict": true, "skipLibCheck": true'),
  ],
  [
    'tsconfig: exclude gains build output only',
    'tsconfig.json',
    tsconfig('', '"exclude": ["node_modules"]'),
    tsconfig('', '"exclude": ["node_modules", "./dist/", "**/coverage"]'),
  ],
  [
    'tsconfig: include widened from a glob to its folder, exclude narrowed to a file in an excluded folder',
    'tsconfig.json',
    tsconfig('', '"include": ["src/**/*.ts"], "exclude": ["src/legacy"]'),
    tsconfig('', '"include": ["src", "scripts"], "exclude": ["src/legacy/", "src/legacy/old.ts"]'),
  ],
  [
    'eslint: the rule moved to another config object, same level',
    'eslint.config.js',
    flat(`  { rules: { eqeqeq: 'error', 'no-var': 'warn' } },`),
    flat(`  { rules: { 'no-var': 2 } },\n  { files: ['**/*.js'], rules: { eqeqeq: ['error', 'always'] } },`),
  ],
  [
    'eslint: a file added to an object whose rules are all at error',
    'eslint.config.js',
    flat(`  { files: ['src/**'], rules: { eqeqeq: 'error' } },`),
    flat(`  { files: ['src/**', 'scripts/**'], rules: { eqeqeq: 'error' } },`),
  ],
  [
    'eslint: a rule set from a variable is not read',
    'eslint.config.js',
    flat(`  { rules: { eqeqeq: 'error' } },`),
    `const level = 'off';\n${flat(`  { rules: { eqeqeq: level } },`)}`,
  ],
  [
    'biome: only the formatter changed',
    'biome.json',
    '{ "formatter": { "lineWidth": 80 }, "linter": { "enabled": true } }',
    '{ "formatter": { "lineWidth": 120 }, "linter": { "enabled": true } }',
  ],
  [
    'ruff: ignore entries covered by a wider code already ignored',
    'pyproject.toml',
    '[tool.ruff.lint]\nignore = ["E5"]\n',
    '[tool.ruff.lint]\nignore = ["E5", "E501"]\n',
  ],
  [
    'ruff: select ALL replacing a list',
    'ruff.toml',
    '[lint]\nselect = ["E", "F"]\n',
    '[lint]\nselect = ["ALL"]\nignore = ["D"]\n',
  ],
  [
    'mypy: a module made stricter than the global',
    'mypy.ini',
    '[mypy]\ncheck_untyped_defs = True\n',
    '[mypy]\ncheck_untyped_defs = True\n\n[mypy-app.core]\ndisallow_untyped_defs = True\n',
  ],
  [
    'pyright: basic to standard',
    'pyrightconfig.json',
    '{ "typeCheckingMode": "basic" }',
    '{ "typeCheckingMode": "standard" }',
  ],
  [
    'Cargo: lints reordered and one raised',
    'Cargo.toml',
    '[lints.clippy]\nall = "warn"\nunwrap_used = "warn"\n',
    '[lints.clippy]\nunwrap_used = "deny"\nall = { level = "warn", priority = -1 }\n',
  ],
  [
    'a config under test fixtures is test data',
    'test/fixtures/app/tsconfig.json',
    tsconfig('"strict": true'),
    tsconfig(''),
  ],
  [
    'unreadable TOML at either side',
    'pyproject.toml',
    '[tool.ruff.lint\nignore = [',
    '[tool.ruff.lint]\nselect = ["E4", "E7", "E9", "F"]\n',
  ],
];

describe('checker-config-loosened', () => {
  it.each(loosened)('%s', (_, path, before, after, message, severity) => {
    const findings = findingsFor(path, before, after);
    expect(findings.map((finding) => finding.message).join('\n')).toContain(message);
    expect(findings.find((finding) => finding.message.includes(message))?.severity).toBe(severity);
  });

  it.each(unchanged)('no finding: %s', (_, path, before, after) => {
    expect(findingsFor(path, before, after)).toEqual([]);
  });

  it('reads only config files, by name', () => {
    const read = [
      'tsconfig.json',
      'web/tsconfig.build.json',
      '.eslintrc',
      'eslint.config.cjs',
      'biome.jsonc',
      'mypy.ini',
    ];
    const skipped = ['src/tsconfig.ts', 'eslint.js', 'README.md', 'src/app.py', 'test/fixtures/x/ruff.toml'];
    expect(read.filter((path) => checkerConfigLoosened.reads?.(path) !== true)).toEqual([]);
    expect(skipped.filter((path) => checkerConfigLoosened.reads?.(path) !== false)).toEqual([]);
  });

  it('judges a config new to the repository against the defaults, as a warning only', () => {
    const [finding] = findingsFor('mypy.ini', undefined, '[mypy]\n[mypy-app.*]\nignore_errors = True\n');
    expect(finding?.severity).toBe('warn');
    expect(finding?.message).toContain('main had no mypy config here or above');
    expect(finding?.message).toContain('take the setting out of mypy.ini');
  });

  it('blocks a new config when the base configured the checker in a folder above', () => {
    const context = {
      ...contextForChange('web/legacy/.eslintrc.json', undefined, '{ "rules": { "eqeqeq": "off" } }'),
      unchangedAtBase: new Map([['.eslintrc.json', '{ "root": true, "extends": ["eslint:recommended"] }']]),
    };
    const findings = checkerConfigLoosened.check(context);
    expect(findings.map((finding) => [finding.severity, finding.path, finding.line])).toEqual([
      ['block', 'web/legacy/.eslintrc.json', 1],
    ]);
  });

  it('asks for the configs at the base only when a checker config changed', () => {
    const code = contextForChange('src/app.ts', 'let a = 1;', 'let a = 2;').changed;
    const config = contextForChange('web/tsconfig.json', '{}', '{}').changed;
    expect(checkerConfigLoosened.readsAtBase?.(code)).toBeUndefined();
    expect(checkerConfigLoosened.readsAtBase?.(config)?.('pyproject.toml')).toBe(true);
  });

  it('only warns when every file of a configuration is deleted (a package removed with its config)', () => {
    const findings = findingsFor('packages/old/mypy.ini', '[mypy]\nstrict = True\n', undefined);
    expect(findings.map((finding) => [finding.severity, finding.line])).toEqual([['warn', 2]]);
    expect(findings[0]?.message).toContain('its config is deleted');
  });

  it('blocks a config replaced by a looser one under another name in the same folder', () => {
    const context = contextForChange('setup.cfg', '[mypy]\nstrict = True\n', '[metadata]\nname = shop\n');
    context.changed.push({ path: 'mypy.ini', status: 'added', before: undefined, after: '[mypy]\nstrict = False\n' });
    const findings = checkerConfigLoosened.check(context);
    expect(findings.map((finding) => [finding.severity, finding.path, finding.line])).toEqual([
      ['block', 'mypy.ini', 2],
    ]);
  });
});
