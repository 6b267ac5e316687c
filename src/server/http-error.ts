import { SluiceError } from '../errors.ts';
import { StoreError, storeErrorCodes } from '../store/store-error.ts';
import type { ApiError } from './api-types.ts';

export type HttpErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 500;

/** A refusal the API answers with its status and a stable code; never a stack trace. */
export class HttpError extends Error {
  readonly status: HttpErrorStatus;
  readonly code: string;

  constructor(status: HttpErrorStatus, code: string, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
  }
}

const conflicts = new Set<string>([
  storeErrorCodes.reviewNotWaiting,
  storeErrorCodes.runFinished,
  storeErrorCodes.runNotDone,
  storeErrorCodes.busy,
]);

/** The status and body an error is answered with; `internal` when it is a bug worth logging. */
export function errorResponse(error: unknown): { status: HttpErrorStatus; body: ApiError; internal: boolean } {
  const answer = (status: HttpErrorStatus, code: string, message: string, internal = false) => ({
    status,
    body: { error: { code, message } },
    internal,
  });
  if (error instanceof HttpError) return answer(error.status, error.code, error.message);
  if (error instanceof StoreError) {
    if (conflicts.has(error.code)) return answer(409, 'CONFLICT', error.message);
    if (error.code === storeErrorCodes.runNotFound) return answer(404, 'NOT_FOUND', error.message);
    return answer(500, 'STORE', error.message, true);
  }
  if (error instanceof SluiceError) {
    if (error.code === 'RUN_NOT_FOUND') return answer(404, 'NOT_FOUND', error.message);
    // Refusals of the review and queue functions (nothing waiting, ambiguous id, wrong state).
    if (error.code === 'USAGE' || error.code === 'RUN_BUSY') return answer(409, 'CONFLICT', error.message);
    return answer(409, error.code, error.message);
  }
  return answer(500, 'INTERNAL', 'internal error in sluice serve; its terminal has the details', true);
}
