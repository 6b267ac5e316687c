import { SluiceError } from '../errors.ts';

export const storeErrorCodes = {
  openFailed: 'STORE_OPEN_FAILED',
  runNotFound: 'STORE_RUN_NOT_FOUND',
  runExists: 'STORE_RUN_EXISTS',
  runFinished: 'STORE_RUN_FINISHED',
  iterationNotFound: 'STORE_ITERATION_NOT_FOUND',
  iterationFinished: 'STORE_ITERATION_FINISHED',
  reviewNotWaiting: 'STORE_REVIEW_NOT_WAITING',
  runNotDone: 'STORE_RUN_NOT_DONE',
  busy: 'STORE_BUSY',
  closed: 'STORE_CLOSED',
  failed: 'STORE_FAILED',
} as const;
export type StoreErrorCode = (typeof storeErrorCodes)[keyof typeof storeErrorCodes];

/** The run store refused a transition, or the database failed; nothing of the transaction was written. */
export class StoreError extends SluiceError {
  declare readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Wrap a database driver's error (busy, I/O, constraint) as a StoreError; StoreErrors pass through. */
export function toStoreError(error: unknown, doing: string): StoreError {
  if (error instanceof StoreError) return error;
  const sqliteCode = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : '';
  const detail = error instanceof Error ? error.message : String(error);
  if (sqliteCode.startsWith('SQLITE_BUSY')) {
    return new StoreError(storeErrorCodes.busy, `${doing}: the database stayed locked by another process (${detail})`, {
      cause: error,
    });
  }
  return new StoreError(storeErrorCodes.failed, `${doing}: ${detail}`, { cause: error });
}
