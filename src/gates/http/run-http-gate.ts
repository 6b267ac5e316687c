import { appendFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { monotonicNow } from '../../clock.ts';
import type { HttpRequestConfig } from '../../config/e2e-schema.ts';
import type { GateConfig } from '../../config/schema.ts';
import { describeGate, type GateResult } from '../gate-results.ts';
import { createRedactor } from '../redact-secrets.ts';
import type { Failure } from '../reports/report-types.ts';
import { checkResponse } from './check-response.ts';
import { formatExchange } from './http-log.ts';
import { sendRequest } from './send-request.ts';

/** What an http gate needs of the check (a GateRunContext fits; importing it would make a cycle with run-gate). */
export interface HttpGateContext {
  /** Folder of sluice.yaml. */
  root: string;
  /** `.sluice/` under the root. */
  sluiceDir: string;
  signal?: AbortSignal;
}

/** Make the gate's requests in order; status, headers and JSON fields mismatches become failures. */
export async function runHttpGate(name: string, gate: GateConfig, context: HttpGateContext): Promise<GateResult> {
  const requests = gate.http ?? [];
  const logFile = join(context.sluiceDir, 'logs', `${name}.log`);
  await writeFile(logFile, '');
  const redact = createRedactor({ ...process.env, ...gate.env });
  const started = monotonicNow();
  const deadline = started + gate.timeout;
  const base = () => ({
    ...describeGate(name, gate),
    durationMs: Math.round(monotonicNow() - started),
    logPath: relative(context.root, logFile),
    problems: [],
  });
  const failures: Failure[] = [];
  let failedRequests = 0;

  for (const [index, request] of requests.entries()) {
    const outcome = await sendRequest(request, {
      timeoutMs: deadline - monotonicNow(),
      ...(context.signal ? { signal: context.signal } : {}),
    });
    const mismatches = outcome.status === 'responded' ? await checkResponse(request.expect, outcome.response) : [];
    await appendFile(logFile, redact(formatExchange(request, outcome, mismatches)));
    const test = requestLabel(request);
    switch (outcome.status) {
      case 'responded':
        if (mismatches.length > 0) failedRequests++;
        for (const mismatch of mismatches) failures.push(redactFailure({ test, ...mismatch }, redact));
        continue;
      case 'unreachable': {
        // Every later request would fail the same way: one clear failure says it all.
        const host = new URL(request.url).host;
        const hint =
          outcome.problem === 'connection refused' ? " — is the service running? (list it in the gate's services)" : '';
        failures.push({ test, message: `${request.method} ${request.url}: ${outcome.problem}${hint}` });
        const notRun = requests.length - index - 1;
        const reason = `cannot reach ${host}: ${outcome.problem}${notRun > 0 ? `; ${notRun} later ${plural(notRun, 'request')} not run` : ''}`;
        return { ...base(), status: 'failed', reason, failures };
      }
      case 'timed-out':
        return {
          ...base(),
          status: 'timed-out',
          reason: `timed out after ${formatSeconds(gate.timeout)} waiting for ${test}`,
          failures,
        };
      case 'cancelled':
        return { ...base(), status: 'skipped', reason: 'cancelled', failures: [] };
    }
  }
  if (failedRequests === 0) return { ...base(), status: 'passed', failures: [] };
  const reason = `${failedRequests} of ${requests.length} ${plural(requests.length, 'request')} failed`;
  return { ...base(), status: 'failed', reason, failures };
}

/** The request's name, or `GET /path?query`. */
export function requestLabel(request: HttpRequestConfig): string {
  if (request.name) return request.name;
  const url = new URL(request.url);
  return `${request.method} ${url.pathname}${url.search}`;
}

function redactFailure(failure: Failure, redact: (text: string) => string): Failure {
  return {
    ...failure,
    message: redact(failure.message),
    ...(failure.expected !== undefined ? { expected: redact(failure.expected) } : {}),
    ...(failure.received !== undefined ? { received: redact(failure.received) } : {}),
  };
}

function plural(count: number, noun: string): string {
  return count === 1 ? noun : `${noun}s`;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
