import type { AgentAdapter } from '../agents/agent-adapter.ts';
import { CommandAgent, type PromptDelivery } from '../agents/command/command-agent.ts';
import { type AgentName, agentNames, sandboxModeNames } from '../config/run-schema.ts';
import type { SluiceConfig } from '../config/schema.ts';
import { UsageError } from '../errors.ts';
import { type CostKnowledge, defaultBudgets } from '../loop/budgets.ts';
import type { RunSettings } from '../loop/drive-run.ts';
import { defaultStallLimits } from '../loop/stall-detector.ts';
import { assertSandboxAllowed, type SandboxMode, type SandboxReport } from '../process/sandbox/sandbox-policy.ts';
import { createAgent, sandboxPolicyOf } from './create-agent.ts';

/** What flags may set over sluice.yaml for a run. */
export interface RunOverrides {
  agent?: string;
  agentCommand?: string;
  promptVia?: string;
  model?: string;
  accept?: string[];
  maxIterations?: number;
  maxWallMs?: number;
  maxUsd?: number;
  maxTokens?: number;
  turnTimeoutMs?: number;
  planFile?: string;
  keepSession?: boolean;
  /** `--sandbox`: auto | required | off, over `agent.sandbox`. */
  sandbox?: string;
}

export interface PreparedRun {
  agent: AgentAdapter;
  agentCost: CostKnowledge;
  model?: string;
  agentEnv: Record<string, string>;
  settings: Omit<RunSettings, 'configFile' | 'configDir'>;
  /** Which sandbox will confine the agent's writes, or `none` and why: say it in the run's evidence. */
  sandbox: SandboxReport;
}

/** The agent and the settings of a run, from the base config with the flags on top. */
export function prepareRun(config: SluiceConfig, overrides: RunOverrides = {}): PreparedRun {
  const agentName = (overrides.agent ?? config.agent?.name ?? 'claude-code') as AgentName;
  if (!agentNames.includes(agentName)) throw new UsageError(`--agent must be one of ${agentNames.join(', ')}`);
  const promptVia = overrides.promptVia;
  if (promptVia !== undefined && !['argument', 'stdin', 'file'].includes(promptVia)) {
    throw new UsageError('--prompt-via must be argument, stdin or file');
  }
  const sandboxMode = overrides.sandbox;
  if (sandboxMode !== undefined && !(sandboxModeNames as readonly string[]).includes(sandboxMode)) {
    throw new UsageError(`--sandbox must be one of ${sandboxModeNames.join(', ')}`);
  }
  const sandbox = sandboxPolicyOf(config.agent, sandboxMode as SandboxMode | undefined);
  const model = overrides.model ?? config.agent?.model;
  const { agent, cost } = createAgent(
    {
      name: agentName,
      ...(overrides.agentCommand ? { command: overrides.agentCommand } : {}),
      ...(promptVia ? { promptVia: promptVia as PromptDelivery } : {}),
      ...(model ? { model } : {}),
      sandbox,
    },
    config.agent,
    config.pricing,
  );
  // Asked before the run exists: `required` refuses to start rather than run an agent unconfined.
  const sandboxReport = agent.sandboxReport?.() ?? {
    kind: 'none',
    description: 'not sandboxed: this agent has no sandbox',
  };
  assertSandboxAllowed(sandbox, sandboxReport, agentName);
  const budgets = config.budgets;
  const maxWallMs = overrides.maxWallMs ?? budgets?.max_time;
  const maxUsd = overrides.maxUsd ?? budgets?.max_usd;
  const maxTokens = overrides.maxTokens ?? budgets?.max_tokens;
  return {
    agent,
    agentCost: cost,
    ...(model ? { model } : {}),
    agentEnv: config.agent?.env ?? {},
    sandbox: sandboxReport,
    settings: {
      ...(agent instanceof CommandAgent
        ? { agentInvocation: { command: overrides.agentCommand ?? config.agent?.command, promptVia: agent.promptVia } }
        : {}),
      acceptance: [...config.acceptance, ...(overrides.accept ?? [])],
      // `--sandbox` is part of how the run is driven: a resume is confined the same way.
      ...(sandboxMode ? { sandboxMode: sandboxMode as SandboxMode } : {}),
      ...(overrides.planFile ? { planFile: overrides.planFile } : {}),
      ...(overrides.keepSession ? { keepSession: true } : {}),
      budgets: {
        maxIterations: overrides.maxIterations ?? budgets?.max_iterations ?? defaultBudgets.maxIterations,
        ...(maxWallMs !== undefined ? { maxWallMs } : {}),
        ...(maxUsd !== undefined ? { maxUsd } : {}),
        ...(maxTokens !== undefined ? { maxTokens } : {}),
      },
      stall: {
        sameFailure: config.stall?.same_failure ?? defaultStallLimits.sameFailure,
        noDiff: config.stall?.no_diff ?? defaultStallLimits.noDiff,
      },
      turnTimeoutMs: overrides.turnTimeoutMs ?? config.agent?.turn_timeout ?? 1_800_000,
    },
  };
}
