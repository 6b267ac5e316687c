import type { Kysely, Selectable, Transaction } from 'kysely';
import type { StoreDatabase, WorkflowRunsTable, WorkflowStepsTable } from './schema.ts';
import type { NewWorkflowRun, StepPatch, StepRecord, WorkflowRunRecord, WorkflowStatus } from './workflow-records.ts';

type Write = <T>(doing: string, work: (trx: Transaction<StoreDatabase>, at: string) => Promise<T>) => Promise<T>;
type Read = <T>(doing: string, work: (db: Kysely<StoreDatabase>) => Promise<T>) => Promise<T>;

const finished: readonly WorkflowStatus[] = ['succeeded', 'failed', 'cancelled'];

/** Workflow runs and their steps; every change is one committed transaction, as in the run store. */
export class WorkflowStore {
  readonly #write: Write;
  readonly #read: Read;

  constructor(write: Write, read: Read) {
    this.#write = write;
    this.#read = read;
  }

  async createRun(run: NewWorkflowRun): Promise<WorkflowRunRecord> {
    return this.#write('create a workflow run', async (trx, at) => {
      const row = {
        id: run.id,
        name: run.name,
        definition_json: JSON.stringify(run.definition),
        inputs_json: JSON.stringify(run.inputs),
        status: 'running' as const,
        reason: null,
        parent_id: run.parentId ?? null,
        parent_step: run.parentStep ?? null,
        repo_root: run.repoRoot,
        config_root: run.configRoot,
        pid: run.pid,
        created_at: at,
        updated_at: at,
        finished_at: null,
      };
      await trx.insertInto('workflow_runs').values(row).execute();
      return toRunRecord(row);
    });
  }

  async getRun(id: string): Promise<WorkflowRunRecord | undefined> {
    const row = await this.#read('read a workflow run', (db) =>
      db.selectFrom('workflow_runs').selectAll().where('id', '=', id).executeTakeFirst(),
    );
    return row && toRunRecord(row);
  }

  /** Workflow runs, newest first; `topLevel` leaves out the nested ones. */
  async listRuns(filter: { statuses?: readonly WorkflowStatus[]; topLevel?: boolean; limit?: number } = {}) {
    const rows = await this.#read('list workflow runs', (db) =>
      db
        .selectFrom('workflow_runs')
        .selectAll()
        .$if(filter.statuses !== undefined, (qb) => qb.where('status', 'in', filter.statuses ?? []))
        .$if(filter.topLevel === true, (qb) => qb.where('parent_id', 'is', null))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .$if(filter.limit !== undefined, (qb) => qb.limit(filter.limit ?? 0))
        .execute(),
    );
    return rows.map(toRunRecord);
  }

  /**
   * Take the run over for process `pid`: allowed when it is not finished and its recorded driver is
   * `expectedPid` (the one the caller saw dead, or none). False when another process got there first.
   */
  async claimRun(id: string, pid: number, expectedPid: number | undefined): Promise<boolean> {
    return this.#write('claim a workflow run', async (trx, at) => {
      const result = await trx
        .updateTable('workflow_runs')
        .set({ pid, status: 'running', updated_at: at })
        .where('id', '=', id)
        .where('status', 'not in', finished)
        .where((eb) => (expectedPid === undefined ? eb('pid', 'is', null) : eb('pid', '=', expectedPid)))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    });
  }

  /**
   * Move an unfinished run to `status` (a finished one stays as it ended; false then). Parking it
   * (`waiting`) lets go of its process: nothing needs to stay alive while a human decides.
   */
  async setRunStatus(id: string, status: WorkflowStatus, reason?: string): Promise<boolean> {
    return this.#write('set the status of a workflow run', async (trx, at) => {
      const result = await trx
        .updateTable('workflow_runs')
        .set({
          status,
          reason: reason ?? null,
          updated_at: at,
          ...(finished.includes(status) ? { finished_at: at } : {}),
          ...(status === 'running' ? {} : { pid: null }),
        })
        .where('id', '=', id)
        .where('status', 'not in', finished)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    });
  }

  async listSteps(workflowId: string): Promise<StepRecord[]> {
    const rows = await this.#read('list workflow steps', (db) =>
      db.selectFrom('workflow_steps').selectAll().where('workflow_id', '=', workflowId).orderBy('started_at').execute(),
    );
    return rows.map(toStepRecord);
  }

  async getStep(workflowId: string, stepId: string): Promise<StepRecord | undefined> {
    const row = await this.#read('read a workflow step', (db) =>
      db
        .selectFrom('workflow_steps')
        .selectAll()
        .where('workflow_id', '=', workflowId)
        .where('step_id', '=', stepId)
        .executeTakeFirst(),
    );
    return row && toStepRecord(row);
  }

  /** Record that a step starts (or starts again after a crash: its attempt count goes up). */
  async startStep(workflowId: string, stepId: string, kind: string, round = 1): Promise<StepRecord> {
    return this.#write('start a workflow step', async (trx, at) => {
      const existing = await trx
        .selectFrom('workflow_steps')
        .selectAll()
        .where('workflow_id', '=', workflowId)
        .where('step_id', '=', stepId)
        .executeTakeFirst();
      if (existing) {
        await trx
          .updateTable('workflow_steps')
          .set({ status: 'running', attempt: existing.attempt + 1, round, reason: null, updated_at: at })
          .where('workflow_id', '=', workflowId)
          .where('step_id', '=', stepId)
          .execute();
      } else {
        await trx
          .insertInto('workflow_steps')
          .values({
            workflow_id: workflowId,
            step_id: stepId,
            kind,
            status: 'running',
            attempt: 1,
            round,
            run_id: null,
            child_id: null,
            outputs_json: '{}',
            reason: null,
            decision: null,
            decision_reason: null,
            started_at: at,
            updated_at: at,
            finished_at: null,
          })
          .execute();
      }
      await trx.updateTable('workflow_runs').set({ updated_at: at }).where('id', '=', workflowId).execute();
      const row = await trx
        .selectFrom('workflow_steps')
        .selectAll()
        .where('workflow_id', '=', workflowId)
        .where('step_id', '=', stepId)
        .executeTakeFirstOrThrow();
      return toStepRecord(row);
    });
  }

  /** Change a step; a finished status stamps `finished_at`. */
  async updateStep(workflowId: string, stepId: string, patch: StepPatch): Promise<void> {
    await this.#write('update a workflow step', async (trx, at) => {
      const ends = patch.status !== undefined && !['running', 'waiting'].includes(patch.status);
      await trx
        .updateTable('workflow_steps')
        .set({
          updated_at: at,
          ...(patch.status !== undefined ? { status: patch.status } : {}),
          ...(patch.round !== undefined ? { round: patch.round } : {}),
          ...(patch.runId !== undefined ? { run_id: patch.runId } : {}),
          ...(patch.childId !== undefined ? { child_id: patch.childId } : {}),
          ...(patch.outputs !== undefined ? { outputs_json: JSON.stringify(patch.outputs) } : {}),
          ...(patch.reason !== undefined ? { reason: patch.reason } : {}),
          ...(ends ? { finished_at: at } : {}),
        })
        .where('workflow_id', '=', workflowId)
        .where('step_id', '=', stepId)
        .execute();
      await trx.updateTable('workflow_runs').set({ updated_at: at }).where('id', '=', workflowId).execute();
    });
  }

  /**
   * A human's decision on a waiting approval step. Decided once: false when the step is not waiting or
   * was decided already (two `sluice approve` at once: one wins).
   */
  async decideStep(
    workflowId: string,
    stepId: string,
    decision: 'approved' | 'rejected',
    reason: string | undefined,
  ): Promise<boolean> {
    return this.#write('decide a workflow step', async (trx, at) => {
      const result = await trx
        .updateTable('workflow_steps')
        .set({ decision, decision_reason: reason ?? null, updated_at: at })
        .where('workflow_id', '=', workflowId)
        .where('step_id', '=', stepId)
        .where('status', '=', 'waiting')
        .where('decision', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    });
  }
}

function toRunRecord(row: Selectable<WorkflowRunsTable>): WorkflowRunRecord {
  return {
    id: row.id,
    name: row.name,
    definition: JSON.parse(row.definition_json) as unknown,
    inputs: JSON.parse(row.inputs_json) as Record<string, string>,
    status: row.status,
    ...(row.reason !== null ? { reason: row.reason } : {}),
    ...(row.parent_id !== null ? { parentId: row.parent_id } : {}),
    ...(row.parent_step !== null ? { parentStep: row.parent_step } : {}),
    repoRoot: row.repo_root,
    configRoot: row.config_root,
    ...(row.pid !== null ? { pid: Number(row.pid) } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.finished_at !== null ? { finishedAt: row.finished_at } : {}),
  };
}

function toStepRecord(row: Selectable<WorkflowStepsTable>): StepRecord {
  return {
    workflowId: row.workflow_id,
    stepId: row.step_id,
    kind: row.kind,
    status: row.status,
    attempt: Number(row.attempt),
    round: Number(row.round),
    ...(row.run_id !== null ? { runId: row.run_id } : {}),
    ...(row.child_id !== null ? { childId: row.child_id } : {}),
    outputs: JSON.parse(row.outputs_json) as Record<string, string>,
    ...(row.reason !== null ? { reason: row.reason } : {}),
    ...(row.decision !== null ? { decision: row.decision } : {}),
    ...(row.decision_reason !== null ? { decisionReason: row.decision_reason } : {}),
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    ...(row.finished_at !== null ? { finishedAt: row.finished_at } : {}),
  };
}
