import type { Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import { tasksAndReviews } from './migration-0002-tasks.ts';
import { benchResults } from './migration-0003-bench.ts';
import { reviewDue } from './migration-0004-review-due.ts';
import { reviewActiveTime } from './migration-0005-review-active-time.ts';
import { workflows } from './migration-0006-workflows.ts';

// Column types are the portable subset: text, integer, bigint, double precision. A PostgreSQL store
// runs these same migrations. Migrations are applied in name order and never edited once released:
// a change to the schema is a new entry.

const initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('runs')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('goal', 'text', (column) => column.notNull())
      .addColumn('agent', 'text', (column) => column.notNull())
      .addColumn('model', 'text')
      .addColumn('repo_root', 'text', (column) => column.notNull())
      .addColumn('base_ref', 'text', (column) => column.notNull())
      .addColumn('base_commit', 'text', (column) => column.notNull())
      .addColumn('branch', 'text', (column) => column.notNull())
      .addColumn('worktree_path', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('reason', 'text')
      .addColumn('options_json', 'text', (column) => column.notNull())
      .addColumn('pid', 'integer')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema.createIndex('runs_created_at').on('runs').column('created_at').execute();
    await db.schema.createIndex('runs_status').on('runs').columns(['status', 'created_at']).execute();

    await db.schema
      .createTable('iterations')
      .addColumn('run_id', 'text', (column) => column.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('number', 'integer', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('prompt_chars', 'integer', (column) => column.notNull())
      .addColumn('session_id', 'text')
      .addColumn('agent_status', 'text')
      .addColumn('agent_exit_code', 'integer')
      .addColumn('agent_reason', 'text')
      .addColumn('commit_sha', 'text')
      .addColumn('files_changed', 'integer')
      .addColumn('insertions', 'integer')
      .addColumn('deletions', 'integer')
      .addColumn('check_verdict', 'text')
      .addColumn('failure_signature', 'text')
      .addColumn('feedback', 'text')
      .addColumn('started_at', 'text', (column) => column.notNull())
      .addColumn('finished_at', 'text')
      .addPrimaryKeyConstraint('iterations_pk', ['run_id', 'number'])
      .execute();

    await db.schema
      .createTable('gate_results')
      .addColumn('run_id', 'text', (column) => column.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('iteration', 'integer', (column) => column.notNull())
      .addColumn('position', 'integer', (column) => column.notNull())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('tier', 'integer', (column) => column.notNull())
      .addColumn('blocking', 'integer', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('duration_ms', 'bigint', (column) => column.notNull())
      .addColumn('exit_code', 'integer')
      .addColumn('reason', 'text')
      .addColumn('log_path', 'text')
      .addColumn('counts_json', 'text')
      .addColumn('failures_json', 'text', (column) => column.notNull())
      .addColumn('output_tail_json', 'text')
      .addColumn('problems_json', 'text', (column) => column.notNull())
      .addColumn('recorded_at', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('gate_results_pk', ['run_id', 'iteration', 'name'])
      .execute();

    await db.schema
      .createTable('usage')
      .addColumn('run_id', 'text', (column) => column.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (column) => column.notNull())
      .addColumn('iteration', 'integer', (column) => column.notNull())
      .addColumn('model', 'text', (column) => column.notNull())
      .addColumn('input_tokens', 'bigint', (column) => column.notNull())
      .addColumn('output_tokens', 'bigint', (column) => column.notNull())
      .addColumn('cache_read_tokens', 'bigint', (column) => column.notNull())
      .addColumn('cache_write_tokens', 'bigint', (column) => column.notNull())
      .addColumn('cost_usd', 'double precision')
      .addColumn('api_ms', 'bigint', (column) => column.notNull())
      .addColumn('turns', 'integer', (column) => column.notNull())
      .addColumn('recorded_at', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('usage_pk', ['run_id', 'seq'])
      .execute();
    await db.schema.createIndex('usage_recorded_at').on('usage').column('recorded_at').execute();

    await db.schema
      .createTable('run_events')
      .addColumn('run_id', 'text', (column) => column.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (column) => column.notNull())
      .addColumn('type', 'text', (column) => column.notNull())
      .addColumn('at', 'text', (column) => column.notNull())
      .addColumn('payload_json', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('run_events_pk', ['run_id', 'seq'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['run_events', 'usage', 'gate_results', 'iterations', 'runs']) {
      await db.schema.dropTable(table).execute();
    }
  },
};

/** Every migration, by name; names sort in the order they apply. */
export const storeMigrations: Record<string, Migration> = {
  '0001_runs': initial,
  '0002_tasks_reviews': tasksAndReviews,
  '0003_bench_results': benchResults,
  '0004_review_due': reviewDue,
  '0005_review_active_time': reviewActiveTime,
  '0006_workflows': workflows,
};

/** Hands Kysely's `Migrator` the migrations above; nothing is read from disk at runtime. */
export const storeMigrationProvider: MigrationProvider = {
  getMigrations: async () => storeMigrations,
};
