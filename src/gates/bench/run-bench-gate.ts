import type { GateConfig } from '../../config/schema.ts';
import type { GateResult } from '../gate-results.ts';
import type { GateRunContext } from '../run-gate.ts';

/** Run a bench gate: k runs interleaved with the baseline, metrics, noise model, goals. STUB */
export async function runBenchGate(name: string, gate: GateConfig, context: GateRunContext): Promise<GateResult> {
  throw new Error(`bench gates are not implemented yet (${name}, ${gate.kind}, ${context.root})`);
}
