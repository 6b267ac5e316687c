// The tables as Kysely sees them: snake_case, exactly what the migrations create. Timestamps are
// ISO 8601 UTC text (sortable, and the same in SQLite and PostgreSQL); JSON is text; booleans are 0/1.
import type { AgentTurnStatus } from '../agents/agent-adapter.ts';
import type { GateKind } from '../config/schema.ts';
import type { CheckVerdict, GateStatus } from '../gates/gate-results.ts';
import type { IterationStatus, RunStatus } from './run-records.ts';
import type { ReviewStatus, TaskStatus } from './task-records.ts';
import type { StepStatus, WorkflowStatus } from './workflow-records.ts';

export interface StoreDatabase {
  runs: RunsTable;
  iterations: IterationsTable;
  gate_results: GateResultsTable;
  usage: UsageTable;
  run_events: RunEventsTable;
  tasks: TasksTable;
  review_items: ReviewItemsTable;
  bench_results: BenchResultsTable;
  review_due: ReviewDueTable;
  workflow_runs: WorkflowRunsTable;
  workflow_steps: WorkflowStepsTable;
}

/** A workflow run (migration-0006-workflows.ts); the definition is the snapshot it started with. */
export interface WorkflowRunsTable {
  id: string;
  name: string;
  definition_json: string;
  inputs_json: string;
  status: WorkflowStatus;
  reason: string | null;
  parent_id: string | null;
  parent_step: string | null;
  repo_root: string;
  config_root: string;
  pid: number | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface WorkflowStepsTable {
  workflow_id: string;
  step_id: string;
  kind: string;
  status: StepStatus;
  attempt: number;
  round: number;
  run_id: string | null;
  child_id: string | null;
  outputs_json: string;
  reason: string | null;
  decision: 'approved' | 'rejected' | null;
  decision_reason: string | null;
  started_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** A `done` verdict whose review item is not written yet (see migration-0004-review-due.ts). */
export interface ReviewDueTable {
  run_id: string;
  due_at: string;
}

/** One metric of one bench gate in one check; `result_json` holds the whole MetricResult. */
export interface BenchResultsTable {
  id: string;
  recorded_at: string;
  gate: string;
  metric: string;
  /** Null for a `sluice check` outside a run. */
  run_id: string | null;
  iteration: number | null;
  /** HEAD when it was measured (the tree may have had uncommitted changes). */
  commit_sha: string | null;
  median: number;
  change: string | null;
  result_json: string;
}

export interface TasksTable {
  id: string;
  /** Order of queuing: tasks added together keep the order they were given in. */
  position: number;
  goal: string;
  accept_json: string;
  priority: number;
  status: TaskStatus;
  /** Where it came from: "cli", or the file it was read from. */
  source: string;
  run_id: string | null;
  wait_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReviewItemsTable {
  run_id: string;
  /** 1 for the run's first change; a `changes` request and a new done make round 2. */
  round: number;
  task_id: string | null;
  status: ReviewStatus;
  review_minutes: number;
  cost_explanation: string;
  head_commit: string;
  evidence_path: string;
  created_at: string;
  decided_at: string | null;
  decision_note: string | null;
  landed_commit: string | null;
  /** Active review time measured by the review page (migration 0005); null until measured. */
  active_ms: number | null;
}

export interface RunsTable {
  id: string;
  goal: string;
  agent: string;
  model: string | null;
  repo_root: string;
  base_ref: string;
  base_commit: string;
  branch: string;
  worktree_path: string;
  status: RunStatus;
  reason: string | null;
  options_json: string;
  pid: number | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface IterationsTable {
  run_id: string;
  number: number;
  status: IterationStatus;
  prompt_chars: number;
  session_id: string | null;
  agent_status: AgentTurnStatus | null;
  agent_exit_code: number | null;
  agent_reason: string | null;
  commit_sha: string | null;
  files_changed: number | null;
  insertions: number | null;
  deletions: number | null;
  check_verdict: CheckVerdict | null;
  failure_signature: string | null;
  feedback: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface GateResultsTable {
  run_id: string;
  iteration: number;
  /** Order of recording within the iteration. */
  position: number;
  name: string;
  kind: GateKind;
  tier: number;
  blocking: number;
  status: GateStatus;
  duration_ms: number;
  exit_code: number | null;
  reason: string | null;
  log_path: string | null;
  counts_json: string | null;
  failures_json: string;
  output_tail_json: string | null;
  problems_json: string;
  recorded_at: string;
}

export interface UsageTable {
  run_id: string;
  /** Order of recording within the run. */
  seq: number;
  iteration: number;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  /** Null when unknown; never 0 for unknown. */
  cost_usd: number | null;
  api_ms: number;
  turns: number;
  recorded_at: string;
}

export interface RunEventsTable {
  run_id: string;
  seq: number;
  type: string;
  at: string;
  payload_json: string;
}
