// Between the snake_case rows of the tasks and review_items tables and the records of task-records.ts.
import type { Selectable } from 'kysely';
import type { ReviewItemsTable, TasksTable } from './schema.ts';
import type { ReviewItemRecord, TaskRecord } from './task-records.ts';

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
    ...(row.active_ms !== null && row.active_ms !== undefined ? { activeMs: Number(row.active_ms) } : {}),
  };
}
