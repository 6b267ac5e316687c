import type { GateConfig } from '../../config/schema.ts';
import type { GateResult } from '../gate-results.ts';
import type { GateRunContext } from '../run-gate.ts';

/** Make the gate's requests in order; status, headers and JSON fields mismatches become failures. STUB */
export async function runHttpGate(name: string, gate: GateConfig, context: GateRunContext): Promise<GateResult> {
  throw new Error(`http gates are not implemented yet (${name}, ${gate.kind}, ${context.root})`);
}
