import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/guard/finding.ts';
import { runnerConfigNarrowed } from '../../../src/guard/rules/runner-config-narrowed.ts';
import { contextForChange } from './changed-context.ts';

function findingsFor(path: string, before: string | undefined, after: string | undefined): Finding[] {
  return runnerConfigNarrowed.check(contextForChange(path, before, after));
}

const packageJson = (test: string) => JSON.stringify({ name: 'shop', scripts: { build: 'tsc', test } }, null, 2);
const makefile = (recipe: string, prerequisites = 'lint') =>
  `.PHONY: lint test\n\nlint:\n\truff check .\n\ntest: ${prerequisites}\n${recipe}\n\nclean:\n\trm -rf build\n`;

// [what, `scripts.test` at the base, now, the message must contain]
const narrowedScripts: [string, string, string, string][] = [
  ['gains -t', 'vitest run', 'vitest run -t "reads a number"', "gained `-t 'reads a number'`"],
  ['gains a file filter', 'jest', 'jest test/cart.test.js', 'now runs only `test/cart.test.js`'],
  ['gains --passWithNoTests', 'jest --ci', 'jest --ci --passWithNoTests', 'gained `--passWithNoTests`'],
  ['gains --testPathPattern=', 'npx jest', 'npx jest --testPathPattern=cart', 'gained `--testPathPattern cart`'],
  ['gains a filter after --', 'npm run test:unit --', 'npm run test:unit -- -t cart', 'gained `-t cart`'],
  ['gains || true', 'vitest run', 'vitest run || true', '`vitest run`: its failure is now ignored (|| true)'],
  [
    'gains ; exit 0',
    'tsc && vitest run',
    'tsc && vitest run; exit 0',
    '`vitest run`: its failure is now ignored (; exit 0)',
  ],
  [
    'gains || after an && chain',
    'tsc && vitest run',
    'tsc && vitest run || echo ok',
    '`tsc`: its failure is now ignored',
  ],
  ['is piped into tee', 'vitest run', 'vitest run | tee out.txt', 'ignored (| tee out.txt)'],
  ['is replaced by echo', 'vitest run', 'echo "all tests pass"', '`vitest run` no longer runs'],
  ['is replaced by exit 0', 'pytest', 'exit 0', '`pytest` no longer runs'],
  ['exits before the runner', 'vitest run', 'exit 0; vitest run', '`vitest run` no longer runs'],
  [
    'drops a step of the chain',
    'npm run test:unit && npm run test:e2e',
    'npm run test:unit',
    '`npm run test:e2e` no longer runs',
  ],
  ['loses a test directory', 'jest test/unit test/e2e', 'jest test/unit', 'no longer gets `test/e2e`'],
  ['runs another script', 'npm run test:all', 'npm run test:unit', 'no longer gets `test:all`'],
  [
    'python -m pytest gains -k',
    'python -m pytest tests',
    'python -m pytest tests -k "not cart"',
    "gained `-k 'not cart'`",
  ],
  ['go test gains -run', 'go test ./...', "go test -run '^TestParse$' ./...", "gained `-run '^TestParse$'`"],
  ['cargo test gains --skip', 'cargo test', 'cargo test -- --skip flaky', 'gained `--skip flaky`'],
];

const neutralScripts: [string, string, string][] = [
  ['requoted', `vitest run -t 'a b'`, 'vitest  run  -t "a b"'],
  ['gains --bail and --coverage', 'vitest run', 'vitest run --bail=1 --coverage'],
  ['gains a type check before', 'vitest run', 'tsc --noEmit; vitest run'],
  ['gains a directory when it had one', 'jest test/unit', 'jest test/unit test/e2e'],
  ['loses its only filter', 'jest test/unit -t cart', 'jest'],
  ['watch mode to run mode', 'vitest', 'vitest run'],
  ['gains a reporter and a redirection', 'vitest run', 'vitest run --reporter dot 2>&1'],
  ['keeps its existing || fallback', 'vitest run || (echo failed && exit 1)', 'vitest  run || (echo failed && exit 1)'],
];

// [what, the Makefile at the base, now, the message must contain]
const narrowedMakefiles: [string, string, string, string][] = [
  ['a - prefix', makefile('\tpytest tests'), makefile('\t-pytest tests'), 'ignored (the `-` prefix)'],
  ['|| true', makefile('\tgo test ./...'), makefile('\tgo test ./... || true'), 'ignored (|| true)'],
  ['a -run filter', makefile('\tgo test ./...'), makefile("\tgo test -run 'TestParse$$' ./..."), 'gained `-run'],
  [
    'a -run= filter',
    makefile('\tgo test ./...'),
    makefile('\tgo test -run=TestParse ./...'),
    'gained `-run TestParse`',
  ],
  [
    'GOFLAGS on the command',
    makefile('\tgo test ./...'),
    makefile('\tGOFLAGS=-short go test ./...'),
    'gained `-short`',
  ],
  [
    'GOFLAGS exported',
    makefile('\tgo test ./...'),
    `export GOFLAGS := -count=1 -run=TestParse\n${makefile('\tgo test ./...')}`,
    'gained `-run TestParse`',
  ],
  [
    'PYTEST_ADDOPTS on the command',
    makefile('\tpython -m pytest'),
    makefile("\tPYTEST_ADDOPTS='-k cart' python -m pytest"),
    'gained `-k cart`',
  ],
  [
    'PYTHONOPTIMIZE on unittest',
    makefile('\tpython -m unittest'),
    makefile('\tPYTHONOPTIMIZE=2 python -m unittest'),
    'gained `-O`',
  ],
  ['python -O on unittest', makefile('\tpython3 -m unittest'), makefile('\tpython3 -O -m unittest'), 'gained `-O`'],
  [
    'a -skip filter',
    makefile('\tgo test ./...'),
    makefile('\tgo test -skip TestFlaky ./...'),
    'gained `-skip TestFlaky`',
  ],
  ['a -k filter', makefile('\t@pytest tests'), makefile('\t@pytest tests -k "not slow"'), "gained `-k 'not slow'`"],
  [
    'a line removed',
    makefile('\tpytest tests/unit\n\tpytest tests/e2e'),
    makefile('\tpytest tests/unit'),
    '`pytest tests/e2e` no longer runs',
  ],
  [
    'a prerequisite removed',
    makefile('\tpytest', 'lint unit'),
    makefile('\tpytest', 'lint'),
    '`prerequisites of test` no longer selects `unit`',
  ],
  [
    'the recipe of a prerequisite',
    makefile('\ttrue', 'lint'),
    makefile('\ttrue', 'lint').replace('ruff check .', '-ruff check .'),
    '`recipe of lint`',
  ],
  [
    'the test target removed',
    makefile('\tpytest'),
    '.PHONY: lint\nlint:\n\truff check .\n',
    '`recipe of test` was removed',
  ],
];

const neutralMakefiles: [string, string, string][] = [
  ['recipe respaced and silenced', makefile('\tpytest tests  -q'), makefile('\t@pytest   tests -q')],
  [
    'GOFLAGS with -count and -mod',
    makefile('\tgo test ./...'),
    makefile('\tGOFLAGS="-count=1 -mod=mod" go test ./...'),
  ],
  ['python -O on pytest', makefile('\tpython -m pytest'), makefile('\tpython -O -m pytest')],
  ['PYTHONOPTIMIZE=0', makefile('\tpython -m unittest'), makefile('\tPYTHONOPTIMIZE=0 python -m unittest')],
  ['a recipe line added', makefile('\tpytest tests'), makefile('\tpytest tests\n\tpytest docs --doctest-glob="*.md"')],
  ['a line continuation', makefile('\tpytest tests -q'), makefile('\tpytest \\\n\t  tests -q')],
  ['a target that tests do not reach', makefile('\tpytest'), makefile('\tpytest').replace('rm -rf build', 'true')],
  ['comments and conditionals', makefile('\tpytest'), makefile('# run the suite\nifdef CI\n\tpytest\nendif')],
];

describe('runner-config-narrowed: package.json test scripts', () => {
  it.each(narrowedScripts)('blocks a script that %s', (_, before, after, expected) => {
    const findings = findingsFor('package.json', packageJson(before), packageJson(after));
    expect(findings.map((finding) => finding.severity)).toContain('block');
    expect(findings.map((finding) => finding.message).join('\n')).toContain(expected);
  });

  it.each(neutralScripts)('passes a script that is %s', (_, before, after) => {
    expect(findingsFor('package.json', packageJson(before), packageJson(after))).toEqual([]);
  });

  it('reads test:* scripts, ignores the others and allows new ones', () => {
    const scripts = (entries: Record<string, string>) => JSON.stringify({ scripts: entries });
    const base = scripts({ 'test:e2e': 'playwright test', build: 'tsc' });
    expect(findingsFor('package.json', base, scripts({ build: 'tsc' }))[0]?.message).toContain(
      '`scripts.test:e2e` was removed',
    );
    expect(findingsFor('package.json', base, scripts({ 'test:e2e': 'playwright test', build: 'echo' }))).toEqual([]);
    const added = scripts({ 'test:e2e': 'playwright test', 'test:cart': 'vitest run -t cart', build: 'tsc' });
    expect(findingsFor('package.json', base, added)).toEqual([]);
  });
});

describe('runner-config-narrowed: Makefile test targets', () => {
  it.each(narrowedMakefiles)('blocks %s', (_, before, after, expected) => {
    const findings = findingsFor('Makefile', before, after);
    expect(findings.map((finding) => finding.severity)).toContain('block');
    const message = findings.map((finding) => finding.message).join('\n');
    expect(message).toContain(expected);
    expect(message).toContain('Restore it: git checkout main -- Makefile');
  });

  it.each(neutralMakefiles)('passes %s', (_, before, after) => {
    expect(findingsFor('Makefile', before, after)).toEqual([]);
  });

  it('points at the changed recipe line', () => {
    const [finding] = findingsFor('build/ci.mk', makefile('\tgo test ./...'), makefile('\tgo test ./... || true'));
    expect(finding).toMatchObject({ path: 'build/ci.mk', line: 7, severity: 'block' });
  });

  it('blocks a deleted Makefile that had a test target', () => {
    const findings = findingsFor('Makefile', makefile('\tpytest'), undefined);
    expect(findings.map((finding) => [finding.severity, finding.line])).toContainEqual(['block', 7]);
  });
});
