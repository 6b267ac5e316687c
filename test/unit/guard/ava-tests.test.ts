import { describe, expect, it } from 'vitest';
import { parseTests } from '../../../src/guard/js/parse-tests.ts';
import { runnerConfigNarrowed } from '../../../src/guard/rules/runner-config-narrowed.ts';
import { runGuard } from '../../../src/guard/run-guard.ts';
import { avaSettings } from '../../../src/guard/runner-config/ava-config.ts';
import { configEntries } from '../../../src/guard/runner-config/js-config.ts';
import { assertionShadows } from '../../../src/guard/tests/assertion-shadows.ts';
import { judgeAssertion, type Strength, Strengths } from '../../../src/guard/tests/assertion-strength.ts';
import type { TestCase } from '../../../src/guard/tests/test-case.ts';
import { gitdir } from '../../support/gitdir.ts';
import { writeFiles } from '../../support/write-files.ts';
import { contextForChange } from './changed-context.ts';

const parseAva = (source: string, path = 'test/calc.test.js') => parseTests(path, source);
const named = (tests: TestCase[], title: string) => tests.find((test) => test.titles.join(' > ') === title);
const texts = (test: TestCase | undefined) => test?.assertions.map((assertion) => assertion.text);

describe('ava tests', () => {
  const file = `import test from 'ava';
const sums = test.macro((t, a, b, expected) => {
  t.is(add(a, b), expected, 'sum');
});
function triples(ctx, n, expected) {
  ctx.is(total(n), expected);
}
test.before(async (t) => { t.truthy(await connect()); });
test.afterEach.always('cleanup', (t) => { t.pass(); });
test('adds', sums, 1, 2, 3);
test('triples', (t) => { triples(t, 2, 6); });
test.serial('named assert', async (assert) => {
  assert.plan(2);
  assert.true(ok());
  await assert.throwsAsync(load(), { code: 'ENOENT' });
});
test('destructured', ({ is, deepEqual }) => { is(a, 1); deepEqual(b, [1]); });
test('typed', (t: ExecutionContext) => { t.like(o, { a: 1 }); t.log('not an assertion'); Object.is(a, b); });
test.failing('known bug', (t) => { t.fail(); });
test.serial.skip('skipped', (t) => { t.snapshot(view()); });
test.only('only', (t) => { t.notThrows(() => run()); });
test.todo('later');
`;
  const tests = parseAva(file, 'test/calc.test.ts');

  it('reads tests, not hooks or macros, and the assertions of each on a context of any name', () => {
    expect(tests.map((test) => test.titles.join(' > '))).toEqual([
      'adds',
      'triples',
      'named assert',
      'destructured',
      'typed',
      'known bug',
      'skipped',
      'only',
      'later',
      '(top level)',
    ]);
    expect(texts(named(tests, 'named assert'))).toEqual([
      'assert.plan(2)',
      'assert.true(ok())',
      "await assert.throwsAsync(load(), { code: 'ENOENT' })",
    ]);
    expect(texts(named(tests, 'destructured'))).toEqual(['is(a, 1)', 'deepEqual(b, [1])']);
    expect(texts(named(tests, 'typed'))).toEqual(['t.like(o, { a: 1 })']);
  });

  it('gives a test the assertions of the macro it passes and of the helpers it calls with its context', () => {
    expect(texts(named(tests, 'adds'))).toEqual(["t.is(add(a, b), expected, 'sum')"]);
    expect(texts(named(tests, 'triples'))).toEqual(['ctx.is(total(n), expected)']);
    // A macro test's arguments are what it checks: its body.
    expect(named(tests, 'adds')?.body.literals).toEqual(['1', '2', '3']);
  });

  it('counts the assertions of macros, helpers and hooks at the top level of the file', () => {
    expect(texts(named(tests, '(top level)'))).toEqual([
      "t.is(add(a, b), expected, 'sum')",
      'ctx.is(total(n), expected)',
      't.truthy(await connect())',
      't.pass()',
    ]);
  });

  it('marks test.failing, test.serial.skip, test.only and test.todo', () => {
    const markers = (title: string) => named(tests, title)?.markers.map((marker) => `${marker.kind} ${marker.text}`);
    expect(markers('known bug')).toEqual(['xfail test.failing']);
    expect(markers('skipped')).toEqual(['skip test.serial.skip']);
    expect(markers('only')).toEqual(['only test.only']);
    expect(markers('later')).toEqual(['todo test.todo']);
    expect(markers('named assert')).toEqual([]);
  });

  it('leaves failure messages out of the values an assertion checks', () => {
    const [before] = parseAva("test('adds', (t) => { t.is(add(1, 2), 3, 'adds'); t.pass('ok'); });");
    const [after] = parseAva("test('adds', (t) => { t.is(add(1, 2), 3, 'sums'); t.pass('fine'); });");
    expect(after?.body.key).toBe(before?.body.key);
    expect(after?.assertions.map((assertion) => assertion.key)).toEqual(before?.assertions.map((a) => a.key));
  });

  it('reads no ava assertion on a name that is not the context', () => {
    const [test] = parseAva("test('x', (t) => { other.is(a, 1); t.context.is(a, 1); items.map((i) => i.true(1)); });");
    expect(texts(test)).toEqual([]);
  });
});

describe('ava assertion strength', () => {
  const { constant, defined, presence, range, value } = Strengths;
  const cases: Array<[string, Strength | undefined]> = [
    ['t.is(total(2), 6)', value],
    ['t.deepEqual(total(2), 6)', value],
    ['t.like(config, { name: "x" })', value],
    ['t.like(config, {})', presence],
    ['t.is(total(2), total(2))', constant],
    ['t.is(6, 6)', constant],
    ['t.true(total(2) === 6)', value],
    ['t.true(total(2) > 0)', range],
    ['t.true(ok)', presence],
    ['t.true(true)', constant],
    ['t.assert(ok)', presence],
    ['t.truthy(total(2))', presence],
    ['t.false(total(2) !== 6)', value],
    ['t.false(false)', constant],
    ['t.false(failed)', presence],
    ['t.falsy(error)', presence],
    ['t.not(total(2), 5)', range],
    ['t.not(total(2), undefined)', defined],
    ['t.notDeepEqual(total(2), null)', defined],
    ['t.regex(text, /ab+/)', range],
    ["t.regex('ab', /ab/)", constant],
    ['t.regex(text, /.*/)', presence],
    ['t.throws(() => divide(1, 0), { message: "x" })', value],
    ['t.throws(() => divide(1, 0), { instanceOf: RangeError }, "message")', value],
    ['t.throws(() => divide(1, 0))', range],
    ['t.throws(() => divide(1, 0), { any: true })', range],
    ['await t.throwsAsync(load())', range],
    ['await t.throwsAsync(load(), { code: "ENOENT" })', value],
    ['t.notThrows(() => divide(1, 1))', presence],
    ['await t.notThrowsAsync(load())', presence],
    ['t.snapshot(render())', value],
    ['t.pass()', constant],
    ['t.fail()', value],
    ['t.plan(2)', undefined],
    // node:assert ranks the same way.
    ['assert.throws(() => divide(1, 0), /division by zero/)', value],
    ["assert.throws(() => divide(1, 0), 'a failure message')", range],
    ['await assert.rejects(load())', range],
    ['assert.is(total(2), 6)', value],
    ['assert.truthy(total(2))', presence],
    ['assert.equal(total(2), 6)', value],
    ['is(total(2), 6)', value],
    ['truthy(total(2))', presence],
  ];
  it.each(cases)('judges %s', (text, strength) => {
    expect(judgeAssertion(text)?.strength).toBe(strength);
  });
});

describe('ava assertions replaced in the test file', () => {
  it.each([
    ['  t.is = () => {};', 't.is'],
    ['  t.true = t.pass;', 't.true'],
    ['  Object.assign(t, { is() {} });', 't'],
    ["import test from './_fake.js';", 'test'],
    ["const test = require('../support/fake-ava');", 'test'],
  ])('%s', (line, name) => {
    expect(assertionShadows('test/a.test.js', `${line}\n`).map((shadow) => shadow.name)).toEqual([name]);
  });

  it.each([
    "import test from 'ava';",
    "const test = require('ava');",
    '  user.pass = "secret";',
    '  t.context.is = 3;',
    '  const test = makeCase(3);',
    '  if (t.is === undefined) return;',
  ])('not: %s', (line) => {
    expect(assertionShadows('test/a.test.js', `${line}\n`)).toEqual([]);
  });
});

describe('ava configuration', () => {
  const settingsOf = (path: string, source: string, scope?: string) =>
    avaSettings(configEntries(path, source), scope).map((setting) => ({
      kind: setting.kind,
      name: setting.name,
      values: 'values' in setting ? setting.values : setting.kind === 'toggle' ? [setting.value] : [],
    }));

  it('reads files, its ! patterns, extensions, match and failWithoutAssertions; not failFast', () => {
    const source = `export default {
  files: ['test/**/*.js', '!test/slow/**'],
  extensions: { ts: 'module', js: true },
  match: ['fast*'],
  failWithoutAssertions: false,
  failFast: true,
  typescript: { files: ['ignored'] },
};`;
    expect(settingsOf('ava.config.mjs', source)).toEqual([
      { kind: 'excludes', name: 'files (! patterns)', values: ['!test/slow/**'] },
      { kind: 'selects', name: 'files', values: ['test/**/*.js'] },
      { kind: 'selects', name: 'extensions', values: ['ts'] },
      { kind: 'selects', name: 'extensions', values: ['js'] },
      { kind: 'filter', name: 'match', values: ['fast*'] },
      { kind: 'toggle', name: 'failWithoutAssertions', values: ['false'] },
    ]);
  });

  it("reads package.json's ava key only", () => {
    const source = JSON.stringify({ files: ['x'], ava: { files: ['checks/**/*.js'], extensions: ['js'] } }, null, 2);
    expect(settingsOf('package.json', source, 'ava')).toEqual([
      { kind: 'excludes', name: 'ava.files (! patterns)', values: [] },
      { kind: 'selects', name: 'ava.files', values: ['checks/**/*.js'] },
      { kind: 'selects', name: 'ava.extensions', values: ['js'] },
    ]);
  });
});

describe('ava on the command line', () => {
  const scripts = (test: string) => JSON.stringify({ scripts: { test } }, null, 2);
  const narrowed = (before: string, after: string) =>
    runnerConfigNarrowed.check(contextForChange('package.json', scripts(before), scripts(after))).map((f) => f.message);

  it.each([
    ['ava', "ava --match 'adds*'", "gained `--match 'adds*'`"],
    ['ava', 'ava -m adds', 'gained `-m adds`'],
    ['ava', 'npx ava -u', 'gained `-u`'],
    ['ava', 'ava --update-snapshots', 'gained `--update-snapshots`'],
    ['vitest run', 'vitest run -u', 'gained `-u`'],
    ['jest --ci', 'jest --ci --updateSnapshot', 'gained `--updateSnapshot`'],
  ])('%s -> %s', (before, after, expected) => {
    expect(narrowed(before, after).join('\n')).toContain(expected);
  });

  it.each([
    ['tape test/*.js', 'tape -u test/*.js'],
    ['ava', 'ava --fail-fast --verbose'],
    ['ava --match "adds*"', "ava --match 'adds*'"],
  ])('not: %s -> %s', (before, after) => {
    expect(narrowed(before, after)).toEqual([]);
  });
});

describe('ava test files named by the configuration', () => {
  const check = "import test from 'ava';\n\ntest('adds', (t) => {\n  t.is(1 + 2, 3);\n});\n";

  it('guards a file that only the base configuration names, when the change drops it from files too', async () => {
    const root = await gitdir({
      files: {
        'package.json': JSON.stringify({ ava: { files: ['checks/**/*.js', 'spec/**/*.js'] } }),
        'checks/math.js': check,
        'spec/other.js': check,
      },
    });
    writeFiles(root, {
      'package.json': JSON.stringify({ ava: { files: ['spec/**/*.js'] } }),
      'checks/math.js': check.replace('  t.is(1 + 2, 3);\n', ''),
    });
    const { findings } = await runGuard({ repoRoot: root });
    expect(findings.map((finding) => `${finding.rule} ${finding.path}`).sort()).toEqual([
      'assertions-removed checks/math.js',
      'runner-config-narrowed package.json',
    ]);
  });

  it('reads no source file as a test file without an ava configuration that names it', async () => {
    const root = await gitdir({ files: { 'package.json': '{"name":"x"}', 'checks/math.js': check } });
    writeFiles(root, { 'checks/math.js': check.replace('  t.is(1 + 2, 3);\n', '') });
    const { findings } = await runGuard({ repoRoot: root });
    expect(findings).toEqual([]);
  });
});
