import type { ClaudeModelUsage, ClaudeResultEvent } from './stream-events.ts';

/** Tokens and cost one model spent in one Claude Code process, as Claude Code counted them. */
export interface ReportedModelUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** null when Claude Code had no price for the model (its number is then a guess). */
  costUsd: number | null;
}

/**
 * Per-model usage of this process from its result events. A process can print several results
 * (Claude Code wakes the model again when a background command ends), and each result's
 * `modelUsage` totals the whole session, earlier `--resume`d runs included; so the run is the sum
 * of each result's `model_usage_since_last_result`, falling back to the last `modelUsage` for a
 * CLI that does not report it.
 */
export function reportedRunUsage(results: ClaudeResultEvent[]): Map<string, ReportedModelUsage> {
  const sinceLast = results.map((result) => result.model_usage_since_last_result);
  const parts = sinceLast.every((part) => part !== undefined) ? sinceLast : [results.at(-1)?.modelUsage ?? {}];
  const byModel = new Map<string, ReportedModelUsage>();
  for (const part of parts) {
    for (const [model, usage] of Object.entries(part)) {
      const known = byModel.get(model);
      const cost = reportedCost(usage);
      byModel.set(model, {
        inputTokens: (known?.inputTokens ?? 0) + usage.inputTokens,
        outputTokens: (known?.outputTokens ?? 0) + usage.outputTokens,
        cacheReadTokens: (known?.cacheReadTokens ?? 0) + usage.cacheReadInputTokens,
        cacheWriteTokens: (known?.cacheWriteTokens ?? 0) + usage.cacheCreationInputTokens,
        costUsd: known?.costUsd === null || cost === null ? null : (known?.costUsd ?? 0) + cost,
      });
    }
  }
  return byModel;
}

function reportedCost(usage: ClaudeModelUsage): number | null {
  // Claude Code still prints a number for a model it has no price for; that number is a guess.
  if (usage.costBasis === 'unknown') return null;
  return usage.costUSD ?? null;
}
