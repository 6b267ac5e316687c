import type { CheckResult } from '../../gates/gate-results.ts';

/** The `--json` shape: snake_case, stable, every gate with its status and parsed failures. */
export function checkResultToJson(result: CheckResult, feedback?: string) {
  return {
    verdict: result.verdict,
    cancelled: result.cancelled,
    duration_ms: result.durationMs,
    gates: result.gates.map((gate) => ({
      name: gate.name,
      kind: gate.kind,
      tier: gate.tier,
      blocking: gate.blocking,
      status: gate.status,
      duration_ms: gate.durationMs,
      exit_code: gate.exitCode ?? null,
      reason: gate.reason ?? null,
      log: gate.logPath ?? null,
      counts: gate.counts ?? null,
      failures: gate.failures.map((failure) => ({
        test: failure.test ?? null,
        message: failure.message,
        file: failure.file ?? null,
        line: failure.line ?? null,
        ...(failure.expected !== undefined ? { expected: failure.expected } : {}),
        ...(failure.received !== undefined ? { received: failure.received } : {}),
        ...(failure.origin !== undefined ? { origin: failure.origin } : {}),
      })),
      problems: gate.problems,
      ...(gate.screenshotPath ? { screenshot: gate.screenshotPath } : {}),
      ...(gate.bench ? { bench: gate.bench } : {}),
    })),
    ...(feedback !== undefined ? { feedback } : {}),
  };
}
