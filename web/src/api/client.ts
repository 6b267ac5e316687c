import type { ApiError } from '../../../src/server/api-types.ts';

/** A request the server refused or could not answer; `code` is the server's stable code (or NETWORK). */
export class ApiFailure extends Error {
  readonly code: string;
  readonly status: number;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiFailure';
    this.status = status;
    this.code = code;
  }
}

async function answer<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page, say: report the status rather than a parse error.
  }
  if (!response.ok) {
    const error = (body as ApiError | null)?.error;
    throw new ApiFailure(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? response.statusText,
    );
  }
  return body as T;
}

async function send<T>(path: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    // The token travels in the same-origin cookie the server set when the page was opened with ?token=.
    response = await fetch(path, { credentials: 'same-origin', ...init });
  } catch (error) {
    throw new ApiFailure(0, 'NETWORK', `The Sluice server is not answering (${(error as Error).message}).`);
  }
  return answer<T>(response);
}

export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return send<T>(path, { headers: { accept: 'application/json' }, signal: signal ?? null });
}

export function postJson<T>(path: string, body: unknown = {}): Promise<T> {
  return send<T>(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

export function describeFailure(error: unknown): string {
  if (error instanceof ApiFailure) {
    if (error.status === 401)
      return 'This page is read-only: open the address `sluice serve` printed (it carries the token).';
    return error.message || error.code;
  }
  return (error as Error)?.message ?? String(error);
}
