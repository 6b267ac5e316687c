import type { InvariantConfig } from '../../config/invariant-schema.ts';
import type { Failure } from '../reports/report-types.ts';

export interface InvariantInput {
  /** The gate's output (stdout and stderr). */
  logFile: string;
  /** The gate's working directory, for `from`. */
  cwd: string;
}

/** Evaluate each assertion; a broken one becomes a Failure showing the values that broke it. STUB */
export async function checkInvariant(
  config: InvariantConfig,
  input: InvariantInput,
): Promise<{ failures: Failure[]; problems: string[] }> {
  throw new Error(`invariants are not implemented yet (${config.assert.length}, ${input.logFile})`);
}
