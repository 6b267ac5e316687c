import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Tasks waiting for an agent, and the review items finished runs become. */
export const tasksAndReviews: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('tasks')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('position', 'integer', (column) => column.notNull())
      .addColumn('goal', 'text', (column) => column.notNull())
      .addColumn('accept_json', 'text', (column) => column.notNull())
      .addColumn('priority', 'integer', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('source', 'text', (column) => column.notNull())
      .addColumn('run_id', 'text')
      .addColumn('wait_reason', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('tasks_status').on('tasks').columns(['status', 'priority', 'created_at']).execute();

    await db.schema
      .createTable('review_items')
      .addColumn('run_id', 'text', (column) => column.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('round', 'integer', (column) => column.notNull())
      .addColumn('task_id', 'text')
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('review_minutes', 'double precision', (column) => column.notNull())
      .addColumn('cost_explanation', 'text', (column) => column.notNull())
      .addColumn('head_commit', 'text', (column) => column.notNull())
      .addColumn('evidence_path', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('decided_at', 'text')
      .addColumn('decision_note', 'text')
      .addColumn('landed_commit', 'text')
      .addPrimaryKeyConstraint('review_items_pk', ['run_id', 'round'])
      .execute();
    await db.schema.createIndex('review_items_status').on('review_items').columns(['status', 'created_at']).execute();
    await db.schema.createIndex('review_items_decided').on('review_items').column('decided_at').execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('review_items').execute();
    await db.schema.dropTable('tasks').execute();
  },
};
