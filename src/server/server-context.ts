import type { SluiceConfig } from '../config/schema.ts';
import type { RunStore } from '../store/run-store.ts';
import type { ReviewClock } from './review-clock.ts';

/** What every route reads: the store, where the project is, and what this process can do. */
export interface ServerContext {
  store: RunStore;
  repoRoot: string;
  /** sluice.yaml's folder relative to the repository root ('' at the root). */
  configDir: string;
  /** sluice.yaml as it was when the server started (budgets, capacity, latency). */
  config: SluiceConfig;
  version: string;
  token: string;
  now: () => Date;
  /** `--work`: abort a run this process's dispatcher drives; false when it drives no such run. */
  cancelInProcess?: (runId: string) => boolean;
  /** Runs with a decision under way in this process (an approve re-runs the gates: it takes a while). */
  deciding: Set<string>;
  reviewClock: ReviewClock;
  /** A bug: its stack goes to the terminal, never to the client. */
  reportInternalError: (error: unknown) => void;
}
