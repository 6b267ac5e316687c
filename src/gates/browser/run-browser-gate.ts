import type { GateConfig } from '../../config/schema.ts';
import type { GateResult } from '../gate-results.ts';
import type { GateRunContext } from '../run-gate.ts';

/** Run the gate's Playwright script against Chromium; a failure names its step and a screenshot. STUB */
export async function runBrowserGate(name: string, gate: GateConfig, context: GateRunContext): Promise<GateResult> {
  throw new Error(`browser gates are not implemented yet (${name}, ${gate.kind}, ${context.root})`);
}
