import type { StepRecord, WorkflowRunRecord } from '../store/workflow-records.ts';
import { approvalMaterial } from './approval-material.ts';
import { type ExpressionContext, substitute } from './expressions.ts';
import type { StepResult, WorkflowDriver } from './workflow-ports.ts';
import type { ShowDefinition, StepDefinition } from './workflow-schema.ts';

/** A human checkpoint: parks the workflow until `sluice approve` decides (recorded in the store). */
export async function approveStep(
  driver: WorkflowDriver,
  workflow: WorkflowRunRecord,
  stepId: string,
  step: StepDefinition,
  previous: StepRecord | undefined,
  context: ExpressionContext,
): Promise<StepResult> {
  const { store } = driver;
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
