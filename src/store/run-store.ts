import type { Kysely, Transaction } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { GateResult } from '../gates/gate-results.ts';
import type { ModelUsage } from '../usage/model-usage.ts';
import { type BenchOrigin, BenchStore, writeBenchResults } from './bench-store.ts';
import {
  type ChangeMarks,
  countRunsEndedSince,
  type RunIterationStats,
  readChangeMarks,
  readRunIterationStats,
  readRunStamps,
  runsChangedSince,
} from './change-marks.ts';
import { writeGateResults, writeIterationOutcome, writeIterationStart, writeUsage } from './iteration-writes.ts';
import { storeMigrationProvider } from './migrations.ts';
import { withProcessWriteLock } from './process-write-lock.ts';
import { QueueStore } from './queue-store.ts';
import type {
  FinishedRunStatus,
  IterationOutcome,
  IterationRecord,
  IterationStart,
  NewRun,
  RecordedGateResult,
  RunEvent,
  RunRecord,
  RunStatus,
  UsageTotal,
  UsageTotalsQuery,
} from './run-records.ts';
import { appendEventRow, touchRun } from './run-transitions.ts';
import { writeNewRun, writeRunBase, writeRunEnd, writeRunPid, writeRunReopen } from './run-writes.ts';
import type { StoreDatabase } from './schema.ts';
import { databaseFilePath, openSqliteKysely } from './sqlite-dialect.ts';
import { StoreError, storeErrorCodes, toStoreError } from './store-error.ts';
import { toIterationRecord, toRecordedGateResult, toRunEvent, toRunRecord } from './store-rows.ts';
import { sumUsage, sumUsageByIteration, totalAsModelUsage } from './usage-totals.ts';
import { WorkflowStore } from './workflow-store.ts';

export interface RunStoreOptions {
  /** The clock for timestamps (tests pin it). */
  now?: () => Date;
}

export { runStorePath } from './store-paths.ts';

type Work<T> = (trx: Transaction<StoreDatabase>, at: string) => Promise<T>;

/** What an iteration's end writes with its outcome, in one transaction (see `RunStore.finishIteration`). */
export interface IterationEndWrites {
  /** Appended to the run's log, in this order. */
  events?: ReadonlyArray<{ type: string; payload: unknown }>;
  gates?: GateResult[];
  /** Where the bench metrics of `gates` were measured; without it they are not recorded. */
  bench?: BenchOrigin;
}

/**
 * The durable record of runs, iterations, gate results, usage and events. Every method that changes
 * something is one transaction, committed before the promise resolves.
 */
export class RunStore {
  /** The database file. */
  readonly path: string;
  readonly #db: Kysely<StoreDatabase>;
  readonly #now: () => Date;
  #closed = false;
  /** Tasks and review items, in the same database and under the same write lock. */
  readonly queue: QueueStore;
  /** Bench measurements per gate and metric, in the same database. */
  readonly bench: BenchStore;
  /** Workflow runs and their steps, in the same database. */
  readonly workflows: WorkflowStore;

  private constructor(path: string, db: Kysely<StoreDatabase>, now: () => Date) {
    this.path = path;
    this.#db = db;
    this.#now = now;
    this.queue = new QueueStore(
      (doing, work) => this.#write(doing, work),
      (doing, work) => this.#read(doing, work),
    );
    this.bench = new BenchStore(
      (doing, work) => this.#write(doing, work),
      (doing, work) => this.#read(doing, work),
    );
    this.workflows = new WorkflowStore(
      (doing, work) => this.#write(doing, work),
      (doing, work) => this.#read(doing, work),
    );
  }

  /** Open (or create) the SQLite store at `path` and bring its schema up to date. */
  static async open(path: string, options: RunStoreOptions = {}): Promise<RunStore> {
    const file = databaseFilePath(path);
    return withProcessWriteLock(file, async () => {
      let db: Kysely<StoreDatabase> | undefined;
      try {
        db = openSqliteKysely(file);
        const { error } = await new Migrator({ db, provider: storeMigrationProvider }).migrateToLatest();
        if (error) throw error;
      } catch (error) {
        await db?.destroy();
        const detail = error instanceof Error ? error.message : String(error);
        throw new StoreError(storeErrorCodes.openFailed, `cannot open the run store ${file}: ${detail}`, {
          cause: error,
        });
      }
      return new RunStore(file, db, options.now ?? (() => new Date()));
    });
  }

  /** Record a new run as `running`; it gets a fresh `newRunId()` unless it names its id. */
  async createRun(run: NewRun): Promise<RunRecord> {
    return this.#write('create a run', (trx, at) => writeNewRun(trx, at, run));
  }

  /** The run, or undefined when there is none with this id. */
  async getRun(id: string): Promise<RunRecord | undefined> {
    const row = await this.#read('read a run', (db) =>
      db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst(),
    );
    return row && toRunRecord(row);
  }

  /** Runs, newest first. */
  async listRuns(filter: { status?: RunStatus; limit?: number } = {}): Promise<RunRecord[]> {
    const rows = await this.#read('list runs', (db) =>
      db
        .selectFrom('runs')
        .selectAll()
        .$if(filter.status !== undefined, (qb) => qb.where('status', '=', filter.status ?? 'running'))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .$if(filter.limit !== undefined, (qb) => qb.limit(filter.limit ?? 0))
        .execute(),
    );
    return rows.map(toRunRecord);
  }

  /** Record which process drives the run now (a resume takes it over). */
  async setRunPid(runId: string, pid: number): Promise<void> {
    await this.#write('set the pid of a run', (trx, at) => writeRunPid(trx, at, runId, pid));
  }

  /**
   * Start iteration `number`. Starting one that is still `running` (its process died) restarts it:
   * its start is recorded anew and the gate results of the lost attempt are dropped; usage is kept.
   */
  async startIteration(runId: string, number: number, start: IterationStart): Promise<IterationRecord> {
    return this.#write('start an iteration', (trx, at) => writeIterationStart(trx, at, runId, number, start));
  }

  /**
   * Record what a running iteration did; an iteration finishes once. `writes` go in the same transaction,
   * before the outcome: events in order, then gate results (and their bench metrics) as `recordGateResults`
   * writes them. One commit per iteration end instead of one per write.
   */
  async finishIteration(
    runId: string,
    number: number,
    outcome: IterationOutcome,
    writes: IterationEndWrites = {},
  ): Promise<IterationRecord> {
    return this.#write('finish an iteration', async (trx, at) => {
      if (writes.events?.length) await touchRun(trx, runId, at);
      for (const event of writes.events ?? []) await appendEventRow(trx, runId, event.type, event.payload, at);
      if (writes.gates) {
        await writeGateResults(trx, at, runId, number, writes.gates);
        if (writes.bench) await writeBenchResults(trx, at, writes.gates, writes.bench);
      }
      return writeIterationOutcome(trx, at, runId, number, outcome);
    });
  }

  /** Record a check's gate results for an iteration; a gate recorded again for it replaces its earlier result. */
  async recordGateResults(runId: string, iteration: number, gates: GateResult[]): Promise<void> {
    await this.#write('record gate results', (trx, at) => writeGateResults(trx, at, runId, iteration, gates));
  }

  /** Record what the models cost in an iteration; usage is only ever added, never replaced. */
  async recordUsage(runId: string, iteration: number, usage: ModelUsage[]): Promise<void> {
    await this.#write('record usage', (trx, at) => writeUsage(trx, at, runId, iteration, usage));
  }

  /**
   * Usage of a reviewer of the run's change (a workflow's review step), recorded as iteration 0 (none of
   * the agent's): it counts in the run's totals and budget, like the writer's turns, at any status.
   */
  async recordReviewerUsage(runId: string, usage: ModelUsage[]): Promise<void> {
    await this.#write('record reviewer usage', (trx, at) => writeUsage(trx, at, runId, 0, usage, { settled: true }));
  }

  /** End a running run; a run finishes once (STORE_RUN_FINISHED otherwise). */
  async finishRun(runId: string, end: { status: FinishedRunStatus; reason?: string }): Promise<RunRecord> {
    return this.#write('finish a run', (trx, at) => writeRunEnd(trx, at, runId, end));
  }

  /** The run's iterations in order. */
  async listIterations(runId: string): Promise<IterationRecord[]> {
    const rows = await this.#read('list iterations', (db) =>
      db.selectFrom('iterations').selectAll().where('run_id', '=', runId).orderBy('number').execute(),
    );
    return rows.map(toIterationRecord);
  }

  /** The highest-numbered finished iteration, where `sluice resume` picks up. */
  async lastFinishedIteration(runId: string): Promise<IterationRecord | undefined> {
    const row = await this.#read('read the last finished iteration', (db) =>
      db
        .selectFrom('iterations')
        .selectAll()
        .where('run_id', '=', runId)
        .where('status', '=', 'finished')
        .orderBy('number', 'desc')
        .limit(1)
        .executeTakeFirst(),
    );
    return row && toIterationRecord(row);
  }

  /** Gate results of the run (or of one iteration), in the order they were recorded. */
  async gateResults(runId: string, iteration?: number): Promise<RecordedGateResult[]> {
    const rows = await this.#read('read gate results', (db) =>
      db
        .selectFrom('gate_results')
        .selectAll()
        .where('run_id', '=', runId)
        .$if(iteration !== undefined, (qb) => qb.where('iteration', '=', iteration ?? 0))
        .orderBy('iteration')
        .orderBy('position')
        .execute(),
    );
    return rows.map(toRecordedGateResult);
  }

  /** Usage summed by model, UTC day or run; filter by run and start time. */
  async usageTotals(query: UsageTotalsQuery): Promise<UsageTotal[]> {
    return this.#read('sum usage', (db) => sumUsage(db, query));
  }

  /** A run's usage per iteration and model. */
  async iterationUsage(runId: string): Promise<Array<ModelUsage & { iteration: number }>> {
    return this.#read('sum usage by iteration', (db) => sumUsageByIteration(db, runId));
  }

  /** What a run has spent, per model: the `Spent.usage` a resumed run starts from. */
  async runUsage(runId: string): Promise<ModelUsage[]> {
    return (await this.usageTotals({ by: 'model', runId })).map(totalAsModelUsage);
  }

  /**
   * Take a `done` run up again (a reviewer asked for changes): it is `running` until its next verdict.
   * Its iterations, usage and events stay.
   */
  async reopenRun(runId: string): Promise<RunRecord> {
    return this.#write('reopen a run', (trx, at) => writeRunReopen(trx, at, runId));
  }

  /**
   * The run's branch was rebased onto `baseCommit` (or its change is measured from an earlier run's base,
   * and lands on `baseRef`): its change is measured from there now.
   */
  async moveRunBase(runId: string, baseCommit: string, baseRef?: string): Promise<void> {
    await this.#write('move the base of a run', (trx, at) => writeRunBase(trx, at, runId, baseCommit, baseRef));
  }

  /** Append an entry to the run's log (finished runs included: review decisions come after). */
  async appendEvent(runId: string, type: string, payload: unknown = null): Promise<RunEvent> {
    return this.#write('append an event', async (trx, at) => {
      await touchRun(trx, runId, at);
      return appendEventRow(trx, runId, type, payload, at);
    });
  }

  /** The run's log in order; `afterSeq` gives only what came after an entry already seen. */
  async events(runId: string, options: { afterSeq?: number } = {}): Promise<RunEvent[]> {
    const rows = await this.#read('read events', (db) =>
      db
        .selectFrom('run_events')
        .selectAll()
        .where('run_id', '=', runId)
        .where('seq', '>', options.afterSeq ?? 0)
        .orderBy('seq')
        .execute(),
    );
    return rows.map(toRunEvent);
  }

  /** A cheap fingerprint per table: compare two to learn what changed (any process's writes). */
  async changeMarks(): Promise<ChangeMarks> {
    return this.#read('read change marks', (db) => readChangeMarks(db));
  }

  /** Each run's last write time, by run id. */
  async runStamps(): Promise<Map<string, string>> {
    return this.#read('read run stamps', (db) => readRunStamps(db));
  }

  /** Ids of the runs changed at or after `since` (ISO time). */
  async runsChangedSince(since: string): Promise<string[]> {
    return this.#read('list changed runs', (db) => runsChangedSince(db, since));
  }

  /** Runs that ended at or after `since` (ISO time), counted by final status. */
  async runsEndedSince(since: string): Promise<Record<string, number>> {
    return this.#read('count ended runs', (db) => countRunsEndedSince(db, since));
  }

  /** Per run id: iterations started and the latest one's verdict, for the given runs (default every run) at once. */
  async runIterationStats(runIds?: readonly string[]): Promise<Map<string, RunIterationStats>> {
    return this.#read('read iteration stats', (db) => readRunIterationStats(db, runIds));
  }

  /** Close the database; later calls fail with STORE_CLOSED. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#db.destroy();
  }

  #assertOpen(doing: string): void {
    if (this.#closed)
      throw new StoreError(storeErrorCodes.closed, `cannot ${doing}: the run store ${this.path} is closed`);
  }

  async #write<T>(doing: string, work: Work<T>): Promise<T> {
    this.#assertOpen(doing);
    try {
      return await withProcessWriteLock(this.path, () =>
        this.#db.transaction().execute((trx) => work(trx, this.#now().toISOString())),
      );
    } catch (error) {
      throw toStoreError(error, `cannot ${doing}`);
    }
  }

  async #read<T>(doing: string, work: (db: Kysely<StoreDatabase>) => Promise<T>): Promise<T> {
    this.#assertOpen(doing);
    try {
      return await work(this.#db);
    } catch (error) {
      throw toStoreError(error, `cannot ${doing}`);
    }
  }
}
