// better-sqlite3 waits for a lock synchronously (busy_timeout), blocking the event loop. Two stores on
// the same file in one process would then deadlock: the waiter blocks the holder from committing.
// So writes to one file are queued in-process first; across processes, SQLite's own lock decides.

const queueTails = new Map<string, Promise<void>>();

/** Run `work` once every earlier write to the same database file in this process has settled. */
export async function withProcessWriteLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  const previous = queueTails.get(file) ?? Promise.resolve();
  const current = previous.then(work);
  const settled = current.then(
    () => undefined,
    () => undefined,
  );
  queueTails.set(file, settled);
  try {
    return await current;
  } finally {
    if (queueTails.get(file) === settled) queueTails.delete(file);
  }
}
