import type { CheckResult } from '../gates/gate-results.ts';

/** A commit that could not be checked out or set up for judging fails, with the reason as its feedback. */
export function unjudgedCheck(reason: string): CheckResult {
  return {
    verdict: 'failed',
    durationMs: 0,
    cancelled: false,
    gates: [
      {
        name: 'setup',
        kind: 'build',
        tier: 0,
        blocking: true,
        status: 'failed',
        durationMs: 0,
        reason,
        failures: [],
        problems: [],
      },
    ],
  };
}
