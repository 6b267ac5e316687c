import type { AgentTurnStatus } from '../agents/agent-adapter.ts';
import type { CheckVerdict, GateResult } from '../gates/gate-results.ts';
import type { ModelUsage } from '../usage/model-usage.ts';

export const runStatuses = ['running', 'done', 'blocked', 'budget-exhausted', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof runStatuses)[number];
/** Every status but `running`: where a run ends, once. */
export type FinishedRunStatus = Exclude<RunStatus, 'running'>;

export const iterationStatuses = ['running', 'finished'] as const;
export type IterationStatus = (typeof iterationStatuses)[number];

/** What a run is asked to do and where; timestamps and status are the store's. */
export interface NewRun {
  /** A fresh `newRunId()` when absent. */
  id?: string;
  goal: string;
  agent: string;
  model?: string;
  repoRoot: string;
  baseRef: string;
  baseCommit: string;
  branch: string;
  worktreePath: string;
  /** Budgets, acceptance commands, the config snapshot: anything JSON can hold. */
  options: object;
  /** The process driving the run. */
  pid?: number;
}

/** A run as stored. Timestamps are ISO 8601 in UTC. */
export interface RunRecord {
  id: string;
  goal: string;
  agent: string;
  model?: string;
  repoRoot: string;
  baseRef: string;
  baseCommit: string;
  branch: string;
  worktreePath: string;
  status: RunStatus;
  /** Why it ended as it did (a blocked run's one paragraph). */
  reason?: string;
  options: Record<string, unknown>;
  pid?: number;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

/** What starting an iteration records. */
export interface IterationStart {
  promptChars: number;
  sessionId?: string;
}

/** What one iteration did: the agent's turn, the commit it made, and the check of that commit. */
export interface IterationOutcome {
  agentStatus: AgentTurnStatus;
  agentExitCode?: number;
  agentReason?: string;
  /** Replaces the session recorded at start when given. */
  sessionId?: string;
  commitSha?: string;
  filesChanged?: number;
  insertions?: number;
  deletions?: number;
  checkVerdict?: CheckVerdict;
  failureSignature?: string;
  /** The feedback given to the agent for the next iteration. */
  feedback?: string;
}

/** An iteration as stored; the outcome fields are set once it finished. */
export interface IterationRecord extends Partial<IterationOutcome> {
  runId: string;
  number: number;
  status: IterationStatus;
  promptChars: number;
  startedAt: string;
  finishedAt?: string;
}

/** A gate result as stored, with where it belongs. */
export interface RecordedGateResult extends GateResult {
  runId: string;
  iteration: number;
}

export const usageGroupings = ['model', 'day', 'run'] as const;
export type UsageGrouping = (typeof usageGroupings)[number];

export interface UsageTotalsQuery {
  by: UsageGrouping;
  runId?: string;
  /** Only usage recorded at or after this moment. */
  since?: Date;
}

/** Usage summed over a group; `costUsd` is null when any summed record's cost was unknown. */
export interface UsageTotal extends Omit<ModelUsage, 'model'> {
  /** The model, the UTC day (YYYY-MM-DD) or the run id, depending on the grouping. */
  key: string;
  records: number;
  unknownCostRecords: number;
}

/** One entry of a run's append-only log. */
export interface RunEvent {
  runId: string;
  seq: number;
  type: string;
  at: string;
  payload: unknown;
}

/** The events the store itself appends, in the same transaction as the change they log. */
export const storeEventTypes = {
  runCreate: 'run:create',
  runPidSet: 'run:pid:set',
  runFinish: 'run:finish',
  iterationStart: 'run:iteration:start',
  iterationRestart: 'run:iteration:restart',
  iterationFinish: 'run:iteration:finish',
  gatesRecord: 'run:gates:record',
  usageRecord: 'run:usage:record',
} as const;
