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
  /** Active reviewer time measured by the review page, in ms; absent until measured. */
  activeMs?: number;
}
