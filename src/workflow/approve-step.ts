import type { RunStore } from '../store/run-store.ts';
import type { StepRecord, WorkflowRunRecord } from '../store/workflow-records.ts';
import { approvalMaterial } from './approval-material.ts';
import { type ExpressionContext, substitute } from './expressions.ts';
import type { StepResult, WorkflowDriver } from './workflow-ports.ts';
import type { ShowDefinition, StepDefinition, WorkflowDefinition } from './workflow-schema.ts';

/**
 * A human checkpoint: parks the workflow until a decision is recorded in the store (`sluice approve`, the
 * dashboard or its webhook: `decideApproval`), or fails it as expired once its `timeout` has passed.
 */
export async function approveStep(
  driver: WorkflowDriver,
  workflow: WorkflowRunRecord,
  stepId: string,
  step: StepDefinition,
  previous: StepRecord | undefined,
  context: ExpressionContext,
): Promise<StepResult> {
  const { store } = driver;
  const expired = previous ? approvalExpiry(workflow, previous, new Date()) : undefined;
  if (expired) {
    const outputs = { ...previous?.outputs, decision: 'expired', reason: expired };
    await store.workflows.updateStep(workflow.id, stepId, { status: 'failed', outputs, reason: expired });
    return { status: 'failed', outputs, reason: expired };
  }
  if (previous?.decision !== undefined) {
    const outputs = {
      ...previous.outputs,
      decision: previous.decision,
      reason: previous.decisionReason ?? '',
    };
    if (previous.decision === 'approved') {
      await store.workflows.updateStep(workflow.id, stepId, { status: 'succeeded', outputs, reason: null });
      return { status: 'succeeded', outputs };
    }
    const reason = `rejected${previous.decisionReason ? `: ${previous.decisionReason}` : ''}`;
    await store.workflows.updateStep(workflow.id, stepId, { status: 'failed', outputs, reason });
    return { status: 'failed', outputs, reason };
  }
  const approve = step.approve ?? {};
  const shown = resolveShow(approve.show, context);
  const outputs: Record<string, string> = {
    ...(approve.message !== undefined ? { message: substitute(approve.message, context) } : {}),
    ...(shown ? showOutputs(shown) : {}),
  };
  if (!previous) {
    const started = await store.workflows.startStep(workflow.id, stepId, 'approve');
    driver.onEvent?.({
      type: 'step:start',
      workflowId: workflow.id,
      stepId,
      kind: 'approve',
      round: 1,
      attempt: started.attempt,
    });
    await store.workflows.updateStep(workflow.id, stepId, { status: 'waiting', outputs });
  } else if (previous.status === 'running') {
    // Killed between its start and parking: park it now (its start time stays: the timeout counts from it).
    await store.workflows.updateStep(workflow.id, stepId, { status: 'waiting', outputs });
  }
  driver.onEvent?.({
    type: 'step:waiting',
    workflowId: workflow.id,
    stepId,
    ...(outputs.message !== undefined ? { message: outputs.message } : {}),
    material: await approvalMaterial(workflow.repoRoot, shown),
  });
  return { status: 'waiting', outputs, waiting: [{ workflowId: workflow.id, stepId }] };
}

function resolveShow(show: ShowDefinition | undefined, context: ExpressionContext): ShowDefinition | undefined {
  if (!show) return undefined;
  if ('file' in show) return { file: substitute(show.file, context) };
  if ('diff' in show) return { diff: substitute(show.diff, context) };
  return { report: substitute(show.report, context) };
}

function showOutputs(show: ShowDefinition): Record<string, string> {
  if ('file' in show) return { show_file: show.file };
  if ('diff' in show) return { show_diff: show.diff };
  return { show_report: show.report };
}

/** What a waiting approval step shows, from what it recorded when it parked. */
export function recordedShow(step: StepRecord): ShowDefinition | undefined {
  const { show_file, show_diff, show_report } = step.outputs;
  if (show_file !== undefined) return { file: show_file };
  if (show_diff !== undefined) return { diff: show_diff };
  if (show_report !== undefined) return { report: show_report };
  return undefined;
}

/** How long step `stepId` of the workflow may wait for a decision (its `approve.timeout`), if it is bounded. */
export function approvalTimeoutMs(workflow: WorkflowRunRecord, stepId: string): number | undefined {
  return (workflow.definition as WorkflowDefinition).steps[stepId]?.approve?.timeout;
}

/** When a parked approval expires: its timeout after the step started waiting (as the store recorded it). */
export function approvalDeadline(workflow: WorkflowRunRecord, step: StepRecord): Date | undefined {
  const timeout = approvalTimeoutMs(workflow, step.stepId);
  return timeout === undefined ? undefined : new Date(Date.parse(step.startedAt) + timeout);
}

/**
 * Why a waiting approval step is expired at `now`, or undefined while it may still be decided. A decision
 * already recorded counts at the time it was recorded (the step's last write until the workflow moves
 * on), so a decision in time that is driven on later still stands, and one recorded late does not.
 * Nothing runs while a workflow is parked: this is checked whenever it is touched (a decision, a resume).
 */
export function approvalExpiry(workflow: WorkflowRunRecord, step: StepRecord, now: Date): string | undefined {
  if (step.kind !== 'approve' || (step.status !== 'waiting' && step.status !== 'running')) return undefined;
  const deadline = approvalDeadline(workflow, step);
  if (!deadline) return undefined;
  const decidedAt = step.decision !== undefined ? new Date(step.updatedAt) : now;
  if (decidedAt.getTime() <= deadline.getTime()) return undefined;
  const timeout = approvalTimeoutMs(workflow, step.stepId) ?? 0;
  return `expired: no decision within ${formatDuration(timeout)} (waiting since ${step.startedAt})`;
}

function formatDuration(ms: number): string {
  const units: Array<[string, number]> = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  for (const [unit, size] of units) if (ms % size === 0 && ms >= size) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** What became of a human's decision on an approval step (from any door: the CLI, the dashboard, a webhook). */
export type ApprovalDecisionResult =
  | { status: 'decided'; workflow: WorkflowRunRecord; step: StepRecord }
  | { status: 'refused'; refusal: 'unknown' | 'not-waiting' | 'expired'; message: string };

/**
 * Record a decision on a waiting approval step, once: refused for an unknown workflow or step, a step
 * that is not waiting (or already decided: two deciders at once, one wins), or one past its timeout.
 * Driving the workflow on is the caller's business.
 */
export async function decideApproval(
  store: RunStore,
  request: { workflowId: string; stepId: string; decision: 'approved' | 'rejected'; reason?: string; now?: Date },
): Promise<ApprovalDecisionResult> {
  const { workflowId, stepId } = request;
  const workflow = await store.workflows.getRun(workflowId);
  if (!workflow) return { status: 'refused', refusal: 'unknown', message: `no workflow run ${workflowId}` };
  const step = await store.workflows.getStep(workflow.id, stepId);
  if (step?.kind !== 'approve') {
    return {
      status: 'refused',
      refusal: 'unknown',
      message: `workflow run ${workflow.id} has no approval step "${stepId}"`,
    };
  }
  if (['succeeded', 'failed', 'cancelled'].includes(workflow.status)) {
    return {
      status: 'refused',
      refusal: 'not-waiting',
      message: `workflow run ${workflow.id} already ended: ${workflow.status}`,
    };
  }
  if (step.status !== 'waiting' || step.decision !== undefined) {
    return {
      status: 'refused',
      refusal: 'not-waiting',
      message: `step ${stepId} of ${workflow.id} is not waiting for a decision (${step.decision ?? step.status})`,
    };
  }
  const expired = approvalExpiry(workflow, step, request.now ?? new Date());
  if (expired)
    return { status: 'refused', refusal: 'expired', message: `step ${stepId} of ${workflow.id}: ${expired}` };
  if (!(await store.workflows.decideStep(workflow.id, stepId, request.decision, request.reason))) {
    return {
      status: 'refused',
      refusal: 'not-waiting',
      message: `step ${stepId} of ${workflow.id} was decided by someone else first`,
    };
  }
  return { status: 'decided', workflow, step: (await store.workflows.getStep(workflow.id, stepId)) ?? step };
}
