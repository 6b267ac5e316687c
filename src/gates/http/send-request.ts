import { monotonicNow } from '../../clock.ts';
import type { HttpRequestConfig } from '../../config/e2e-schema.ts';

/** What came back from one request, with the body read as text. */
export interface HttpResponse {
  status: number;
  statusText: string;
  headers: Headers;
  body: string;
  durationMs: number;
}

export type SendOutcome =
  | { status: 'responded'; response: HttpResponse }
  /** No response at all: refused, unknown host, reset; `problem` says which in a few words. */
  | { status: 'unreachable'; problem: string; durationMs: number }
  | { status: 'timed-out'; durationMs: number }
  | { status: 'cancelled'; durationMs: number };

export interface SendOptions {
  /** Give up after this long (the time left of the gate's timeout). */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Make one request with fetch; never throws: a connection problem, a timeout or a cancel is an outcome. */
export async function sendRequest(request: HttpRequestConfig, options: SendOptions): Promise<SendOutcome> {
  const started = monotonicNow();
  const elapsed = () => Math.round(monotonicNow() - started);
  const timeout = AbortSignal.timeout(Math.max(1, Math.ceil(options.timeoutMs)));
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const { body, headers } = encodeBody(request);
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers,
      ...(body === undefined ? {} : { body }),
      // A check that expects a 3xx wants to see the redirect itself, not where it leads.
      redirect: expectsRedirect(request) ? 'manual' : 'follow',
      signal,
    });
    const text = await response.text();
    return {
      status: 'responded',
      response: {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        body: text,
        durationMs: elapsed(),
      },
    };
  } catch (error) {
    if (options.signal?.aborted) return { status: 'cancelled', durationMs: elapsed() };
    if (timeout.aborted) return { status: 'timed-out', durationMs: elapsed() };
    return { status: 'unreachable', problem: describeNetworkError(error), durationMs: elapsed() };
  }
}

/** An object or array body is sent as JSON (with its content type, unless the request sets one). */
function encodeBody(request: HttpRequestConfig): { body: string | undefined; headers: Record<string, string> } {
  const headers = { ...request.headers };
  if (request.body === undefined || typeof request.body === 'string') return { body: request.body, headers };
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  return { body: JSON.stringify(request.body), headers };
}

function expectsRedirect(request: HttpRequestConfig): boolean {
  const statuses = [request.expect.status].flat();
  return statuses.some((status) => status >= 300 && status < 400);
}

const networkProblems: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server',
  UND_ERR_SOCKET: 'connection closed by the server',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

/** fetch says "fetch failed"; the reason is in its cause (an errno code, or an AggregateError of them). */
export function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const causes = cause instanceof AggregateError ? [...cause.errors, cause] : [cause];
  for (const candidate of causes) {
    const code = (candidate as { code?: unknown }).code;
    if (typeof code === 'string' && networkProblems[code]) return networkProblems[code];
  }
  const message = (cause as { message?: unknown }).message;
  return typeof message === 'string' && message !== '' ? message : String(cause);
}
