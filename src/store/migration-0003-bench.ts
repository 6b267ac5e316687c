import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Every bench metric measured by a check, in a run or not: the trend per metric. */
export const benchResults: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('bench_results')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('recorded_at', 'text', (column) => column.notNull())
      .addColumn('gate', 'text', (column) => column.notNull())
      .addColumn('metric', 'text', (column) => column.notNull())
      .addColumn('run_id', 'text')
      .addColumn('iteration', 'integer')
      .addColumn('commit_sha', 'text')
      .addColumn('median', 'double precision', (column) => column.notNull())
      .addColumn('change', 'text')
      .addColumn('result_json', 'text', (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex('bench_results_metric')
      .on('bench_results')
      .columns(['gate', 'metric', 'recorded_at'])
      .execute();
    await db.schema.createIndex('bench_results_run').on('bench_results').columns(['run_id', 'iteration']).execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('bench_results').execute();
  },
};
