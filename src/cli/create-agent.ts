import type { AgentAdapter } from '../agents/agent-adapter.ts';
import { ClaudeCodeAgent } from '../agents/claude-code/claude-code-agent.ts';
import { createCodexAdapter } from '../agents/codex/codex-adapter.ts';
import { CommandAgent, type PromptDelivery } from '../agents/command/command-agent.ts';
import type { AgentConfig, AgentName, PricingConfig } from '../config/run-schema.ts';
import { UsageError } from '../errors.ts';
import type { CostKnowledge } from '../loop/budgets.ts';
import {
  assertSandboxAllowed,
  expandWritablePath,
  type SandboxPolicy,
  type SandboxReport,
} from '../process/sandbox/sandbox-policy.ts';
import { type PriceOverrides, pricesFor, priceTable } from '../usage/pricing.ts';

export interface AgentChoice {
  name: AgentName;
  command?: string;
  promptVia?: PromptDelivery;
  /** The model the run asks for (flag or config). */
  model?: string;
  /** Where the agent may write (flag or config); default: auto, no extra paths. */
  sandbox?: SandboxPolicy;
}

export interface CreatedAgent {
  agent: AgentAdapter;
  cost: CostKnowledge;
}

/** The composition root for agents: flags and config name an adapter, this builds it. */
export function createAgent(
  choice: AgentChoice,
  config: AgentConfig | undefined,
  pricing?: PricingConfig,
): CreatedAgent {
  switch (choice.name) {
    case 'command': {
      const command = choice.command ?? config?.command;
      if (!command)
        throw new UsageError('the command agent needs --agent-command "<cmd>" (or agent.command in sluice.yaml)');
      const promptVia = choice.promptVia ?? config?.prompt_via ?? (command.includes('{prompt}') ? 'argument' : 'stdin');
      return {
        agent: new CommandAgent({ command, promptVia, ...(choice.sandbox ? { sandbox: choice.sandbox } : {}) }),
        cost: 'unknown',
      };
    }
    case 'codex': {
      const prices = priceTable(priceOverrides(pricing));
      const model = choice.model ?? config?.model;
      return {
        agent: createCodexAdapter({
          ...(config?.model ? { model: config.model } : {}),
          ...(config?.base_url
            ? {
                provider: {
                  name: 'sluice',
                  baseUrl: config.base_url,
                  envKey: config.api_key_env ?? 'OPENAI_API_KEY',
                  wireApi: 'responses',
                },
              }
            : {}),
          prices,
          ...(choice.sandbox ? { sandbox: choice.sandbox } : {}),
        }),
        // Codex reports no cost: it is known only for a model the pricing table (or sluice.yaml) prices.
        cost: model !== undefined && pricesFor(model, prices) ? 'priced' : 'unknown',
      };
    }
    case 'claude-code':
      return {
        agent: new ClaudeCodeAgent({
          ...(config?.base_url ? { env: { ANTHROPIC_BASE_URL: config.base_url } } : {}),
          // For the cost of a turn in progress: Claude Code reports its own only when the turn ends.
          prices: priceTable(priceOverrides(pricing)),
          ...(choice.sandbox ? { sandbox: choice.sandbox } : {}),
        }),
        // Claude Code reports what each turn cost; for a model neither it nor the price table can price
        // the cost is null and fails closed.
        cost: 'reported',
      };
  }
}

/** `agent.sandbox` and `agent.sandbox_writable` of sluice.yaml, `mode` (the --sandbox flag) winning. */
export function sandboxPolicyOf(config: AgentConfig | undefined, mode?: SandboxPolicy['mode']): SandboxPolicy {
  return {
    mode: mode ?? config?.sandbox ?? 'auto',
    writablePaths: (config?.sandbox_writable ?? []).map(expandWritablePath),
  };
}

/** sluice.yaml's pricing (snake_case, USD per million tokens) as the pricing table's overrides. */
function priceOverrides(pricing: PricingConfig | undefined): PriceOverrides {
  return Object.fromEntries(
    Object.entries(pricing ?? {}).map(([model, prices]) => [
      model,
      {
        input: prices.input,
        output: prices.output,
        ...(prices.cache_read !== undefined ? { cacheRead: prices.cache_read } : {}),
        ...(prices.cache_write !== undefined ? { cacheWrite: prices.cache_write } : {}),
      },
    ]),
  );
}

/** The agent a recorded run was driven by, built again (for resume), its command overridable. */
export function agentOfRun(
  run: { agent: string; options: object },
  config: { agent?: AgentConfig; pricing?: PricingConfig },
  commandOverride?: string,
): AgentAdapter {
  const invocation = (run.options as { agentInvocation?: { command?: string; promptVia?: PromptDelivery } })
    .agentInvocation;
  const command = commandOverride ?? invocation?.command;
  const sandbox = sandboxPolicyOf(config.agent, (run.options as { sandboxMode?: SandboxPolicy['mode'] }).sandboxMode);
  const { agent } = createAgent(
    {
      name: run.agent as AgentName,
      ...(command ? { command } : {}),
      ...(invocation?.promptVia ? { promptVia: invocation.promptVia } : {}),
      sandbox,
    },
    config.agent,
    config.pricing,
  );
  // A resumed run is held to `agent.sandbox: required` as a new one is.
  assertSandboxAllowed(sandbox, agent.sandboxReport?.() ?? unsandboxable, run.agent);
  return agent;
}

const unsandboxable: SandboxReport = { kind: 'none', description: 'not sandboxed: this agent has no sandbox' };
