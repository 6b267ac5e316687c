// The writes of a run's own row, each run inside the store's transaction for it.
import type { Transaction } from 'kysely';
import { newRunId } from './run-id.ts';
import { type FinishedRunStatus, type NewRun, type RunRecord, storeEventTypes } from './run-records.ts';
import { appendEventRow, touchRun, touchRunningRun } from './run-transitions.ts';
import type { RunsTable, StoreDatabase } from './schema.ts';
import { StoreError, storeErrorCodes } from './store-error.ts';
import { toRunRecord } from './store-rows.ts';

type StoreTransaction = Transaction<StoreDatabase>;

async function runExists(trx: StoreTransaction, id: string): Promise<boolean> {
  return (await trx.selectFrom('runs').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** A fresh run id no run has; two runs created in the same second almost never draw the same suffix. */
async function unusedRunId(trx: StoreTransaction, now: Date): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const id = newRunId(now);
    if (!(await runExists(trx, id))) return id;
  }
  throw new StoreError(storeErrorCodes.runExists, 'found no unused run id in 20 attempts');
}

/** Insert a run as `running`. */
export async function writeNewRun(trx: StoreTransaction, at: string, run: NewRun): Promise<RunRecord> {
  const id = run.id ?? (await unusedRunId(trx, new Date(at)));
  if (run.id !== undefined && (await runExists(trx, id))) {
    throw new StoreError(storeErrorCodes.runExists, `run ${id} already exists`);
  }
  const row: RunsTable = {
    id,
    goal: run.goal,
    agent: run.agent,
    model: run.model ?? null,
    repo_root: run.repoRoot,
    base_ref: run.baseRef,
    base_commit: run.baseCommit,
    branch: run.branch,
    worktree_path: run.worktreePath,
    status: 'running',
    reason: null,
    options_json: JSON.stringify(run.options),
    pid: run.pid ?? null,
    created_at: at,
    updated_at: at,
    finished_at: null,
  };
  await trx.insertInto('runs').values(row).execute();
  await appendEventRow(trx, id, storeEventTypes.runCreate, { agent: run.agent, branch: run.branch }, at);
  return toRunRecord(row);
}

/** Set the process that drives a running run. */
export async function writeRunPid(trx: StoreTransaction, at: string, runId: string, pid: number): Promise<void> {
  const run = await touchRunningRun(trx, runId, at);
  await trx.updateTable('runs').set({ pid }).where('id', '=', runId).execute();
  await appendEventRow(trx, runId, storeEventTypes.runPidSet, { pid, previousPid: run.pid }, at);
}

/** Move a running run to where it ends. */
export async function writeRunEnd(
  trx: StoreTransaction,
  at: string,
  runId: string,
  end: { status: FinishedRunStatus; reason?: string },
): Promise<RunRecord> {
  await touchRunningRun(trx, runId, at);
  const row = await trx
    .updateTable('runs')
    .set({ status: end.status, reason: end.reason ?? null, finished_at: at })
    .where('id', '=', runId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendEventRow(trx, runId, storeEventTypes.runFinish, { status: end.status, reason: end.reason ?? null }, at);
  // A done run owes a review item; owed in the verdict's own transaction, so no kill can lose it.
  if (end.status === 'done') {
    await trx
      .insertInto('review_due')
      .values({ run_id: runId, due_at: at })
      .onConflict((conflict) => conflict.column('run_id').doNothing())
      .execute();
  }
  return toRunRecord(row);
}

/** A `done` run back to `running` (a reviewer asked for changes); refused for any other status. */
export async function writeRunReopen(trx: StoreTransaction, at: string, runId: string): Promise<RunRecord> {
  const run = await touchRun(trx, runId, at);
  if (run.status !== 'done') {
    throw new StoreError(storeErrorCodes.runNotDone, `run ${runId} is ${run.status}; only a done run can take changes`);
  }
  await trx
    .updateTable('runs')
    .set({ status: 'running', reason: null, finished_at: null, updated_at: at })
    .where('id', '=', runId)
    .execute();
  await appendEventRow(trx, runId, 'run:reopened', null, at);
  return toRunRecord({ ...run, status: 'running', reason: null, finished_at: null, updated_at: at });
}

/** Measure a run from another base commit (its branch was rebased onto it); logged with the old one. */
export async function writeRunBase(
  trx: StoreTransaction,
  at: string,
  runId: string,
  baseCommit: string,
  baseRef?: string,
): Promise<void> {
  const run = await touchRun(trx, runId, at);
  await trx
    .updateTable('runs')
    .set({ base_commit: baseCommit, ...(baseRef !== undefined ? { base_ref: baseRef } : {}) })
    .where('id', '=', runId)
    .execute();
  const refs = baseRef !== undefined ? { fromRef: run.base_ref, toRef: baseRef } : {};
  await appendEventRow(trx, runId, 'run:rebased', { from: run.base_commit, to: baseCommit, ...refs }, at);
}
