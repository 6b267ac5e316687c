/**
 * Caps the active review time a page reports: a heartbeat can add no more than the wall time since
 * the previous accepted one (plus a little slack), and never more than a minute and a bit. A page —
 * or a script holding the token — cannot inflate the minutes that capacity is measured from.
 */
export class ReviewClock {
  static readonly maxPerBeatMs = 65_000;
  static readonly slackMs = 2_000;
  readonly #last = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The part of `reportedMs` that can be true for `key` (a run and its round), and note the beat. */
  accept(key: string, reportedMs: number): number {
    const now = this.#now();
    const last = this.#last.get(key);
    this.#last.set(key, now);
    const wall = last === undefined ? ReviewClock.maxPerBeatMs : now - last + ReviewClock.slackMs;
    return Math.max(0, Math.min(reportedMs, wall, ReviewClock.maxPerBeatMs));
  }

  forget(key: string): void {
    this.#last.delete(key);
  }
}
