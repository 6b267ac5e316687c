import { addUsage, type ModelUsage } from '../usage/model-usage.ts';

/**
 * What a review step's reviewer turns spent, summed per model, for `sluice workflow show`: the step's
 * outputs (`reviewer_*`), committed after every turn, so a resumed step adds to it instead of starting
 * from nothing. (The store's usage rows of each turn go with the reviewed run: `recordReviewerUsage`.)
 */
export class ReviewerUsage {
  readonly #byModel = new Map<string, ModelUsage>();

  /** The usage a step recorded before (empty for a new step). */
  static fromOutputs(outputs: Record<string, string> | undefined): ReviewerUsage {
    const usage = new ReviewerUsage();
    try {
      const recorded = JSON.parse(outputs?.reviewer_usage ?? '[]') as ModelUsage[];
      if (Array.isArray(recorded)) usage.add(recorded);
    } catch {
      // An output a hand edited is no usage: start from nothing rather than fail the review.
    }
    return usage;
  }

  add(usage: readonly ModelUsage[]): void {
    for (const entry of usage) {
      const before = this.#byModel.get(entry.model);
      this.#byModel.set(entry.model, before ? addUsage(before, entry) : { ...entry });
    }
  }

  get entries(): ModelUsage[] {
    return [...this.#byModel.values()];
  }

  /** The step outputs: per-model JSON, and the totals (cost `unknown` when a model has no price). */
  outputs(): Record<string, string> {
    const entries = this.entries;
    const sum = (pick: (usage: ModelUsage) => number) => String(entries.reduce((total, u) => total + pick(u), 0));
    const known = entries.every((entry) => entry.costUsd !== null);
    const cost = entries.reduce((total, entry) => total + (entry.costUsd ?? 0), 0);
    return {
      reviewer_usage: JSON.stringify(entries),
      reviewer_tokens: sum((u) => u.inputTokens + u.outputTokens),
      reviewer_input_tokens: sum((u) => u.inputTokens),
      reviewer_output_tokens: sum((u) => u.outputTokens),
      reviewer_cache_read_tokens: sum((u) => u.cacheReadTokens),
      reviewer_cache_write_tokens: sum((u) => u.cacheWriteTokens),
      reviewer_cost_usd: known ? cost.toFixed(4) : 'unknown',
      reviewer_api_ms: sum((u) => u.apiMs),
      reviewer_turns: sum((u) => u.turns),
    };
  }
}
