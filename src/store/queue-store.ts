import type { Kysely, Transaction } from 'kysely';
import { newRunId } from './run-id.ts';
import type { StoreDatabase } from './schema.ts';
import { StoreError, storeErrorCodes } from './store-error.ts';
import type { NewReviewItem, NewTask, ReviewItemRecord, ReviewStatus, TaskRecord, TaskStatus } from './task-records.ts';
import { toReviewItemRecord, toTaskRecord } from './task-rows.ts';

type Write = <T>(doing: string, work: (trx: Transaction<StoreDatabase>, at: string) => Promise<T>) => Promise<T>;
type Read = <T>(doing: string, work: (db: Kysely<StoreDatabase>) => Promise<T>) => Promise<T>;

/** Tasks and review items, in the run store's database; each change is one committed transaction. */
export class QueueStore {
  readonly #write: Write;
  readonly #read: Read;

  constructor(write: Write, read: Read) {
    this.#write = write;
    this.#read = read;
  }

  async addTasks(tasks: NewTask[]): Promise<TaskRecord[]> {
    return this.#write('add tasks', async (trx, at) => {
      const last = await trx
        .selectFrom('tasks')
        .select((eb) => eb.fn.max('position').as('position'))
        .executeTakeFirst();
      const first = Number(last?.position ?? 0) + 1;
      const rows = tasks.map((task, index) => ({
        id: `t-${newRunId()}`,
        position: first + index,
        goal: task.goal,
        accept_json: JSON.stringify(task.accept),
        priority: task.priority,
        status: 'queued' as const,
        source: task.source,
        run_id: null,
        wait_reason: null,
        created_at: at,
        updated_at: at,
      }));
      if (rows.length > 0) await trx.insertInto('tasks').values(rows).execute();
      return rows.map(toTaskRecord);
    });
  }

  async getTask(id: string): Promise<TaskRecord | undefined> {
    const row = await this.#read('read a task', (db) =>
      db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst(),
    );
    return row && toTaskRecord(row);
  }

  /** Tasks in queue order (highest priority, then oldest), optionally of some statuses. */
  async listTasks(statuses?: readonly TaskStatus[]): Promise<TaskRecord[]> {
    const rows = await this.#read('list tasks', (db) =>
      db
        .selectFrom('tasks')
        .selectAll()
        .$if(statuses !== undefined, (qb) => qb.where('status', 'in', statuses ?? []))
        .orderBy('priority', 'desc')
        .orderBy('position')
        .execute(),
    );
    return rows.map(toTaskRecord);
  }

  /** Move a task from one status to another; refused (false) when it is no longer in `from`. */
  async moveTask(
    id: string,
    from: readonly TaskStatus[],
    to: TaskStatus,
    fields: { runId?: string; waitReason?: string | null } = {},
  ): Promise<boolean> {
    return this.#write('move a task', async (trx, at) => {
      const result = await trx
        .updateTable('tasks')
        .set({
          status: to,
          updated_at: at,
          ...(fields.runId !== undefined ? { run_id: fields.runId } : {}),
          wait_reason: fields.waitReason ?? null,
        })
        .where('id', '=', id)
        .where('status', 'in', from)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    });
  }

  /** Record why queued tasks wait (admission's reasons), without touching anything else. */
  async noteWaiting(reasons: ReadonlyArray<{ taskId: string; reason: string }>): Promise<void> {
    if (reasons.length === 0) return;
    await this.#write('note why tasks wait', async (trx) => {
      for (const { taskId, reason } of reasons) {
        await trx
          .updateTable('tasks')
          .set({ wait_reason: reason })
          .where('id', '=', taskId)
          .where('status', '=', 'queued')
          .execute();
      }
    });
  }

  /**
   * A finished change waits for a human: the next round of its run. A round that already waits is
   * returned as it is. Either way the run owes no review item any more (see `reviewsDue`).
   */
  async addReviewItem(item: NewReviewItem): Promise<ReviewItemRecord> {
    return this.#write('add a review item', async (trx, at) => {
      await trx.deleteFrom('review_due').where('run_id', '=', item.runId).execute();
      const waiting = await trx
        .selectFrom('review_items')
        .selectAll()
        .where('run_id', '=', item.runId)
        .where('status', '=', 'waiting')
        .executeTakeFirst();
      if (waiting) return toReviewItemRecord(waiting);
      const last = await trx
        .selectFrom('review_items')
        .select((eb) => eb.fn.max('round').as('round'))
        .where('run_id', '=', item.runId)
        .executeTakeFirst();
      const row = {
        run_id: item.runId,
        round: Number(last?.round ?? 0) + 1,
        task_id: item.taskId ?? null,
        status: 'waiting' as const,
        review_minutes: item.reviewMinutes,
        cost_explanation: item.costExplanation,
        head_commit: item.headCommit,
        evidence_path: item.evidencePath,
        created_at: at,
        decided_at: null,
        decision_note: null,
        landed_commit: null,
        active_ms: null,
      };
      await trx.insertInto('review_items').values(row).execute();
      return toReviewItemRecord(row);
    });
  }

  /**
   * Runs that ended `done` and have no review item for that verdict yet, oldest verdict first: the
   * process that reached the verdict died before queuing it.
   */
  async reviewsDue(): Promise<Array<{ runId: string; dueAt: string }>> {
    const rows = await this.#read('list runs due for review', (db) =>
      db.selectFrom('review_due').selectAll().orderBy('due_at').orderBy('run_id').execute(),
    );
    return rows.map((row) => ({ runId: row.run_id, dueAt: row.due_at }));
  }

  /** The run owes no review item (its workflow queues the change when the change is finished). */
  async dropReviewDue(runId: string): Promise<void> {
    await this.#write('drop a review due', async (trx) => {
      await trx.deleteFrom('review_due').where('run_id', '=', runId).execute();
    });
  }

  /** Review items, oldest first, optionally of some statuses. */
  async listReviewItems(statuses?: readonly ReviewStatus[]): Promise<ReviewItemRecord[]> {
    const rows = await this.#read('list review items', (db) =>
      db
        .selectFrom('review_items')
        .selectAll()
        .$if(statuses !== undefined, (qb) => qb.where('status', 'in', statuses ?? []))
        .orderBy('created_at')
        .orderBy('run_id')
        .orderBy('round')
        .execute(),
    );
    return rows.map(toReviewItemRecord);
  }

  /**
   * Add measured active review time to the waiting round of a run; returns the round and its total.
   * Refused (STORE_REVIEW_NOT_WAITING) once the round is decided: time after a decision is not review.
   */
  async addReviewActiveTime(runId: string, ms: number): Promise<{ round: number; activeMs: number }> {
    return this.#write('record review time', async (trx) => {
      const waiting = await trx
        .selectFrom('review_items')
        .select(['round', 'active_ms'])
        .where('run_id', '=', runId)
        .where('status', '=', 'waiting')
        .executeTakeFirst();
      if (!waiting)
        throw new StoreError(storeErrorCodes.reviewNotWaiting, `run ${runId} has no change waiting for review`);
      const activeMs = Number(waiting.active_ms ?? 0) + Math.max(0, Math.round(ms));
      await trx
        .updateTable('review_items')
        .set({ active_ms: activeMs })
        .where('run_id', '=', runId)
        .where('round', '=', waiting.round)
        .execute();
      return { round: waiting.round, activeMs };
    });
  }

  /**
   * Put queued tasks in the given order: positions follow it, and a task's priority is raised where
   * needed so it stays above the ones after it (the queue orders by priority first). Ids that are not
   * queued are ignored; returns the ids reordered.
   */
  async reorderQueuedTasks(ids: readonly string[]): Promise<string[]> {
    return this.#write('reorder tasks', async (trx, at) => {
      const rows = await trx
        .selectFrom('tasks')
        .select(['id', 'priority', 'position'])
        .where('status', '=', 'queued')
        .execute();
      const byId = new Map(rows.map((row) => [row.id, row]));
      const ordered = [...new Set(ids)].flatMap((id) => {
        const row = byId.get(id);
        return row ? [row] : [];
      });
      if (ordered.length === 0) return [];
      const positions = ordered.map((row) => Number(row.position)).sort((a, b) => a - b);
      const priorities = ordered.map((row) => Number(row.priority));
      for (let index = priorities.length - 2; index >= 0; index--) {
        priorities[index] = Math.max(priorities[index] ?? 0, priorities[index + 1] ?? 0);
      }
      for (const [index, row] of ordered.entries()) {
        await trx
          .updateTable('tasks')
          .set({ position: positions[index] ?? 0, priority: priorities[index] ?? 0, updated_at: at })
          .where('id', '=', row.id)
          .execute();
      }
      return ordered.map((row) => row.id);
    });
  }

  /** Record a human's decision on the waiting round of a run; timestamped, which is what measures capacity. */
  async decideReview(
    runId: string,
    decision: { status: Exclude<ReviewStatus, 'waiting'>; note?: string; landedCommit?: string },
  ): Promise<ReviewItemRecord> {
    return this.#write('record a review decision', async (trx, at) => {
      const waiting = await trx
        .selectFrom('review_items')
        .selectAll()
        .where('run_id', '=', runId)
        .where('status', '=', 'waiting')
        .executeTakeFirst();
      if (!waiting)
        throw new StoreError(storeErrorCodes.reviewNotWaiting, `run ${runId} has no change waiting for review`);
      const decided = {
        ...waiting,
        status: decision.status,
        decided_at: at,
        decision_note: decision.note ?? null,
        landed_commit: decision.landedCommit ?? null,
      };
      await trx
        .updateTable('review_items')
        .set({
          status: decided.status,
          decided_at: at,
          decision_note: decided.decision_note,
          landed_commit: decided.landed_commit,
        })
        .where('run_id', '=', runId)
        .where('round', '=', waiting.round)
        .execute();
      return toReviewItemRecord(decided);
    });
  }
}
