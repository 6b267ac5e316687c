/** Tokens, cost and API time one model spent; the unit every receipt is built from. */
export interface ModelUsage {
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** USD; null when unknown (a model missing from the pricing table) — never guessed as 0. */
  costUsd: number | null;
  /** Time spent waiting on the model's API, when the agent reports it. */
  apiMs: number;
  /** Model turns (requests) in this agent run. */
  turns: number;
}

/** A zero usage for `model`, to add to. */
export function emptyUsage(model: string): ModelUsage {
  return {
    model,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0,
    apiMs: 0,
    turns: 0,
  };
}

/** Sum two usages of the same model; an unknown cost stays unknown. */
export function addUsage(a: ModelUsage, b: ModelUsage): ModelUsage {
  return {
    model: a.model,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    costUsd: a.costUsd === null || b.costUsd === null ? null : a.costUsd + b.costUsd,
    apiMs: a.apiMs + b.apiMs,
    turns: a.turns + b.turns,
  };
}

/** Total tokens of every kind, for token budgets. */
export function totalTokens(usage: ModelUsage): number {
  return usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
}
