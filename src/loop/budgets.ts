import { addUsage, type ModelUsage, totalTokens } from '../usage/model-usage.ts';

export interface Budgets {
  maxIterations: number;
  maxWallMs?: number;
  maxUsd?: number;
  maxTokens?: number;
}

export const defaultBudgets: Budgets = { maxIterations: 10 };

/** What a run has spent so far (including a turn in progress). */
export interface Spent {
  iterations: number;
  wallMs: number;
  usage: ModelUsage[];
}

/** Whether an agent can say what a turn cost: always (Claude Code), only for priced models, or unknowable. */
export type CostKnowledge = 'reported' | 'priced' | 'unknown';

/** Refuse at start a USD budget that cannot be kept (unknown cost) unless a token budget backs it. */
export function refuseBudgets(budgets: Budgets, cost: CostKnowledge): string | undefined {
  if (budgets.maxUsd === undefined || budgets.maxTokens !== undefined || cost !== 'unknown') return undefined;
  return "a USD budget needs a known cost, and this agent's cannot be known (it reports none, or its model has no price). Add a token budget (--max-tokens), price the model under pricing: in sluice.yaml, or drop --max-usd";
}

/** Sum usage per model. */
export function totalsByModel(usages: ModelUsage[]): ModelUsage[] {
  const byModel = new Map<string, ModelUsage>();
  for (const usage of usages) {
    const known = byModel.get(usage.model);
    byModel.set(usage.model, known ? addUsage(known, usage) : usage);
  }
  return [...byModel.values()];
}

/**
 * Why the run must stop spending, or undefined while it may go on. Fails closed: with a USD budget
 * and no token budget, a model of unknown cost stops the run.
 */
export function budgetStop(
  spent: Spent,
  budgets: Budgets,
  { beforeIteration, costPending = false }: { beforeIteration: boolean; costPending?: boolean },
): string | undefined {
  if (beforeIteration && spent.iterations >= budgets.maxIterations) {
    return `reached the limit of ${budgets.maxIterations} iterations`;
  }
  if (budgets.maxWallMs !== undefined && spent.wallMs >= budgets.maxWallMs) {
    return `reached the wall-time limit of ${Math.round(budgets.maxWallMs / 1000)}s`;
  }
  const tokens = spent.usage.reduce((sum, usage) => sum + totalTokens(usage), 0);
  if (budgets.maxTokens !== undefined && tokens >= budgets.maxTokens) {
    return `used ${tokens} tokens of a ${budgets.maxTokens}-token budget`;
  }
  if (budgets.maxUsd !== undefined) {
    const unknown = spent.usage.find((usage) => usage.costUsd === null);
    // An agent that reports its cost at the end of a turn may not know it mid-turn: that is judged after the turn.
    if (unknown && budgets.maxTokens === undefined && !costPending) {
      return `the cost of model ${unknown.model} is unknown, so the USD budget cannot be kept (add it to the pricing table or give a token budget)`;
    }
    const usd = spent.usage.reduce((sum, usage) => sum + (usage.costUsd ?? 0), 0);
    if (usd >= budgets.maxUsd) return `spent $${usd.toFixed(2)} of a $${budgets.maxUsd.toFixed(2)} budget`;
  }
  return undefined;
}
