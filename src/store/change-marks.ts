import { type Kysely, sql } from 'kysely';
import type { StoreDatabase } from './schema.ts';

/**
 * A cheap fingerprint of what the store holds, table by table (counts, and sums over the timestamps
 * every write sets, so a write is seen even when the clock of the writer was behind a latest stamp): a watcher (the `sluice serve` event
 * stream) compares two of them to learn what another process changed, without reading the rows.
 */
export interface ChangeMarks {
  runs: string;
  iterations: string;
  tasks: string;
  review: string;
  usage: string;
  bench: string;
  workflows: string;
}

/** One query over the aggregates of every table; each column is a count and a latest timestamp. */
export async function readChangeMarks(db: Kysely<StoreDatabase>): Promise<ChangeMarks> {
  const result = await sql<Record<keyof ChangeMarks, string>>`
    select
      (select count(*) || '/' || coalesce(max(updated_at), '') || '/' || total(julianday(updated_at)) from runs) as runs,
      (select count(*) || '/' || coalesce(max(seq), 0) || '/' || coalesce(max(at), '') from run_events)
        || '/' || (select count(*) || '/' || total(julianday(coalesce(finished_at, started_at))) from iterations) as iterations,
      (select count(*) || '/' || coalesce(max(updated_at), '') || '/' || coalesce(sum(length(coalesce(wait_reason, ''))), 0) from tasks) as tasks,
      (select count(*) || '/' || coalesce(max(created_at), '') || '/' || coalesce(max(decided_at), '') || '/' || coalesce(sum(active_ms), 0) from review_items) as review,
      (select count(*) || '/' || coalesce(max(recorded_at), '') from usage) as usage,
      (select count(*) || '/' || coalesce(max(recorded_at), '') from bench_results) as bench,
      (select count(*) || '/' || total(julianday(updated_at)) from workflow_runs)
        || '/' || (select count(*) || '/' || total(julianday(updated_at)) from workflow_steps) as workflows
  `.execute(db);
  const row = result.rows[0];
  return {
    runs: String(row?.runs ?? ''),
    iterations: String(row?.iterations ?? ''),
    tasks: String(row?.tasks ?? ''),
    review: String(row?.review ?? ''),
    usage: String(row?.usage ?? ''),
    bench: String(row?.bench ?? ''),
    workflows: String(row?.workflows ?? ''),
  };
}

/** Each run's last write time: a watcher compares two of these to learn which runs changed, whatever the clocks. */
export async function readRunStamps(db: Kysely<StoreDatabase>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('runs').select(['id', 'updated_at']).execute();
  return new Map(rows.map((row) => [row.id, row.updated_at]));
}

/** Ids of the runs whose record changed at or after `since` (ISO time): each store write touches it. */
export async function runsChangedSince(db: Kysely<StoreDatabase>, since: string): Promise<string[]> {
  const rows = await db.selectFrom('runs').select('id').where('updated_at', '>=', since).execute();
  return rows.map((row) => row.id);
}

/** Per run: how many iterations it started and the check verdict of its latest one. */
export interface RunIterationStats {
  iterations: number;
  lastVerdict: 'passed' | 'failed' | null;
}

/** Iteration stats of the given runs (or every run) in one query (the runs list shows them for hundreds of runs). */
export async function readRunIterationStats(
  db: Kysely<StoreDatabase>,
  runIds?: readonly string[],
): Promise<Map<string, RunIterationStats>> {
  if (runIds?.length === 0) return new Map();
  const only = runIds ? sql`where run_id in (${sql.join(runIds.map((id) => sql`${id}`))})` : sql``;
  const result = await sql<{ run_id: string; iterations: number; last_verdict: string | null }>`
    select i.run_id as run_id, counts.n as iterations, i.check_verdict as last_verdict
    from iterations i
    join (select run_id, count(*) as n, max(number) as last from iterations ${only} group by run_id) counts
      on counts.run_id = i.run_id and counts.last = i.number
  `.execute(db);
  return new Map(
    result.rows.map((row) => [
      row.run_id,
      {
        iterations: Number(row.iterations),
        lastVerdict: row.last_verdict === 'passed' || row.last_verdict === 'failed' ? row.last_verdict : null,
      },
    ]),
  );
}

/** How many runs ended at or after `since` (ISO time), by final status. */
export async function countRunsEndedSince(db: Kysely<StoreDatabase>, since: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('runs')
    .select((eb) => ['status', eb.fn.countAll<number>().as('count')])
    .where('finished_at', '>=', since)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}
