import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepRecord, WorkflowRunRecord } from '../store/workflow-records.ts';
import { runAgentBody } from './agent-step.ts';
import { runCheckStep } from './check-step.ts';
import { type ExpressionContext, substitute, substituteCommand } from './expressions.ts';
import { runShellStep, stepFolder, workflowRunDir } from './run-step.ts';
import { StepError } from './step-error.ts';
import type { StepResult, WorkflowDriver } from './workflow-ports.ts';
import { type StepDefinition, stepKind, type UntilDefinition } from './workflow-schema.ts';

/** Rounds of an `until` loop when `max` is not given. */
export const defaultUntilRounds = 3;

/** A run, check or agent step, repeated `until` its condition holds when it has one. */
export async function loopStep(
  driver: WorkflowDriver,
  workflow: WorkflowRunRecord,
  stepId: string,
  step: StepDefinition,
  previous: StepRecord | undefined,
  context: ExpressionContext,
): Promise<StepResult> {
  const { store } = driver;
  const kind = stepKind(step);
  const interrupted = previous?.status === 'running';
  if (interrupted && kind !== 'agent' && step.idempotent === false) {
    const reason = `Sluice stopped while this step ran (attempt ${previous.attempt}); it is marked idempotent: false, so it is not run again`;
    await store.workflows.updateStep(workflow.id, stepId, { status: 'failed', reason });
    return { status: 'failed', outputs: previous.outputs, reason };
  }
  const max = step.until ? (step.max ?? defaultUntilRounds) : 1;
  let round = previous?.round ?? 1;
  let runId = interrupted ? previous.runId : undefined;
  let resuming = interrupted;
  // Why the last round fell short, kept with the step so a resumed round still hands it on.
  let feedback = previous?.outputs.until_feedback ?? '';
  for (;;) {
    const started = await store.workflows.startStep(workflow.id, stepId, kind, round);
    driver.onEvent?.({ type: 'step:start', workflowId: workflow.id, stepId, kind, round, attempt: started.attempt });
    const body = await runBody(driver, workflow, stepId, step, context, {
      round,
      attempt: started.attempt,
      runId,
      interrupted: resuming,
      feedback,
    });
    resuming = false;
    if (driver.signal.aborted || body.reason === 'cancelled') {
      await store.workflows.updateStep(workflow.id, stepId, {
        status: 'cancelled',
        outputs: body.outputs,
        reason: 'cancelled',
      });
      return { status: 'cancelled', outputs: body.outputs, reason: 'cancelled' };
    }
    if (!step.until) {
      const status = body.passed ? 'succeeded' : 'failed';
      await store.workflows.updateStep(workflow.id, stepId, {
        status,
        outputs: body.outputs,
        reason: body.reason ?? null,
      });
      return { status, outputs: body.outputs, ...(body.reason ? { reason: body.reason } : {}) };
    }
    if (step.agent && body.outputs.run_id === undefined) {
      // No run happened (a refused expression, a budget that cannot be kept): there is nothing to judge.
      const reason = body.reason ?? 'no run was started';
      await store.workflows.updateStep(workflow.id, stepId, { status: 'failed', outputs: body.outputs, reason });
      return { status: 'failed', outputs: body.outputs, reason };
    }
    const work = step.agent
      ? { outputs: body.outputs, branch: body.outputs.branch, worktree: body.outputs.worktree }
      : { outputs: body.outputs };
    const condition = await untilHolds(driver, workflow, stepId, step.until, context, round, work);
    const outputs = { ...body.outputs, rounds: String(round) };
    if (condition.passed) {
      await store.workflows.updateStep(workflow.id, stepId, { status: 'succeeded', outputs, reason: null });
      return { status: 'succeeded', outputs };
    }
    if (round >= max) {
      const reason = `until not met after ${round} round${round === 1 ? '' : 's'} (max ${max}): ${condition.reason}`;
      await store.workflows.updateStep(workflow.id, stepId, { status: 'failed', outputs, reason });
      return { status: 'failed', outputs, reason };
    }
    round++;
    runId = undefined;
    feedback = condition.feedback;
    // The next round is recorded before it acts: a crash now resumes at this round, with a fresh run.
    await store.workflows.updateStep(workflow.id, stepId, {
      round,
      runId: null,
      outputs: { ...outputs, until_feedback: feedback },
    });
  }
}

interface BodyResult {
  passed: boolean;
  outputs: Record<string, string>;
  reason?: string;
}

async function runBody(
  driver: WorkflowDriver,
  workflow: WorkflowRunRecord,
  stepId: string,
  step: StepDefinition,
  context: ExpressionContext,
  at: { round: number; attempt: number; runId: string | undefined; interrupted: boolean; feedback: string },
): Promise<BodyResult> {
  const dir = workflowRunDir(workflow.configRoot, workflow.id);
  await mkdir(dir, { recursive: true });
  if (step.run !== undefined) {
    const env = Object.fromEntries(Object.entries(step.env).map(([key, value]) => [key, substitute(value, context)]));
    const resolved = substituteCommand(step.run, context);
    return runShellStep({
      command: resolved.command,
      cwd: stepFolder(workflow.repoRoot, step.cwd === undefined ? undefined : substitute(step.cwd, context)),
      env: { ...env, ...resolved.env, SLUICE_WORKFLOW_ID: workflow.id, SLUICE_STEP_ROUND: String(at.round) },
      timeoutMs: step.timeout,
      logPath: join(dir, `${stepId}-${at.round}-${at.attempt}.log`),
      outputsPath: join(dir, `${stepId}.outputs`),
      signal: driver.signal,
    });
  }
  if (step.check !== undefined) {
    const check = step.check;
    const spec = typeof check === 'object' && !Array.isArray(check) ? check : { gates: check };
    return runCheckStep({
      repoRoot: workflow.repoRoot,
      configRoot: workflow.configRoot,
      gates: spec.gates,
      ...('commit' in spec && spec.commit !== undefined ? { commit: substitute(spec.commit, context) } : {}),
      label: `${workflow.id}-${stepId}`,
      signal: driver.signal,
    });
  }
  if (step.agent !== undefined) {
    return runAgentBody({
      store: driver.store,
      ports: driver.ports,
      signal: driver.signal,
      workflowId: workflow.id,
      stepId,
      agent: step.agent,
      context,
      runId: at.runId,
      interrupted: at.interrupted,
      round: at.round,
      feedback: at.feedback,
    });
  }
  throw new StepError(`step ${stepId} has no body`);
}

/**
 * The machine condition of an `until` loop: gates or a command, never what an agent says. It judges
 * where the step's work is: for an agent step, the head of its run's branch (gates in a clean
 * checkout; a command in the run's worktree, after the agent stopped); otherwise the repository.
 * The condition may read this round's outputs as `steps.<this step>.outputs.<name>`.
 */
async function untilHolds(
  driver: WorkflowDriver,
  workflow: WorkflowRunRecord,
  stepId: string,
  until: UntilDefinition,
  context: ExpressionContext,
  round: number,
  work: { outputs: Record<string, string>; branch?: string | undefined; worktree?: string | undefined },
): Promise<{ passed: boolean; reason: string; feedback: string }> {
  const { outputs, branch } = work;
  if ('check' in until) {
    const result = await runCheckStep({
      repoRoot: workflow.repoRoot,
      configRoot: workflow.configRoot,
      gates: until.check,
      ...(branch ? { commit: branch } : {}),
      label: `${workflow.id}-${stepId}-until`,
      signal: driver.signal,
    });
    return { passed: result.passed, reason: result.reason ?? 'gates failed', feedback: result.outputs.feedback ?? '' };
  }
  const dir = workflowRunDir(workflow.configRoot, workflow.id);
  const withThisRound = { ...context, steps: { ...context.steps, [stepId]: { outcome: 'running', outputs } } };
  const resolved = substituteCommand(until.run, withThisRound);
  const result = await runShellStep({
    command: resolved.command,
    cwd: work.worktree || workflow.repoRoot,
    env: { ...resolved.env, SLUICE_WORKFLOW_ID: workflow.id, SLUICE_STEP_ROUND: String(round) },
    timeoutMs: 600_000,
    logPath: join(dir, `${stepId}-until-${round}.log`),
    outputsPath: join(dir, `${stepId}-until.outputs`),
    signal: driver.signal,
  });
  return {
    passed: result.passed,
    reason: `${until.run} ${result.reason ?? 'failed'}`,
    feedback: result.outputs.stdout ?? '',
  };
}
