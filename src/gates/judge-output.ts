import type { GateConfig } from '../config/schema.ts';
import type { GateResult } from './gate-results.ts';
import type { InvariantCheck } from './invariant/check-invariant.ts';
import type { LogCheck } from './log/check-log-lines.ts';
import type { ServiceSet } from './services/service-set.ts';

export interface JudgeInput {
  cwd: string;
  /** The gate command's output. */
  logFile: string;
  services?: ServiceSet;
}

const maxNamedLength = 60;

/**
 * A command that passed is judged further by the gate's `invariant` and `log` blocks; their
 * failures fail the gate with the values and lines that broke them.
 */
export async function judgeOutput(result: GateResult, gate: GateConfig, input: JudgeInput): Promise<GateResult> {
  if (result.status !== 'passed' || (!gate.invariant && !gate.log)) return result;
  const failures = [...result.failures];
  const problems = [...result.problems];
  const reasons: string[] = [];
  if (gate.invariant) {
    const { checkInvariant } = await import('./invariant/check-invariant.ts');
    const judged = await checkInvariant(gate.invariant, { logFile: input.logFile, cwd: input.cwd });
    failures.push(...judged.failures);
    problems.push(...judged.problems);
    if (judged.failures.length > 0) reasons.push(invariantReason(judged));
  }
  if (gate.log) {
    const service = gate.log.of;
    const file = service && input.services ? input.services.logPath(service) : input.logFile;
    const label = service ? `the log of service "${service}"` : 'the output';
    const { checkLog } = await import('./log/check-log-lines.ts');
    const judged = await checkLog(gate.log, file, label);
    failures.push(...judged.failures);
    if (judged.failures.length > 0) reasons.push(logReason(judged, label));
  }
  return reasons.length > 0 ? { ...result, status: 'failed', reason: reasons.join('; '), failures, problems } : result;
}

/** `invariant broken: bytes add up`, `2 invariants broken: …`, `invariant not checked: no JSON in the output`. */
function invariantReason(judged: InvariantCheck): string {
  if (judged.unchecked) return `invariant not checked: ${judged.unchecked}`;
  const names = judged.broken.map((name) =>
    name.length <= maxNamedLength ? name : `${name.slice(0, maxNamedLength - 1)}…`,
  );
  return names.length === 1
    ? `invariant broken: ${names[0]}`
    : `${names.length} invariants broken: ${names.join('; ')}`;
}

/** `1 line missing, 2 forbidden lines in the output` (the header goes on with `log: <path>`). */
function logReason(judged: LogCheck, label: string): string {
  if (judged.unreadable) return judged.unreadable;
  const parts = [
    judged.missing > 0 ? `${judged.missing} ${judged.missing === 1 ? 'line' : 'lines'} missing` : '',
    judged.forbiddenLines > 0
      ? `${judged.forbiddenLines} forbidden ${judged.forbiddenLines === 1 ? 'line' : 'lines'}`
      : '',
    judged.invalidPatterns > 0
      ? `${judged.invalidPatterns} invalid ${judged.invalidPatterns === 1 ? 'pattern' : 'patterns'}`
      : '',
  ];
  return `${parts.filter(Boolean).join(', ')} in ${label}`;
}
