import type { RunVerdict } from '../loop/run-verdicts.ts';
import type { RunStore } from '../store/run-store.ts';
import type { StepStatus } from '../store/workflow-records.ts';
import type { ModelUsage } from '../usage/model-usage.ts';

/** An agent step with its strings resolved: what `sluice run` would be given. */
export interface AgentRequest {
  /** Which workflow step and round starts the run: kept in its settings (`workflowStep`). */
  marker: string;
  goal: string;
  accept: string[];
  agent?: string;
  command?: string;
  promptVia?: string;
  model?: string;
  base?: string;
  maxIterations?: number;
  maxWallMs?: number;
  maxUsd?: number;
  maxTokens?: number;
  plan?: string;
  session?: boolean;
}

/** How an agent run of a step ended: its machine verdict, never the agent's word. */
export interface AgentRunResult {
  runId: string;
  verdict: RunVerdict;
  reason: string;
  branch: string;
  worktree: string;
  reportPath: string;
}

/**
 * What the workflow engine cannot do from the flow layer: start and resume agent runs exactly as
 * `sluice run` and `sluice resume` do (the composition root, src/cli, fills these in).
 */
export interface WorkflowPorts {
  /** Start a run; `onStarted` must be awaited with its id as soon as the run exists (before the agent acts). */
  startAgent(
    request: AgentRequest,
    signal: AbortSignal,
    onStarted: (runId: string) => Promise<void>,
  ): Promise<AgentRunResult>;
  /** Continue a run that was interrupted (or reopened with a reviewer's feedback), as `sluice resume` does. */
  resumeAgent(runId: string, signal: AbortSignal): Promise<AgentRunResult>;
  /** One turn of a reviewer agent in `cwd` (a clean checkout of the change): the text of its answer. */
  reviewTurn(request: ReviewerRequest, signal: AbortSignal): Promise<{ text: string; usage?: ModelUsage[] }>;
}

/** A reviewer agent's turn: which agent, and what it is asked where. */
export interface ReviewerRequest {
  agent?: string;
  command?: string;
  promptVia?: string;
  model?: string;
  prompt: string;
  cwd: string;
  logPath: string;
  /** The JSON Schema of the answer, for agent CLIs with a structured-output option (see AgentTurn). */
  outputSchema?: Record<string, unknown>;
}

/** What a reporter can follow of a workflow. */
export type WorkflowEvent =
  | { type: 'workflow:start'; workflowId: string; name: string; resumed: boolean }
  | { type: 'step:start'; workflowId: string; stepId: string; kind: string; round: number; attempt: number }
  | { type: 'step:finish'; workflowId: string; stepId: string; status: StepStatus; reason?: string }
  | { type: 'step:waiting'; workflowId: string; stepId: string; message?: string; material: string };

/** What drives a workflow: the store, the ports, Ctrl-C, and who follows it. */
export interface WorkflowDriver {
  store: RunStore;
  ports: WorkflowPorts;
  signal: AbortSignal;
  onEvent?: (event: WorkflowEvent) => void;
}

/** How one step ended; `waiting` names the approval steps it waits for (nested ones too). */
export interface StepResult {
  status: StepStatus;
  outputs: Record<string, string>;
  reason?: string;
  waiting?: Array<{ workflowId: string; stepId: string }>;
}
