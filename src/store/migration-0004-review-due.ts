import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * A run that ended `done` and has no review item for that verdict yet. Written in the transaction of the
 * verdict and dropped in the transaction that adds the item, so a Sluice killed between the two leaves
 * a row here, and the next command that opens the queue adds the item.
 */
export const reviewDue: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('review_due')
      .addColumn('run_id', 'text', (column) => column.primaryKey().references('runs.id').onDelete('cascade'))
      .addColumn('due_at', 'text', (column) => column.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('review_due').execute();
  },
};
