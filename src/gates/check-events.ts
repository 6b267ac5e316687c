import type { CheckResult, GateResult } from './gate-results.ts';

/** Everything a reporter (terminal, JSON, dashboard) can observe about a check. */
export type CheckEvent =
  | { type: 'check:start'; gates: Array<{ name: string; tier: number }> }
  | { type: 'gate:start'; name: string }
  | { type: 'gate:finish'; result: GateResult }
  | { type: 'check:finish'; result: CheckResult };

export type CheckEventListener = (event: CheckEvent) => void;
