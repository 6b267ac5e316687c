import type { GateConfig, GateKind } from '../config/schema.ts';
import type { BenchResult } from './bench/bench-types.ts';
import type { Failure, TestCounts } from './reports/report-types.ts';

export const gateStatuses = ['passed', 'failed', 'timed-out', 'skipped', 'cached'] as const;
export type GateStatus = (typeof gateStatuses)[number];

/** The outcome of one gate in one check. */
export interface GateResult {
  name: string;
  kind: GateKind;
  tier: number;
  blocking: boolean;
  status: GateStatus;
  durationMs: number;
  /** Exit code of the command, when it exited by itself. */
  exitCode?: number;
  /** Why it was skipped, timed out or could not start; absent for plain passes and failures. */
  reason?: string;
  /** Full output, relative to the config folder. */
  logPath?: string;
  failures: Failure[];
  counts?: TestCounts;
  /** Last lines of the output of a failed gate whose failures could not be parsed. */
  outputTail?: string[];
  /** What the report parser could not read. */
  problems: string[];
  /** A bench gate's metrics, baseline and verdicts. */
  bench?: BenchResult;
  /** Screenshot a failed browser gate saved, relative to the config folder. */
  screenshotPath?: string;
}

export type CheckVerdict = 'passed' | 'failed';

export interface CheckResult {
  verdict: CheckVerdict;
  gates: GateResult[];
  durationMs: number;
  cancelled: boolean;
}

/** Passed or answered from the cache of a pass. */
export function isGatePass(status: GateStatus): boolean {
  return status === 'passed' || status === 'cached';
}

/** A blocking gate that did not pass fails the check. */
export function checkVerdict(gates: GateResult[]): CheckVerdict {
  return gates.some((gate) => gate.blocking && !isGatePass(gate.status)) ? 'failed' : 'passed';
}

/** The fields every result of a gate shares. */
export function describeGate(name: string, gate: Pick<GateConfig, 'kind' | 'tier' | 'blocking'>) {
  return { name, kind: gate.kind, tier: gate.tier, blocking: gate.blocking };
}
