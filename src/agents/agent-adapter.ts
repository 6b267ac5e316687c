import type { SandboxReport } from '../process/sandbox/sandbox-policy.ts';
import type { ModelUsage } from '../usage/model-usage.ts';

/** One agent turn: a prompt, in a worktree, with a time limit. */
export interface AgentTurn {
  prompt: string;
  /** The run's worktree; the agent edits files here. */
  cwd: string;
  /** Where the agent's full output (its event stream) is kept. */
  logPath: string;
  timeoutMs: number;
  /** Model to ask for, when the agent takes one. */
  model?: string;
  /** Continue this agent session instead of a fresh context (Claude Code `--resume`). */
  sessionId?: string;
  /** Extra environment (API endpoints, config dirs) on top of Sluice's own. */
  env?: Record<string, string>;
  /** Aborting kills the agent's process group: Ctrl-C, or a budget overrun seen mid-turn. */
  signal?: AbortSignal;
  /**
   * A command to run whenever the agent tries to stop (Claude Code's Stop hook): exit 2 and its stderr
   * send the agent back to work. Adapters without hooks ignore it; the loop's own check still judges.
   */
  stopHookCommand?: string;
  /**
   * A command to run before each tool call (Claude Code's PreToolUse hook): exit 2 and its stderr deny
   * the call. Sluice's refuses writes to protected files. Adapters without hooks ignore it.
   */
  preToolUseCommand?: string;
  /**
   * A JSON Schema the agent's final answer must follow, handed to CLIs that have a structured-output
   * option (Codex `--output-schema`, Claude Code `--json-schema`); others ignore it. The caller still
   * validates the answer: a CLI's option is a help, never the judge.
   */
  outputSchema?: Record<string, unknown>;
  /** Called when the agent's process group exists, so it can be recorded and reaped after a crash. */
  onProcessStart?: (group: { pgid: number; startTime: string | undefined }) => void;
  /** Called whenever the running usage total changes, so budgets can stop a turn that overruns. */
  onUsage?: (usage: ModelUsage[]) => void;
}

export const agentTurnStatuses = ['finished', 'failed', 'timed-out', 'killed'] as const;
export type AgentTurnStatus = (typeof agentTurnStatuses)[number];

/** What one turn did. `finished` only means the agent process ended well — never that the work is done. */
export interface AgentTurnResult {
  status: AgentTurnStatus;
  exitCode?: number;
  /** One entry per model the agent used. */
  usage: ModelUsage[];
  /** The agent's session, to continue it (when it has one). */
  sessionId?: string;
  /** The agent's last message, for the evidence report only: it decides nothing. */
  finalMessage?: string;
  /** Why it failed or was killed, in one line. */
  reason?: string;
  durationMs: number;
  /** Which sandbox confined this turn's writes, or `none` and why: for the evidence, in plain words. */
  sandbox?: SandboxReport;
}

/** One adapter per agent CLI: builds the exact argv and env, streams and parses its events. */
export interface AgentAdapter {
  readonly name: string;
  runTurn(turn: AgentTurn): Promise<AgentTurnResult>;
  /**
   * The sandbox its turns will run in on this machine, known before any turn runs: a run with
   * `agent.sandbox: required` refuses to start on `none`, and the evidence names it.
   */
  sandboxReport?(): SandboxReport;
}
