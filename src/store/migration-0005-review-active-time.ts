import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The active time a reviewer spent on a review round, as the review page of `sluice serve` measured it
 * (page visible and focused, input in the last minute). Null until measured; kept with the decision, it
 * is what capacity and the calibration of the review-cost estimate are measured from.
 */
export const reviewActiveTime: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('review_items').addColumn('active_ms', 'bigint').execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('review_items').dropColumn('active_ms').execute();
  },
};
