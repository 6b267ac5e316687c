/** A workflow run: `running` while a process drives it, `waiting` while parked for a human. */
export const workflowStatuses = ['running', 'waiting', 'succeeded', 'failed', 'cancelled'] as const;
export type WorkflowStatus = (typeof workflowStatuses)[number];
export type FinishedWorkflowStatus = Extract<WorkflowStatus, 'succeeded' | 'failed' | 'cancelled'>;

export const stepStatuses = ['running', 'waiting', 'succeeded', 'failed', 'skipped', 'cancelled'] as const;
export type StepStatus = (typeof stepStatuses)[number];

export interface NewWorkflowRun {
  id: string;
  name: string;
  /** The validated definition as it was when the run started: a later edit of the file does not change it. */
  definition: unknown;
  inputs: Record<string, string>;
  repoRoot: string;
  configRoot: string;
  parentId?: string;
  parentStep?: string;
  pid: number;
}

export interface WorkflowRunRecord {
  id: string;
  name: string;
  definition: unknown;
  inputs: Record<string, string>;
  status: WorkflowStatus;
  reason?: string;
  parentId?: string;
  parentStep?: string;
  repoRoot: string;
  configRoot: string;
  pid?: number;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

export interface StepRecord {
  workflowId: string;
  stepId: string;
  kind: string;
  status: StepStatus;
  /** How many times the step was started (a restart after a crash counts). */
  attempt: number;
  /** The round of an `until` loop (1 for the first). */
  round: number;
  /** The run of an agent step, recorded as soon as it exists. */
  runId?: string;
  /** The workflow run of a nested workflow step. */
  childId?: string;
  outputs: Record<string, string>;
  reason?: string;
  decision?: 'approved' | 'rejected';
  decisionReason?: string;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
}

/** What may change on a step while it runs. */
export interface StepPatch {
  status?: StepStatus;
  round?: number;
  /** Null clears it (a new round of an `until` loop starts a new run). */
  runId?: string | null;
  childId?: string | null;
  outputs?: Record<string, string>;
  reason?: string | null;
}
