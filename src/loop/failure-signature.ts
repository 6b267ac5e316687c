import { createHash } from 'node:crypto';
import type { CheckResult } from '../gates/gate-results.ts';
import { isGatePass } from '../gates/gate-results.ts';

/**
 * A short, stable digest of what failed: gate names with their failing tests and places, without
 * durations or timestamps. Equal signatures mean the agent's attempt changed nothing the checks see.
 */
export function failureSignature(check: CheckResult): string | undefined {
  const failing = check.gates
    .filter((gate) => gate.blocking && !isGatePass(gate.status))
    .map((gate) => ({
      gate: gate.name,
      status: gate.status,
      failures: gate.failures
        .map(
          (failure) =>
            `${failure.test ?? ''}|${failure.file ?? ''}:${failure.line ?? ''}|${normalize(failure.message)}`,
        )
        .sort(),
      tail: gate.failures.length === 0 ? (gate.outputTail ?? []).map(normalize) : [],
    }))
    .sort((a, b) => a.gate.localeCompare(b.gate));
  if (failing.length === 0) return undefined;
  return createHash('sha256').update(JSON.stringify(failing)).digest('hex').slice(0, 16);
}

/** Drop what changes between identical failures: durations, addresses, temp paths. */
function normalize(text: string): string {
  return text
    .replace(/\b\d+(\.\d+)?\s?(ms|s)\b/g, '#')
    .replace(/0x[0-9a-f]+/gi, '0x#')
    .replace(/\/tmp\/[^\s/]+/g, '/tmp/#');
}
