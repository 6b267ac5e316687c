import { describe, expect, it } from 'vitest';
import type { CheckResult, GateResult } from '../../../src/gates/gate-results.ts';
import { failureSignature } from '../../../src/loop/failure-signature.ts';

function gate(name: string, overrides: Partial<GateResult> = {}): GateResult {
  return {
    name,
    kind: 'test',
    tier: 1,
    blocking: true,
    status: 'failed',
    durationMs: 5,
    failures: [],
    problems: [],
    ...overrides,
  };
}
const check = (gates: GateResult[]): CheckResult => ({ verdict: 'failed', gates, durationMs: 1, cancelled: false });
const failure = { test: 'cart > sums', message: 'expected 3 to be 4 (12ms)', file: 'test/cart.test.js', line: 7 };

describe('failureSignature', () => {
  it('is the same for the same failures whatever the durations and order', () => {
    const one = failureSignature(check([gate('unit', { failures: [failure], durationMs: 10 }), gate('lint')]));
    const two = failureSignature(
      check([
        gate('lint', { durationMs: 99 }),
        gate('unit', { failures: [{ ...failure, message: 'expected 3 to be 4 (40ms)' }] }),
      ]),
    );
    expect(one).toBe(two);
    expect(one).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes when another test fails or the assertion changes', () => {
    const base = failureSignature(check([gate('unit', { failures: [failure] })]));
    expect(failureSignature(check([gate('unit', { failures: [{ ...failure, line: 8 }] })]))).not.toBe(base);
    expect(
      failureSignature(check([gate('unit', { failures: [{ ...failure, message: 'expected 2 to be 4' }] })])),
    ).not.toBe(base);
  });

  it('is undefined when every blocking gate passed, non-blocking failures aside', () => {
    expect(
      failureSignature(check([gate('unit', { status: 'passed' }), gate('advice', { blocking: false })])),
    ).toBeUndefined();
  });
});
