import Database from 'better-sqlite3';
import { runStorePath } from '../../../src/store/run-store.ts';

/**
 * The fake clock of the "an hour later" tests: every instant the store recorded (each `*_at` and `at`
 * column of every table) moved `ms` into the past, while no Sluice process runs. To Sluice, which
 * measures waits between what the store recorded and its own real clock, that is `ms` gone by; and no
 * test hook sits in a production path (no clock offset a stray environment variable could set).
 */
export function moveStoreClockBack(repo: string, ms: number): number {
  const db = new Database(runStorePath(repo));
  let moved = 0;
  try {
    const tables = db
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
      .all() as Array<{ name: string }>;
    db.transaction(() => {
      for (const { name } of tables) {
        const columns = (db.prepare(`pragma table_info("${name}")`).all() as Array<{ name: string }>)
          .map((column) => column.name)
          .filter((column) => column === 'at' || column.endsWith('_at'));
        for (const column of columns) {
          const rows = db.prepare(`select rowid as id, "${column}" as value from "${name}"`).all() as Array<{
            id: number;
            value: unknown;
          }>;
          const update = db.prepare(`update "${name}" set "${column}" = ? where rowid = ?`);
          for (const row of rows) {
            if (typeof row.value !== 'string' || Number.isNaN(Date.parse(row.value))) continue;
            update.run(new Date(Date.parse(row.value) - ms).toISOString(), row.id);
            moved += 1;
          }
        }
      }
    })();
  } finally {
    db.close();
  }
  return moved;
}
