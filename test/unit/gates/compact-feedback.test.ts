import { describe, expect, it } from 'vitest';
import { compactFeedback } from '../../../src/gates/feedback/compact-feedback.ts';
import type { CheckResult, GateResult } from '../../../src/gates/gate-results.ts';
import type { Failure } from '../../../src/gates/reports/report-types.ts';

function gate(overrides: Partial<GateResult> & { name: string }): GateResult {
  return {
    kind: 'test',
    tier: 1,
    blocking: true,
    status: 'failed',
    durationMs: 10,
    logPath: `.sluice/logs/${overrides.name}.log`,
    failures: [],
    problems: [],
    ...overrides,
  };
}

function check(gates: GateResult[]): CheckResult {
  return { verdict: 'failed', gates, durationMs: 100, cancelled: false };
}

const assertionFailure: Failure = {
  test: 'cart > sums its lines',
  message: 'AssertionError: expected 281 to equal 280',
  file: 'test/cart.test.js',
  line: 7,
  expected: '280',
  received: '281',
};

describe('compactFeedback', () => {
  it('names each failing test with file:line, message and expected/received, and the log', () => {
    const text = compactFeedback(
      check([
        gate({ name: 'unit', failures: [assertionFailure], counts: { total: 9, passed: 8, failed: 1, skipped: 0 } }),
        gate({ name: 'lint', status: 'passed' }),
      ]),
    );
    expect(text).toBe(
      [
        '1 gate failed: unit; 1 passed. Fix the code, not the checks.',
        '',
        '## unit: 1 of 9 tests failed; log: .sluice/logs/unit.log',
        '- cart > sums its lines (test/cart.test.js:7)',
        '  AssertionError: expected 281 to equal 280',
        '  expected: 280  received: 281',
      ].join('\n'),
    );
  });

  it('leaves out a message line that only restates expected and received, and says where an error was raised', () => {
    const failure: Failure = {
      test: 'cart > merges',
      message: 'Expected values to be strictly equal:\n400 !== 450',
      file: 'test/cart.test.js',
      line: 13,
      expected: '450',
      received: '400',
      origin: 'src/cart.js:9',
    };
    expect(compactFeedback(check([gate({ name: 'unit', failures: [failure] })]))).toContain(
      [
        '- cart > merges (test/cart.test.js:13)',
        '  Expected values to be strictly equal:',
        '  raised at src/cart.js:9',
        '  expected: 450  received: 400',
      ].join('\n'),
    );
  });

  it('adds the end of the output when the failures name no place (a crash the report cannot see)', () => {
    const text = compactFeedback(
      check([
        gate({
          name: 'unit',
          failures: [{ test: 'test', message: 'test failed' }],
          outputTail: ["Error: Cannot find module '/x/test'"],
        }),
      ]),
    );
    expect(text).toContain("- test\n  test failed\n  output ends with:\n    Error: Cannot find module '/x/test'");
  });

  it('starts a failure without a test name with its place, said once', () => {
    const text = compactFeedback(
      check([
        gate({
          name: 'lint',
          failures: [
            { message: 'test/a.test.ts:4 AssertionError: boom', file: 'test/a.test.ts', line: 4 },
            { message: "Type 'string' is not assignable to type 'number'.", file: 'src/b.ts', line: 9 },
          ],
        }),
      ]),
    );
    expect(text).toContain(
      "- src/b.ts:9: Type 'string' is not assignable to type 'number'.\n- test/a.test.ts:4 AssertionError: boom",
    );
  });

  it('falls back to the last lines of output when nothing could be parsed', () => {
    const text = compactFeedback(
      check([gate({ name: 'build', exitCode: 2, outputTail: ['make: *** [all] Error 2'] })]),
    );
    expect(text).toContain('## build: exit 2; log: .sluice/logs/build.log\n  make: *** [all] Error 2');
  });

  it('gives no advice about the code when no failure was parsed (a missing command, a crash)', () => {
    const text = compactFeedback(
      check([gate({ name: 'build', reason: 'exit 127: command not found', outputTail: ['sh: 1: go: not found'] })]),
    );
    expect(text.split('\n')[0]).toBe('1 gate failed: build.');
  });

  it('says a gate timed out and which gates were not run', () => {
    const text = compactFeedback(
      check([
        gate({ name: 'e2e', status: 'timed-out', reason: 'timed out after 60s; its process group was killed' }),
        gate({ name: 'bench', tier: 2, status: 'skipped', reason: 'tier 1 failed (e2e)' }),
      ]),
    );
    expect(text).toContain('## e2e: timed out after 60s; its process group was killed (log: .sluice/logs/e2e.log)');
    expect(text).toContain('Not run: bench; tier 1 failed (e2e).');
  });

  it('stays within the budget, gives every failing gate room, and says how many failures it left out', () => {
    const many = Array.from({ length: 200 }, (_, index) => ({
      test: `suite > case ${String(index).padStart(3, '0')}`,
      message: `AssertionError: value ${index} is wrong\n${'detail '.repeat(30)}`,
      file: 'test/big.test.ts',
      line: index + 1,
    }));
    const text = compactFeedback(
      check([
        gate({ name: 'unit', failures: many }),
        gate({
          name: 'types',
          kind: 'typecheck',
          failures: [
            { test: 'TS2322', message: "Type 'string' is not assignable to type 'number'.", file: 'src/a.ts', line: 3 },
          ],
        }),
      ]),
      { budget: 1500 },
    );
    expect(text.length).toBeLessThanOrEqual(1500);
    expect(text).toContain('suite > case 000');
    expect(text).toContain('TS2322 (src/a.ts:3)');
    expect(text).toMatch(/… \d+ more failures in \.sluice\/logs\/unit\.log/);
  });

  it('is deterministic: the same failures in another order give the same text', () => {
    const failures: Failure[] = [
      { test: 'b', message: 'm', file: 'z.ts', line: 1 },
      { test: 'a', message: 'm', file: 'a.ts', line: 9 },
      { test: 'c', message: 'm', file: 'a.ts', line: 2 },
    ];
    const one = compactFeedback(check([gate({ name: 'x', failures }), gate({ name: 'y', failures })]));
    const two = compactFeedback(
      check([
        gate({ name: 'y', failures: [...failures].reverse() }),
        gate({ name: 'x', failures: [...failures].reverse() }),
      ]),
    );
    expect(one).toBe(two);
    expect(one.indexOf('a.ts:2')).toBeLessThan(one.indexOf('a.ts:9'));
  });

  it('shows one failure of each kind before the repeats, in natural order', () => {
    const repeats = Array.from({ length: 30 }, (_, index) => ({
      test: `case number ${index}`,
      message: `AssertionError: expected ${index} to be ${index + 1}`,
    }));
    const different: Failure = { test: 'throws a plain error', message: 'TypeError: x is not a function' };
    const text = compactFeedback(check([gate({ name: 'unit', failures: [...repeats, different] })]), { budget: 400 });
    const shown = [...text.matchAll(/^- (.+)$/gm)].map((match) => match[1]);
    expect(shown.slice(0, 3)).toEqual(['case number 0', 'throws a plain error', 'case number 1']);
  });

  it('says once, with how many, the failures that would read the same (one lint rule broken twice on a line)', () => {
    const quotes = (column: number): Failure => ({
      test: 'yaml/quotes',
      message: 'Strings must use singlequote.',
      file: 'config.yaml',
      line: 56,
      column,
    });
    const blank: Failure = { test: 'style/no-multiple-empty-lines', message: 'More than 1 blank line.', file: 'a.md' };
    const failures = [quotes(3), quotes(9), blank, quotes(15), quotes(21)];
    const text = compactFeedback(check([gate({ name: 'lint', kind: 'lint', failures })]));
    expect(text.split('\n').slice(2)).toEqual([
      '## lint: failed; log: .sluice/logs/lint.log',
      '- style/no-multiple-empty-lines (a.md)',
      '  More than 1 blank line.',
      '- yaml/quotes (config.yaml:56) (4 times)',
      '  Strings must use singlequote.',
    ]);
    // What is left out is counted in failures, not in entries.
    const tight = compactFeedback(check([gate({ name: 'lint', kind: 'lint', failures })]), { budget: 230 });
    expect(tight).toContain('- style/no-multiple-empty-lines (a.md)');
    expect(tight).toContain('… 4 more failures in .sluice/logs/lint.log');
  });

  it('puts blocking gates before non-blocking ones', () => {
    const text = compactFeedback(
      check([
        gate({ name: 'advice', blocking: false, outputTail: ['warn'] }),
        gate({ name: 'unit', outputTail: ['err'] }),
      ]),
    );
    expect(text.startsWith('2 gates failed: unit, advice (non-blocking).')).toBe(true);
  });

  it('is one short line when everything passed', () => {
    const result: CheckResult = {
      verdict: 'passed',
      gates: [gate({ name: 'a', status: 'passed' }), gate({ name: 'b', status: 'cached' })],
      durationMs: 1,
      cancelled: false,
    };
    expect(compactFeedback(result)).toBe('All 2 gates passed; 1 from cache.');
    expect(compactFeedback({ ...result, gates: [gate({ name: 'a', status: 'passed' })] })).toBe('1 gate passed.');
  });
});
