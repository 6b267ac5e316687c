import { join } from 'node:path';
import { SluiceError } from '../errors.ts';
import { runDirOf } from '../loop/drive-run.ts';
import { runSettingsOf } from '../loop/resume-run.ts';
import type { RunRecord } from '../store/run-records.ts';
import type { RunStore } from '../store/run-store.ts';
import { type ExpressionContext, plainWord, substitute } from './expressions.ts';
import type { AgentRequest, AgentRunResult, WorkflowPorts } from './workflow-ports.ts';
import type { AgentStepDefinition } from './workflow-schema.ts';

export interface AgentBodyInput {
  store: RunStore;
  ports: WorkflowPorts;
  signal: AbortSignal;
  workflowId: string;
  stepId: string;
  agent: AgentStepDefinition;
  context: ExpressionContext;
  /** The run this step started before Sluice was stopped: resumed (or read, when it ended), never started twice. */
  runId: string | undefined;
  /** Sluice was stopped while this step ran: a run it started may exist though its id was not recorded yet. */
  interrupted: boolean;
  round: number;
  /** Why the last round of an `until` loop did not end it: handed to the new run with its goal. */
  feedback: string;
  /** Acceptance commands added as they are (a for_each item's own, from a file a human approved). */
  extraAccept?: string[];
}

/**
 * An agent step: a run exactly like `sluice run`, whose id is committed to the step the moment it
 * exists. It passes only on the run's machine verdict, `done`.
 */
export async function runAgentBody(
  input: AgentBodyInput,
): Promise<{ passed: boolean; outputs: Record<string, string>; reason?: string }> {
  let result: AgentRunResult;
  const marker = `${input.workflowId}/${input.stepId}#${input.round}`;
  try {
    const existing = input.runId
      ? await input.store.getRun(input.runId)
      : input.interrupted
        ? await runStartedBy(input.store, marker)
        : undefined;
    if (existing && !input.runId) {
      await input.store.workflows.updateStep(input.workflowId, input.stepId, { runId: existing.id });
    }
    if (existing && existing.status !== 'running') result = endedRun(existing);
    else if (existing) result = await resumeOrRestart(input, existing.id, marker);
    else result = await startAgent(input, marker);
  } catch (error) {
    if (!(error instanceof SluiceError)) throw error;
    return { passed: false, outputs: {}, reason: error.message };
  }
  const outputs = {
    run_id: result.runId,
    verdict: result.verdict,
    reason: result.reason,
    branch: result.branch,
    worktree: result.worktree,
    report: result.reportPath,
  };
  if (result.verdict === 'done') return { passed: true, outputs };
  if (result.verdict === 'cancelled') return { passed: false, outputs, reason: 'cancelled' };
  return { passed: false, outputs, reason: `run ${result.runId} ended ${result.verdict}: ${result.reason}` };
}

function startAgent(input: AgentBodyInput, marker: string): Promise<AgentRunResult> {
  return input.ports.startAgent(agentRequest(input, marker), input.signal, (runId) =>
    input.store.workflows.updateStep(input.workflowId, input.stepId, { runId }),
  );
}

/**
 * Continue the step's run. One that Sluice was killed in before its worktree existed has done
 * nothing: it is ended as failed, and the step starts a run afresh.
 */
async function resumeOrRestart(input: AgentBodyInput, runId: string, marker: string): Promise<AgentRunResult> {
  try {
    return await input.ports.resumeAgent(runId, input.signal);
  } catch (error) {
    if (!(error instanceof SluiceError) || error.code !== 'RUN_WORKTREE_MISSING') throw error;
    await input.store.finishRun(runId, { status: 'failed', reason: 'Sluice stopped before its worktree existed' });
    return startAgent(input, marker);
  }
}

/** The newest run a workflow step's round started (found by the marker in its settings). */
async function runStartedBy(store: RunStore, marker: string): Promise<RunRecord | undefined> {
  return (await store.listRuns()).find((run) => runSettingsOf(run).workflowStep === marker);
}

function agentRequest(input: AgentBodyInput, marker: string): AgentRequest {
  const { agent, context } = input;
  const text = (value: string) => substitute(value, context);
  const command = (value: string) => substitute(value, context, plainWord);
  const goal = text(agent.goal);
  return {
    marker,
    goal: input.feedback
      ? `${goal}\n\nThe previous round of this step did not meet its condition:\n${input.feedback}`
      : goal,
    accept: [...agent.accept.map(command), ...(input.extraAccept ?? [])],
    ...(agent.agent ? { agent: agent.agent } : {}),
    ...(agent.command ? { command: command(agent.command) } : {}),
    ...(agent.prompt_via ? { promptVia: agent.prompt_via } : {}),
    ...(agent.model ? { model: text(agent.model) } : {}),
    ...(agent.base ? { base: text(agent.base) } : {}),
    ...(agent.max_iterations ? { maxIterations: agent.max_iterations } : {}),
    ...(agent.max_time ? { maxWallMs: agent.max_time } : {}),
    ...(agent.max_usd ? { maxUsd: agent.max_usd } : {}),
    ...(agent.max_tokens ? { maxTokens: agent.max_tokens } : {}),
    ...(agent.plan ? { plan: text(agent.plan) } : {}),
    ...(agent.session ? { session: true } : {}),
  };
}

/** A run that ended before its step's result was recorded (Sluice died in between). */
function endedRun(run: RunRecord): AgentRunResult {
  const configDir = runSettingsOf(run).configDir;
  return {
    runId: run.id,
    verdict: run.status === 'running' ? 'failed' : run.status,
    reason: run.reason ?? run.status,
    branch: run.branch,
    worktree: run.worktreePath,
    reportPath: join(runDirOf(run, configDir), 'evidence.md'),
  };
}
