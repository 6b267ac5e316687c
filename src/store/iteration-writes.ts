// The writes of one iteration, each run inside the store's transaction for it.
import type { Transaction } from 'kysely';
import { type GateResult, isGatePass } from '../gates/gate-results.ts';
import type { ModelUsage } from '../usage/model-usage.ts';
import { type IterationOutcome, type IterationRecord, type IterationStart, storeEventTypes } from './run-records.ts';
import {
  appendEventRow,
  assertIterationRunning,
  findIteration,
  nextSeq,
  touchRun,
  touchRunningRun,
} from './run-transitions.ts';
import type { StoreDatabase } from './schema.ts';
import { toGateResultRow, toIterationRecord, toUsageRow } from './store-rows.ts';

type StoreTransaction = Transaction<StoreDatabase>;

/** Insert iteration `number`, or restart it when it is still running (dropping the lost attempt's gate results). */
export async function writeIterationStart(
  trx: StoreTransaction,
  at: string,
  runId: string,
  number: number,
  start: IterationStart,
): Promise<IterationRecord> {
  await touchRunningRun(trx, runId, at);
  const fields = { prompt_chars: start.promptChars, session_id: start.sessionId ?? null, started_at: at };
  const previous = await trx
    .selectFrom('iterations')
    .selectAll()
    .where('run_id', '=', runId)
    .where('number', '=', number)
    .executeTakeFirst();
  if (!previous) {
    const row = await trx
      .insertInto('iterations')
      .values({ run_id: runId, number, status: 'running', ...fields })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEventRow(trx, runId, storeEventTypes.iterationStart, { number, promptChars: start.promptChars }, at);
    return toIterationRecord(row);
  }
  assertIterationRunning(previous);
  const row = await trx
    .updateTable('iterations')
    .set(fields)
    .where('run_id', '=', runId)
    .where('number', '=', number)
    .returningAll()
    .executeTakeFirstOrThrow();
  await trx.deleteFrom('gate_results').where('run_id', '=', runId).where('iteration', '=', number).execute();
  const payload = { number, promptChars: start.promptChars, previousStartedAt: previous.started_at };
  await appendEventRow(trx, runId, storeEventTypes.iterationRestart, payload, at);
  return toIterationRecord(row);
}

/** Set the outcome of a running iteration and mark it finished. */
export async function writeIterationOutcome(
  trx: StoreTransaction,
  at: string,
  runId: string,
  number: number,
  outcome: IterationOutcome,
): Promise<IterationRecord> {
  await touchRunningRun(trx, runId, at);
  const iteration = await findIteration(trx, runId, number);
  assertIterationRunning(iteration);
  const row = await trx
    .updateTable('iterations')
    .set({
      status: 'finished',
      agent_status: outcome.agentStatus,
      agent_exit_code: outcome.agentExitCode ?? null,
      agent_reason: outcome.agentReason ?? null,
      session_id: outcome.sessionId ?? iteration.session_id,
      commit_sha: outcome.commitSha ?? null,
      files_changed: outcome.filesChanged ?? null,
      insertions: outcome.insertions ?? null,
      deletions: outcome.deletions ?? null,
      check_verdict: outcome.checkVerdict ?? null,
      failure_signature: outcome.failureSignature ?? null,
      feedback: outcome.feedback ?? null,
      finished_at: at,
    })
    .where('run_id', '=', runId)
    .where('number', '=', number)
    .returningAll()
    .executeTakeFirstOrThrow();
  const payload = { number, agentStatus: outcome.agentStatus, checkVerdict: outcome.checkVerdict ?? null };
  await appendEventRow(trx, runId, storeEventTypes.iterationFinish, payload, at);
  return toIterationRecord(row);
}

/** Insert gate results after the iteration's earlier ones, replacing results of the same gates. */
export async function writeGateResults(
  trx: StoreTransaction,
  at: string,
  runId: string,
  iteration: number,
  gates: GateResult[],
): Promise<void> {
  await touchRunningRun(trx, runId, at);
  if (gates.length === 0) return;
  const names = gates.map((gate) => gate.name);
  await trx
    .deleteFrom('gate_results')
    .where('run_id', '=', runId)
    .where('iteration', '=', iteration)
    .where('name', 'in', names)
    .execute();
  const last = await trx
    .selectFrom('gate_results')
    .select((eb) => eb.fn.max('position').as('position'))
    .where('run_id', '=', runId)
    .where('iteration', '=', iteration)
    .executeTakeFirst();
  const first = (last?.position ?? -1) + 1;
  const rows = gates.map((gate, index) => toGateResultRow(runId, iteration, first + index, gate, at));
  await trx.insertInto('gate_results').values(rows).execute();
  const notPassed = gates.filter((gate) => !isGatePass(gate.status)).map((gate) => gate.name);
  await appendEventRow(trx, runId, storeEventTypes.gatesRecord, { iteration, gates: gates.length, notPassed }, at);
}

/**
 * Append usage rows; usage is only ever added, never replaced. Only to a running run, unless `settled`
 * (a reviewer's usage, which comes after the run's verdict).
 */
export async function writeUsage(
  trx: StoreTransaction,
  at: string,
  runId: string,
  iteration: number,
  usage: ModelUsage[],
  options: { settled?: boolean } = {},
): Promise<void> {
  await (options.settled ? touchRun(trx, runId, at) : touchRunningRun(trx, runId, at));
  if (usage.length === 0) return;
  const first = await nextSeq(trx, 'usage', runId);
  const rows = usage.map((model, index) => toUsageRow(runId, iteration, first + index, model, at));
  await trx.insertInto('usage').values(rows).execute();
  const models = usage.map((model) => model.model);
  await appendEventRow(trx, runId, storeEventTypes.usageRecord, { iteration, models }, at);
}
