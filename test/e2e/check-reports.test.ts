import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkJson, repoRoot, runSluice } from '../support/sluice-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { writeFiles } from '../support/write-files.ts';

/** A copy of the bundled example with one pricing rule broken, so two real node:test tests fail. */
function brokenShop(): string {
  const dir = tempDir();
  cpSync(join(repoRoot, 'examples/shop'), dir, { recursive: true, filter: (path) => !path.includes('.sluice') });
  const pricing = join(dir, 'src/pricing.js');
  writeFileSync(pricing, readFileSync(pricing, 'utf8').replace('gross * 0.9', 'gross * 0.8'));
  return dir;
}

describe('failures read from a real JUnit report', () => {
  it('points at the failing test line and says where, in the code under test, the error was raised', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'package.json': '{ "type": "module" }',
      'src/sku.js':
        'export function parseSku(text) {\n  if (!text.trim()) throw new Error(`sku must not be blank`);\n  return text;\n}\n',
      'test/sku.test.js':
        "import { test } from 'node:test';\nimport { parseSku } from '../src/sku.js';\n\ntest('blank sku', () => {\n  parseSku('  ');\n});\n",
      'sluice.yaml': `gates:
  unit:
    run: node --test --test-reporter=junit --test-reporter-destination=.sluice/reports/unit.xml "test/*.test.js"
    report: { format: junit, path: .sluice/reports/unit.xml }
`,
    });
    const { gate } = await checkJson(dir);
    expect(gate('unit').failures).toEqual([
      {
        test: 'blank sku',
        message: 'sku must not be blank',
        file: 'test/sku.test.js',
        line: 5,
        origin: 'src/sku.js:2',
      },
    ]);
  });

  it('gives --json the failing tests with message, file, line, expected and received', async () => {
    const { exitCode, gate } = await checkJson(brokenShop());
    expect(exitCode).toBe(1);
    const unit = gate('unit');
    expect(unit.status).toBe('failed');
    expect(unit.counts).toEqual({ total: 7, passed: 5, failed: 2, skipped: 0 });
    expect(unit.failures).toEqual([
      {
        test: 'Cart > merges repeated items into one line',
        message: expect.stringContaining('Expected values to be strictly equal'),
        file: 'test/cart.test.js',
        line: 13,
        expected: '450',
        received: '400',
      },
      {
        test: 'linePrice > gives 10% off from 10 items',
        message: expect.stringContaining('Expected values to be strictly equal'),
        file: 'test/pricing.test.js',
        line: 11,
        expected: '900',
        received: '800',
      },
    ]);
    expect(gate('syntax').status).toBe('passed');
  });

  it('prints the compact feedback with --feedback, within --budget', async () => {
    const dir = brokenShop();
    const run = await runSluice(['check', '--feedback'], { cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe(
      [
        '1 gate failed: unit; 2 passed. Fix the code, not the checks.',
        '',
        '## unit: 2 of 7 tests failed; log: .sluice/logs/unit.log',
        '- Cart > merges repeated items into one line (test/cart.test.js:13)',
        '  Expected values to be strictly equal:',
        '  expected: 450  received: 400',
        '- linePrice > gives 10% off from 10 items (test/pricing.test.js:11)',
        '  Expected values to be strictly equal:',
        '  expected: 900  received: 800',
        '',
      ].join('\n'),
    );
    const small = await runSluice(['check', '--feedback', '--budget', '320'], { cwd: dir });
    expect(small.stdout.trimEnd().length).toBeLessThanOrEqual(320);
    expect(small.stdout).toContain('test/cart.test.js:13');
    expect(small.stdout).toContain('… 1 more failure in .sluice/logs/unit.log');
  });

  it('explains test files that failed to load with the errors from the output', async () => {
    const dir = brokenShop();
    writeFiles(dir, { 'test/helper-that-throws.js': 'throw new TypeError("helper exploded");\n' });
    const cart = join(dir, 'test/cart.test.js');
    writeFileSync(cart, `import './helper-that-throws.js';\n${readFileSync(cart, 'utf8')}`);
    const pricing = join(dir, 'test/pricing.test.js');
    writeFileSync(
      pricing,
      readFileSync(pricing, 'utf8').replace('{ formatCents, linePrice }', '{ formatCents, linePrice, nothere }'),
    );
    const { gate } = await checkJson(dir);
    expect(gate('unit').failures).toEqual([
      {
        test: 'test/cart.test.js',
        message: 'TypeError: helper exploded',
        file: 'test/helper-that-throws.js',
        line: 1,
      },
      {
        test: 'test/pricing.test.js',
        message: "SyntaxError: The requested module '../src/pricing.js' does not provide an export named 'nothere'",
        file: 'test/pricing.test.js',
        line: 3,
      },
    ]);
  });
});
