import type { GateConfig } from '../config/schema.ts';
import type { GateFailures } from './read-gate-failures.ts';

/** Kinds whose reports list warnings their command lets pass (ESLint's JUnit output has a failure per warning). */
const warningKinds = new Set<GateConfig['kind']>(['lint', 'typecheck']);

/**
 * Why a gate whose command exited 0 did not pass after all: the report it names was never written, or it
 * counts failed tests. The exit status is what the code under test controls: it can end the runner with
 * status 0 before the runner writes its report (`os._exit(0)` as the module is imported), or force status 0
 * at exit after the runner wrote the failures (`atexit.register(os._exit, 0)`). The report the config asks
 * for is the runner's own account, and it must agree.
 */
export function reportContradictsExit(
  gate: Pick<GateConfig, 'kind'>,
  read: Pick<GateFailures, 'counts' | 'reportAbsent'>,
  reportName: string,
): string | undefined {
  if (read.reportAbsent) return `it exited 0, but its report ${reportName} was not written: the run ended early`;
  const failed = read.counts?.failed ?? 0;
  if (failed > 0 && !warningKinds.has(gate.kind)) {
    return `it exited 0, but its report ${reportName} counts ${failed} failed ${failed === 1 ? 'test' : 'tests'}`;
  }
  return undefined;
}
