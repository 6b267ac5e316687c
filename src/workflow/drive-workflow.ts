import { SluiceError } from '../errors.ts';
import { isProcessRunning } from '../process/process-groups.ts';
import { newRunId } from '../store/run-id.ts';
import type { RunStore } from '../store/run-store.ts';
import type { StepRecord, WorkflowRunRecord } from '../store/workflow-records.ts';
import { approveStep } from './approve-step.ts';
import { eachStep } from './each-step.ts';
import { type ExpressionContext, ExpressionError, evaluate, substitute, truthy } from './expressions.ts';
import { loopStep } from './loop-step.ts';
import { pullRequestStep } from './pull-request-step.ts';
import { queueWorkflowChanges } from './queue-changes.ts';
import { reviewStep } from './review-step.ts';
import { StepError } from './step-error.ts';
import { loadWorkflow } from './workflow-file.ts';
import { stepOrder } from './workflow-graph.ts';
import { resolveInputs } from './workflow-inputs.ts';
import type { StepResult, WorkflowDriver } from './workflow-ports.ts';
import { type StepDefinition, stepKind, type WorkflowDefinition } from './workflow-schema.ts';

export type { WorkflowDriver } from './workflow-ports.ts';

/** Where a workflow stands when its driver returns. `waiting` is parked: no process needs to stay. */
export type WorkflowOutcome =
  | { status: 'succeeded'; outputs: Record<string, string> }
  | { status: 'failed' | 'cancelled'; reason: string }
  | { status: 'waiting'; waiting: Array<{ workflowId: string; stepId: string }> };

export interface StartWorkflowInput {
  repoRoot: string;
  /** Folder of sluice.yaml; workflows are in its `.sluice/workflows`. */
  configRoot: string;
  name: string;
  inputs: Record<string, string>;
}

/** Record a new workflow run of workflow `name` (checked, with its inputs) and drive it. */
export async function startWorkflow(
  driver: WorkflowDriver,
  input: StartWorkflowInput,
): Promise<{ id: string; outcome: WorkflowOutcome }> {
  const loaded = await loadWorkflow(input.configRoot, input.name);
  const inputs = resolveInputs(loaded.definition, input.inputs, input.name);
  const id = `w-${newRunId()}`;
  await driver.store.workflows.createRun({
    id,
    name: input.name,
    definition: loaded.definition,
    inputs,
    repoRoot: input.repoRoot,
    configRoot: input.configRoot,
    pid: process.pid,
  });
  return { id, outcome: await driveWorkflow(driver, id) };
}

/** The outermost workflow run of `id` (itself when it is not nested). */
export async function rootWorkflowOf(store: RunStore, id: string): Promise<WorkflowRunRecord | undefined> {
  let record = await store.workflows.getRun(id);
  while (record?.parentId !== undefined) record = await store.workflows.getRun(record.parentId);
  return record;
}

/** The run `rootId` and every run nested in it, at any depth. */
export function familyOf(rootId: string, runs: readonly WorkflowRunRecord[]): WorkflowRunRecord[] {
  const ids = new Set([rootId]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const run of runs) {
      if (run.parentId !== undefined && ids.has(run.parentId) && !ids.has(run.id)) {
        ids.add(run.id);
        grew = true;
      }
    }
  }
  return runs.filter((run) => ids.has(run.id));
}

/**
 * Drive a workflow run from where its record says it is: finished steps are not run again; a step
 * that was running when Sluice died runs again only when that is safe (see `runStep`).
 */
export async function driveWorkflow(driver: WorkflowDriver, workflowId: string): Promise<WorkflowOutcome> {
  const { store } = driver;
  const record = await store.workflows.getRun(workflowId);
  if (!record) throw new SluiceError('WORKFLOW_NOT_FOUND', `no workflow run ${workflowId}`);
  const definition = record.definition as WorkflowDefinition;
  const context: ExpressionContext = { workflowId, inputs: record.inputs, steps: {} };
  const recorded = new Map((await store.workflows.listSteps(workflowId)).map((step) => [step.stepId, step]));
  for (const [id, step] of recorded) context.steps[id] = { outcome: step.status, outputs: step.outputs };
  if (record.status === 'succeeded') return { status: 'succeeded', outputs: workflowOutputs(definition, context) };
  if (record.status === 'failed' || record.status === 'cancelled') {
    return { status: record.status, reason: record.reason ?? record.status };
  }
  await claim(store, record);
  driver.onEvent?.({ type: 'workflow:start', workflowId, name: record.name, resumed: recorded.size > 0 });
  const order = stepOrder(definition.steps, record.name);
  const settled = new Set<string>();
  const isSettled = (id: string) => settled.has(id);
  for (;;) {
    const pending = order.filter((id) => !isSettled(id));
    if (pending.length === 0) break;
    if ((await store.workflows.getRun(workflowId))?.status === 'cancelled') {
      return { status: 'cancelled', reason: 'cancelled by sluice workflow cancel' };
    }
    // A wave: the steps whose needs are all settled, in the file's order, at most `concurrency` at once.
    const ready = pending.filter((id) => (definition.steps[id] as StepDefinition).needs.every(isSettled));
    const wave = ready.slice(0, definition.concurrency);
    const results = await Promise.all(
      wave.map(async (stepId) => {
        const result = await settleStep(driver, record, stepId, recorded.get(stepId), context);
        context.steps[stepId] = { outcome: result.status, outputs: result.outputs };
        return [stepId, result] as const;
      }),
    );
    const waiting = results.flatMap(([stepId, result]) =>
      result.status === 'waiting' ? (result.waiting ?? [{ workflowId, stepId }]) : [],
    );
    for (const [stepId, result] of results) {
      settled.add(stepId);
      if (result.status === 'cancelled') return end(store, workflowId, 'cancelled', `step ${stepId} was cancelled`);
      const step = definition.steps[stepId] as StepDefinition;
      if (result.status === 'failed' && !step.continue_on_error) {
        return end(store, workflowId, 'failed', `step ${stepId} failed: ${result.reason ?? 'failed'}`);
      }
    }
    if (waiting.length > 0) {
      const steps = waiting.map((entry) => entry.stepId).join(', ');
      await store.workflows.setRunStatus(workflowId, 'waiting', `waiting for approval of ${steps}`);
      return { status: 'waiting', waiting };
    }
  }
  let outputs: Record<string, string>;
  try {
    outputs = workflowOutputs(definition, context);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    return end(store, workflowId, 'failed', `outputs: ${error.message}`);
  }
  // Queued before the workflow is marked succeeded: a crash in between queues again on resume (a
  // waiting item is kept as it is), never not at all.
  await queueWorkflowChanges(store, definition, context);
  if (!(await store.workflows.setRunStatus(workflowId, 'succeeded'))) {
    return { status: 'cancelled', reason: 'cancelled by sluice workflow cancel' };
  }
  return { status: 'succeeded', outputs };
}

/** A step's result: read back when it finished before, else run (or continued) now. */
async function settleStep(
  driver: WorkflowDriver,
  record: WorkflowRunRecord,
  stepId: string,
  previous: StepRecord | undefined,
  context: ExpressionContext,
): Promise<StepResult> {
  if (previous && !['running', 'waiting'].includes(previous.status)) {
    return {
      status: previous.status,
      outputs: previous.outputs,
      ...(previous.reason ? { reason: previous.reason } : {}),
    };
  }
  const step = (record.definition as WorkflowDefinition).steps[stepId] as StepDefinition;
  const result = await runStep(driver, record, stepId, step, previous, context);
  driver.onEvent?.({
    type: 'step:finish',
    workflowId: record.id,
    stepId,
    status: result.status,
    ...(result.reason ? { reason: result.reason } : {}),
  });
  return result;
}

async function end(
  store: RunStore,
  workflowId: string,
  status: 'failed' | 'cancelled',
  reason: string,
): Promise<WorkflowOutcome> {
  const ended = await store.workflows.setRunStatus(workflowId, status, reason);
  // An approval parked beside the failed step is moot now: it cannot be decided any more.
  for (const step of await store.workflows.listSteps(workflowId)) {
    if (step.status === 'waiting') {
      await store.workflows.updateStep(workflowId, step.stepId, { status: 'cancelled', reason: `workflow ${status}` });
    }
  }
  return ended ? { status, reason } : { status: 'cancelled', reason: 'cancelled by sluice workflow cancel' };
}

function workflowOutputs(definition: WorkflowDefinition, context: ExpressionContext): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [name, text] of Object.entries(definition.outputs)) outputs[name] = substitute(text, context);
  return outputs;
}

/** Take the run over; refused while another live process drives it. */
async function claim(store: RunStore, record: WorkflowRunRecord): Promise<void> {
  const busy = () =>
    new SluiceError('WORKFLOW_BUSY', `workflow run ${record.id} is being driven by process ${record.pid}`);
  if (record.pid !== undefined && record.pid !== process.pid && isProcessRunning(record.pid)) throw busy();
  if (!(await store.workflows.claimRun(record.id, process.pid, record.pid))) throw busy();
}

/** One step, from its `if:` to its result; every start and result is committed before the next act. */
async function runStep(
  driver: WorkflowDriver,
  workflow: WorkflowRunRecord,
  stepId: string,
  step: StepDefinition,
  previous: StepRecord | undefined,
  context: ExpressionContext,
): Promise<StepResult> {
  const { store } = driver;
  const kind = stepKind(step);
  try {
    if (!previous) {
      const skippedNeed = step.needs.find((needed) => context.steps[needed]?.outcome === 'skipped');
      const skip =
        step.if !== undefined
          ? !truthy(evaluate(step.if, context))
          : skippedNeed !== undefined
            ? `skipped: it needs ${skippedNeed}, which was skipped`
            : false;
      if (skip) {
        const reason = typeof skip === 'string' ? skip : `skipped: if ${step.if} is false`;
        await store.workflows.startStep(workflow.id, stepId, kind);
        await store.workflows.updateStep(workflow.id, stepId, { status: 'skipped', reason, outputs: {} });
        return { status: 'skipped', outputs: {}, reason };
      }
    }
    if (kind === 'approve') return await approveStep(driver, workflow, stepId, step, previous, context);
    if (kind === 'workflow') return await nestedStep(driver, workflow, stepId, step, previous, context);
    if (kind === 'review') return await reviewStep(driver, workflow, stepId, step, previous, context);
    if (kind === 'pull_request') return await pullRequestStep(driver, workflow, stepId, step, previous, context);
    if (step.for_each) return await eachStep(driver, workflow, stepId, step, previous, context);
    return await loopStep(driver, workflow, stepId, step, previous, context);
  } catch (error) {
    if (!(error instanceof StepError || error instanceof ExpressionError)) throw error;
    if (!previous) await store.workflows.startStep(workflow.id, stepId, kind);
    await store.workflows.updateStep(workflow.id, stepId, { status: 'failed', reason: error.message });
    return { status: 'failed', outputs: previous?.outputs ?? {}, reason: error.message };
  }
}

/** Another workflow, as a child run of its own; its outputs become this step's. */
async function nestedStep(
  driver: WorkflowDriver,
  workflow: WorkflowRunRecord,
  stepId: string,
  step: StepDefinition,
  previous: StepRecord | undefined,
  context: ExpressionContext,
): Promise<StepResult> {
  const { store } = driver;
  const name = step.workflow ?? '';
  const started = await store.workflows.startStep(workflow.id, stepId, 'workflow');
  driver.onEvent?.({
    type: 'step:start',
    workflowId: workflow.id,
    stepId,
    kind: 'workflow',
    round: 1,
    attempt: started.attempt,
  });
  // The child's id is recorded before the child exists: a crash in between creates it on resume.
  const childId = previous?.childId ?? `w-${newRunId()}`;
  if (!previous?.childId) await store.workflows.updateStep(workflow.id, stepId, { childId });
  if (!(await store.workflows.getRun(childId))) {
    const loaded = await loadWorkflow(workflow.configRoot, name).catch((error: unknown) => {
      throw new StepError(error instanceof Error ? error.message : String(error));
    });
    const given = Object.fromEntries(
      Object.entries(step.with).map(([key, value]) => [key, substitute(value, context)]),
    );
    let inputs: Record<string, string>;
    try {
      inputs = resolveInputs(loaded.definition, given, name);
    } catch (error) {
      throw new StepError((error as Error).message);
    }
    await store.workflows.createRun({
      id: childId,
      name,
      definition: loaded.definition,
      inputs,
      repoRoot: workflow.repoRoot,
      configRoot: workflow.configRoot,
      parentId: workflow.id,
      parentStep: stepId,
      pid: process.pid,
    });
  }
  const outcome = await driveWorkflow(driver, childId);
  if (outcome.status === 'waiting') {
    await store.workflows.updateStep(workflow.id, stepId, { status: 'waiting' });
    return { status: 'waiting', outputs: {}, waiting: outcome.waiting };
  }
  if (outcome.status === 'succeeded') {
    const outputs = { ...outcome.outputs, workflow_id: childId };
    await store.workflows.updateStep(workflow.id, stepId, { status: 'succeeded', outputs, reason: null });
    return { status: 'succeeded', outputs };
  }
  const reason = `workflow ${name} (${childId}) ${outcome.status}: ${outcome.reason}`;
  const outputs = { workflow_id: childId };
  await store.workflows.updateStep(workflow.id, stepId, { status: outcome.status, outputs, reason });
  return { status: outcome.status, outputs, reason };
}
