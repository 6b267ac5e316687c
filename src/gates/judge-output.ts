import type { GateConfig } from '../config/schema.ts';
import type { GateResult } from './gate-results.ts';
import { checkInvariant } from './invariant/check-invariant.ts';
import { checkLogLines } from './log/check-log-lines.ts';
import type { ServiceSet } from './services/service-set.ts';

export interface JudgeInput {
  cwd: string;
  /** The gate command's output. */
  logFile: string;
  services?: ServiceSet;
}

/**
 * A command that passed is judged further by the gate's `invariant` and `log` blocks; their
 * failures fail the gate with the values and lines that broke them.
 */
export async function judgeOutput(result: GateResult, gate: GateConfig, input: JudgeInput): Promise<GateResult> {
  if (result.status !== 'passed' || (!gate.invariant && !gate.log)) return result;
  const failures = [...result.failures];
  const problems = [...result.problems];
  if (gate.invariant) {
    const judged = await checkInvariant(gate.invariant, { logFile: input.logFile, cwd: input.cwd });
    failures.push(...judged.failures);
    problems.push(...judged.problems);
  }
  if (gate.log) {
    const service = gate.log.of;
    const file = service && input.services ? input.services.logPath(service) : input.logFile;
    failures.push(...(await checkLogLines(gate.log, file, service ? `the log of service "${service}"` : 'the output')));
  }
  const broken = failures.length > result.failures.length || problems.length > result.problems.length;
  return broken
    ? { ...result, status: 'failed', reason: failureReason(gate, failures.length), failures, problems }
    : result;
}

function failureReason(gate: GateConfig, count: number): string {
  const what = gate.invariant ? 'invariant' : 'log';
  return `${count} ${what} ${count === 1 ? 'check' : 'checks'} failed`;
}
