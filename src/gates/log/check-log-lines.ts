import type { LogAssertions } from '../../config/log-schema.ts';
import type { Failure } from '../reports/report-types.ts';

/** Lines that must appear and must not: a Failure per missing `must` and per matching `must_not`. STUB */
export async function checkLogLines(config: LogAssertions, logFile: string, label: string): Promise<Failure[]> {
  throw new Error(`log gates are not implemented yet (${config.must.length}, ${logFile}, ${label})`);
}
