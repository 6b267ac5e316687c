import type { ChangeMarks } from '../store/change-marks.ts';
import type { RunStore } from '../store/run-store.ts';
import type { ChangedTable, SseEventMap } from './api-types.ts';

export type WatchEvent =
  | { name: 'change'; data: SseEventMap['change'] }
  | { name: 'run-event'; data: SseEventMap['run-event'] };

type Listener = (event: WatchEvent) => void;

/** How often the store is looked at while anyone listens: well under the 1 s a page may lag. */
export const watchIntervalMs = 300;

/**
 * Polls the store's change marks while there are listeners and tells them what changed: the store is
 * shared with `sluice run` / `sluice work` processes that have no way to call us. One cheap aggregate
 * query per tick; rows are read only for what changed.
 */
export class StoreWatch {
  readonly #store: RunStore;
  readonly #listeners = new Set<Listener>();
  readonly #onError: (error: unknown) => void;
  #marks: ChangeMarks | undefined;
  #runStamps: Map<string, string> | undefined;
  #watchedSince = '';
  #seqs = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #busy = false;

  constructor(store: RunStore, onError: (error: unknown) => void) {
    this.#store = store;
    this.#onError = onError;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    if (!this.#timer) {
      this.#timer = setInterval(() => void this.#tick(), watchIntervalMs);
      void this.#tick();
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#marks = undefined;
  }

  async #tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const marks = await this.#store.changeMarks();
      const before = this.#marks;
      this.#marks = marks;
      if (!before) {
        this.#runStamps = await this.#store.runStamps();
        this.#watchedSince = new Date().toISOString();
        return;
      }
      const tables = (Object.keys(marks) as Array<keyof ChangeMarks>).filter((table) => marks[table] !== before[table]);
      if (tables.length === 0) return;
      const runIds = tables.includes('runs') || tables.includes('iterations') ? await this.#changedRuns() : [];
      this.#emit({ name: 'change', data: { tables: tables.map(tableName), runIds } });
      for (const runId of runIds) await this.#newEvents(runId);
    } catch (error) {
      this.#onError(error);
    } finally {
      this.#busy = false;
    }
  }

  /** The runs written since the last look, by their stamps (not by time: another writer's clock may lag). */
  async #changedRuns(): Promise<string[]> {
    const before = this.#runStamps;
    const now = await this.#store.runStamps();
    this.#runStamps = now;
    return [...now].filter(([id, stamp]) => before?.get(id) !== stamp).map(([id]) => id);
  }

  async #newEvents(runId: string): Promise<void> {
    const after = this.#seqs.get(runId);
    const events = await this.#store.events(runId, after === undefined ? {} : { afterSeq: after });
    const last = events.at(-1);
    if (last) this.#seqs.set(runId, last.seq);
    // For a run seen for the first time, only what happened since the watch began is news.
    for (const event of events) {
      if (after === undefined && event.at < this.#watchedSince) continue;
      this.#emit({ name: 'run-event', data: { runId, seq: event.seq, type: event.type, at: event.at } });
    }
  }

  #emit(event: WatchEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}

function tableName(table: keyof ChangeMarks): ChangedTable {
  return table;
}
