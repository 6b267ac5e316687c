import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Workflow runs and their steps (src/workflow/). A step's start is committed before it acts and its
 * result before the next step acts, so a killed Sluice's successor knows which step was running.
 */
export const workflows: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('workflow_runs')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('definition_json', 'text', (column) => column.notNull())
      .addColumn('inputs_json', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('reason', 'text')
      .addColumn('parent_id', 'text')
      .addColumn('parent_step', 'text')
      .addColumn('repo_root', 'text', (column) => column.notNull())
      .addColumn('config_root', 'text', (column) => column.notNull())
      .addColumn('pid', 'integer')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema.createIndex('workflow_runs_status').on('workflow_runs').columns(['status', 'created_at']).execute();

    await db.schema
      .createTable('workflow_steps')
      .addColumn('workflow_id', 'text', (column) => column.notNull().references('workflow_runs.id').onDelete('cascade'))
      .addColumn('step_id', 'text', (column) => column.notNull())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('attempt', 'integer', (column) => column.notNull())
      .addColumn('round', 'integer', (column) => column.notNull())
      .addColumn('run_id', 'text')
      .addColumn('child_id', 'text')
      .addColumn('outputs_json', 'text', (column) => column.notNull())
      .addColumn('reason', 'text')
      .addColumn('decision', 'text')
      .addColumn('decision_reason', 'text')
      .addColumn('started_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .addColumn('finished_at', 'text')
      .addPrimaryKeyConstraint('workflow_steps_pk', ['workflow_id', 'step_id'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('workflow_steps').execute();
    await db.schema.dropTable('workflow_runs').execute();
  },
};
