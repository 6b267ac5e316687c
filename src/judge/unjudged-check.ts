import type { CheckResult, GateResult } from '../gates/gate-results.ts';

/** A commit that could not be checked out or set up for judging fails, with the reason as its feedback. */
export function unjudgedCheck(reason: string): CheckResult {
  return { verdict: 'failed', durationMs: 0, cancelled: false, gates: [judgeFailure('setup', 'build', reason)] };
}

/** A gate of the judge's own that failed (the setup, the judged tree): blocking, with the reason as its feedback. */
export function judgeFailure(name: string, kind: GateResult['kind'], reason: string): GateResult {
  return { name, kind, tier: 0, blocking: true, status: 'failed', durationMs: 0, reason, failures: [], problems: [] };
}
