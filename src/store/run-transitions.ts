// The checks every transition goes through, and the log entry each one appends, inside the
// transaction that makes the change.
import type { Selectable, Transaction } from 'kysely';
import type { RunEvent } from './run-records.ts';
import type { IterationsTable, RunsTable, StoreDatabase } from './schema.ts';
import { StoreError, storeErrorCodes } from './store-error.ts';

type StoreTransaction = Transaction<StoreDatabase>;

/**
 * Bump the run's `updated_at` and return the run; throws when it does not exist. Writing the run row
 * first also serializes writers of one run on databases with row locks (PostgreSQL).
 */
export async function touchRun(trx: StoreTransaction, runId: string, at: string): Promise<Selectable<RunsTable>> {
  const run = await trx
    .updateTable('runs')
    .set({ updated_at: at })
    .where('id', '=', runId)
    .returningAll()
    .executeTakeFirst();
  if (!run) throw new StoreError(storeErrorCodes.runNotFound, `run ${runId} does not exist`);
  return run;
}

/** Like `touchRun`, and throws when the run already finished: a finished run takes no more changes. */
export async function touchRunningRun(
  trx: StoreTransaction,
  runId: string,
  at: string,
): Promise<Selectable<RunsTable>> {
  const run = await touchRun(trx, runId, at);
  if (run.status !== 'running') {
    throw new StoreError(
      storeErrorCodes.runFinished,
      `run ${runId} already finished as ${run.status}${run.reason ? ` (${run.reason})` : ''}`,
    );
  }
  return run;
}

/** The iteration, or a StoreError when it does not exist. */
export async function findIteration(
  trx: StoreTransaction,
  runId: string,
  number: number,
): Promise<Selectable<IterationsTable>> {
  const iteration = await trx
    .selectFrom('iterations')
    .selectAll()
    .where('run_id', '=', runId)
    .where('number', '=', number)
    .executeTakeFirst();
  if (!iteration) {
    throw new StoreError(storeErrorCodes.iterationNotFound, `run ${runId} has no iteration ${number}`);
  }
  return iteration;
}

/** Throws when the iteration already finished: its outcome is written once. */
export function assertIterationRunning(iteration: Selectable<IterationsTable>): void {
  if (iteration.status !== 'running') {
    throw new StoreError(
      storeErrorCodes.iterationFinished,
      `iteration ${iteration.number} of run ${iteration.run_id} already finished`,
    );
  }
}

/** The next sequence number of a per-run ordered table (the write lock makes max + 1 safe). */
export async function nextSeq(trx: StoreTransaction, table: 'run_events' | 'usage', runId: string): Promise<number> {
  const row = await trx
    .selectFrom(table)
    .select((eb) => eb.fn.max('seq').as('last'))
    .where('run_id', '=', runId)
    .executeTakeFirst();
  return (row?.last ?? 0) + 1;
}

/** Append an entry to the run's log. */
export async function appendEventRow(
  trx: StoreTransaction,
  runId: string,
  type: string,
  payload: unknown,
  at: string,
): Promise<RunEvent> {
  const seq = await nextSeq(trx, 'run_events', runId);
  const payloadJson = JSON.stringify(payload ?? null) ?? 'null';
  await trx.insertInto('run_events').values({ run_id: runId, seq, type, at, payload_json: payloadJson }).execute();
  // What a reader will get back: the payload after its JSON round trip.
  return { runId, seq, type, at, payload: JSON.parse(payloadJson) };
}
