import type { AgentAdapter } from '../agents/agent-adapter.ts';
import { CommandAgent, type PromptDelivery } from '../agents/command/command-agent.ts';
import type { AgentConfig, AgentName } from '../config/run-schema.ts';
import { UsageError } from '../errors.ts';
import type { CostKnowledge } from '../loop/budgets.ts';

export interface AgentChoice {
  name: AgentName;
  command?: string;
  promptVia?: PromptDelivery;
}

export interface CreatedAgent {
  agent: AgentAdapter;
  cost: CostKnowledge;
}

/** The composition root for agents: flags and config name an adapter, this builds it. */
export function createAgent(choice: AgentChoice, config: AgentConfig | undefined): CreatedAgent {
  switch (choice.name) {
    case 'command': {
      const command = choice.command ?? config?.command;
      if (!command)
        throw new UsageError('the command agent needs --agent-command "<cmd>" (or agent.command in sluice.yaml)');
      const promptVia = choice.promptVia ?? config?.prompt_via ?? (command.includes('{prompt}') ? 'argument' : 'stdin');
      return { agent: new CommandAgent({ command, promptVia }), cost: 'unknown' };
    }
    case 'claude-code':
    case 'codex':
      throw new UsageError(`the ${choice.name} adapter is not wired into "sluice run" yet; use --agent command`);
  }
}
