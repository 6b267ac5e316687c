import type { Selectable } from 'kysely';
import type { ReviewItemsTable, TasksTable } from './schema.ts';

/**
 * `queued` waits for admission; `running` has a run in flight; `review` waits for a human; `rework` goes
 * back to its run with the reviewer's words; `landed` and `rejected` are decided; `blocked` needs a human
 * (the run ended without done, or landing failed; the branch is kept).
 */
export const taskStatuses = ['queued', 'running', 'review', 'rework', 'landed', 'rejected', 'blocked'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export const reviewStatuses = ['waiting', 'landed', 'rejected', 'changes-requested', 'land-failed'] as const;
export type ReviewStatus = (typeof reviewStatuses)[number];

export interface NewTask {
  goal: string;
  accept: string[];
  priority: number;
  source: string;
}

export interface TaskRecord extends NewTask {
  id: string;
  status: TaskStatus;
  runId?: string;
  /** Why a queued task has not started, as admission last said. */
  waitReason?: string;
  createdAt: string;
  updatedAt: string;
}

export interface NewReviewItem {
  runId: string;
  taskId?: string;
  reviewMinutes: number;
  costExplanation: string;
  headCommit: string;
  evidencePath: string;
}

export interface ReviewItemRecord extends NewReviewItem {
  round: number;
  status: ReviewStatus;
  createdAt: string;
  decidedAt?: string;
  decisionNote?: string;
  landedCommit?: string;
}

export function toTaskRecord(row: Selectable<TasksTable>): TaskRecord {
  return {
    id: row.id,
    goal: row.goal,
    accept: JSON.parse(row.accept_json) as string[],
    priority: row.priority,
    source: row.source,
    status: row.status,
    ...(row.run_id ? { runId: row.run_id } : {}),
    ...(row.wait_reason ? { waitReason: row.wait_reason } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toReviewItemRecord(row: Selectable<ReviewItemsTable>): ReviewItemRecord {
  return {
    runId: row.run_id,
    round: row.round,
    ...(row.task_id ? { taskId: row.task_id } : {}),
    status: row.status,
    reviewMinutes: Number(row.review_minutes),
    costExplanation: row.cost_explanation,
    headCommit: row.head_commit,
    evidencePath: row.evidence_path,
    createdAt: row.created_at,
    ...(row.decided_at ? { decidedAt: row.decided_at } : {}),
    ...(row.decision_note ? { decisionNote: row.decision_note } : {}),
    ...(row.landed_commit ? { landedCommit: row.landed_commit } : {}),
  };
}
