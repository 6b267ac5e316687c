import type { Kysely, Transaction } from 'kysely';
import type { MetricResult } from '../gates/bench/bench-types.ts';
import type { GateResult } from '../gates/gate-results.ts';
import { newRunId } from './run-id.ts';
import type { StoreDatabase } from './schema.ts';

type Write = <T>(doing: string, work: (trx: Transaction<StoreDatabase>, at: string) => Promise<T>) => Promise<T>;
type Read = <T>(doing: string, work: (db: Kysely<StoreDatabase>) => Promise<T>) => Promise<T>;

/** Where a measurement was taken: a run's iteration, or a plain check. */
export interface BenchOrigin {
  runId?: string;
  iteration?: number;
  commit?: string;
}

/** One stored measurement of one metric. */
export interface BenchRecord extends BenchOrigin {
  id: string;
  recordedAt: string;
  gate: string;
  result: MetricResult;
}

export interface BenchQuery {
  gate?: string;
  metric?: string;
  runId?: string;
  /** The newest this many per metric (default: all). */
  limit?: number;
}

/** Bench results by gate and metric, oldest first: the trend of each metric. */
export class BenchStore {
  readonly #write: Write;
  readonly #read: Read;

  constructor(write: Write, read: Read) {
    this.#write = write;
    this.#read = read;
  }

  /** Record the metrics of every bench gate of a check that measured something; returns how many. */
  async record(gates: GateResult[], origin: BenchOrigin = {}): Promise<number> {
    if (!gates.some((gate) => (gate.bench?.metrics ?? []).length > 0)) return 0;
    return this.#write('record bench results', (trx, at) => writeBenchResults(trx, at, gates, origin));
  }

  /** Measurements oldest first, filtered; `limit` keeps the newest of each gate and metric. */
  async list(query: BenchQuery = {}): Promise<BenchRecord[]> {
    const rows = await this.#read('read bench results', (db) =>
      db
        .selectFrom('bench_results')
        .selectAll()
        .$if(query.gate !== undefined, (qb) => qb.where('gate', '=', query.gate ?? ''))
        .$if(query.metric !== undefined, (qb) => qb.where('metric', '=', query.metric ?? ''))
        .$if(query.runId !== undefined, (qb) => qb.where('run_id', '=', query.runId ?? ''))
        .orderBy('recorded_at')
        .orderBy('id')
        .execute(),
    );
    const records = rows.map(
      (row): BenchRecord => ({
        id: row.id,
        recordedAt: row.recorded_at,
        gate: row.gate,
        result: JSON.parse(row.result_json) as MetricResult,
        ...(row.run_id ? { runId: row.run_id } : {}),
        ...(row.iteration !== null ? { iteration: Number(row.iteration) } : {}),
        ...(row.commit_sha ? { commit: row.commit_sha } : {}),
      }),
    );
    return query.limit === undefined ? records : newestPerMetric(records, query.limit);
  }
}

function newestPerMetric(records: BenchRecord[], limit: number): BenchRecord[] {
  const seen = new Map<string, number>();
  const kept: BenchRecord[] = [];
  for (const record of [...records].reverse()) {
    const key = `${record.gate}\u0000${record.result.metric}`;
    const count = seen.get(key) ?? 0;
    if (count >= limit) continue;
    seen.set(key, count + 1);
    kept.push(record);
  }
  return kept.reverse();
}

/** Insert the metrics of every bench gate that measured something, inside the caller's transaction; returns how many. */
export async function writeBenchResults(
  trx: Transaction<StoreDatabase>,
  at: string,
  gates: GateResult[],
  origin: BenchOrigin = {},
): Promise<number> {
  const rows = gates.flatMap((gate) => (gate.bench?.metrics ?? []).map((metric) => ({ gate: gate.name, metric })));
  if (rows.length === 0) return 0;
  const batch = newRunId();
  await trx
    .insertInto('bench_results')
    .values(
      rows.map(({ gate, metric }, index) => ({
        id: `b-${batch}-${String(index).padStart(4, '0')}`,
        recorded_at: at,
        gate,
        metric: metric.metric,
        run_id: origin.runId ?? null,
        iteration: origin.iteration ?? null,
        commit_sha: origin.commit ?? null,
        median: metric.median,
        change: metric.change ?? null,
        result_json: JSON.stringify(metric),
      })),
    )
    .execute();
  return rows.length;
}
