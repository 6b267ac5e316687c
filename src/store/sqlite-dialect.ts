import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  Kysely,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type SqliteStatement,
  type TransactionSettings,
} from 'kysely';
import { makeDirSync } from '../config/sluice-folder.ts';
import type { StoreDatabase } from './schema.ts';

/** How long a write waits for another process's transaction before it fails with STORE_BUSY. */
export const busyTimeoutMs = 15_000;

/**
 * Write transactions begin IMMEDIATE: they take SQLite's write lock up front, waiting up to the busy
 * timeout. A deferred transaction that reads and then writes fails at once (SQLITE_BUSY) when another
 * process committed in between, so every read-then-write store method would be racy without it.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection, settings?: TransactionSettings): Promise<void> {
    const mode = settings?.accessMode === 'read only' ? 'deferred' : 'immediate';
    await connection.executeQuery(CompiledQuery.raw(`begin ${mode}`));
  }
}

/**
 * SQLite runs DDL inside transactions, though Kysely's adapter says otherwise. Saying so makes the
 * Migrator wrap each run of migrations in one (immediate) transaction: a crash leaves no half-made
 * schema, and two processes opening a fresh file migrate it one after the other, not both at once.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Statements kept prepared per connection; SQL with a variable list of placeholders can make many. */
const preparedStatementLimit = 256;

/**
 * The database as Kysely's driver sees it, with each SQL text prepared once: the driver prepares every
 * query anew, which costs more than running the small statements of a loop iteration. A kept statement is
 * only ever run to its end (all, run: the store never streams), and SQLite re-prepares one by itself when
 * the schema changes under it.
 */
function withPreparedStatements(database: Database.Database): SqliteDatabase {
  const prepared = new Map<string, SqliteStatement>();
  return {
    prepare(sql) {
      const kept = prepared.get(sql);
      if (kept) return kept;
      const statement = database.prepare(sql);
      if (prepared.size >= preparedStatementLimit) prepared.clear();
      prepared.set(sql, statement);
      return statement;
    },
    close() {
      prepared.clear();
      database.close();
    },
  };
}

function immediateSqliteDialect(database: Database.Database): Dialect {
  const cached = withPreparedStatements(database);
  return {
    createAdapter: () => new TransactionalDdlSqliteAdapter(),
    createDriver: () => new ImmediateSqliteDriver({ database: cached }),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

/** The canonical path of a database file that may not exist yet; its folder is created. */
export function databaseFilePath(path: string): string {
  makeDirSync(dirname(path));
  return join(realpathSync(dirname(path)), basename(path));
}

/**
 * Switch a new file to WAL. Two processes creating the file at once race here, and SQLite answers
 * SQLITE_BUSY at once instead of waiting on the busy timeout; so retry, with a random short pause.
 */
function enableWal(database: Database.Database): void {
  const deadline = Date.now() + busyTimeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      database.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      Atomics.wait(pause, 0, 0, 5 + Math.random() * 45);
    }
  }
}

/**
 * Open (or create) a SQLite file for the store: WAL, so readers never wait for writers; a busy
 * timeout, so several `sluice run` processes share the file; full sync, so a commit survives a
 * power cut as well as `kill -9`; foreign keys enforced.
 */
export function openSqliteKysely(file: string): Kysely<StoreDatabase> {
  const database = new Database(file, { timeout: busyTimeoutMs });
  try {
    database.pragma(`busy_timeout = ${busyTimeoutMs}`);
    enableWal(database);
    database.pragma('synchronous = FULL');
    database.pragma('foreign_keys = ON');
  } catch (error) {
    database.close();
    throw error;
  }
  return new Kysely<StoreDatabase>({ dialect: immediateSqliteDialect(database) });
}
