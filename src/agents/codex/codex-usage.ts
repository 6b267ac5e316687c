import type { UnpricedUsage } from '../../usage/pricing.ts';
import type { CodexTokenUsage } from './codex-events.ts';

/** No tokens yet. */
export const noCodexTokens: CodexTokenUsage = {
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteInputTokens: 0,
  outputTokens: 0,
  reasoningOutputTokens: 0,
};

/** Add two Codex token counts. */
export function addCodexTokens(a: CodexTokenUsage, b: CodexTokenUsage): CodexTokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    cacheWriteInputTokens: a.cacheWriteInputTokens + b.cacheWriteInputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningOutputTokens: a.reasoningOutputTokens + b.reasoningOutputTokens,
  };
}

/** What `after` adds to `before` (both running totals of one thread); never below zero. */
export function codexTokensSince(after: CodexTokenUsage, before: CodexTokenUsage): CodexTokenUsage {
  const since = (key: keyof CodexTokenUsage) => Math.max(0, after[key] - before[key]);
  return {
    inputTokens: since('inputTokens'),
    cachedInputTokens: since('cachedInputTokens'),
    cacheWriteInputTokens: since('cacheWriteInputTokens'),
    outputTokens: since('outputTokens'),
    reasoningOutputTokens: since('reasoningOutputTokens'),
  };
}

/** All tokens of every kind, to compare two readings of the same usage. */
export function codexTokenTotal(usage: CodexTokenUsage): number {
  return usage.inputTokens + usage.outputTokens;
}

/**
 * Sluice's usage kinds from Codex's counts, so that the kinds add up without counting a token twice.
 * In the Responses API `input_tokens` includes the cached tokens (`input_tokens_details.cached_tokens`, which Codex
 * reports as `cached_input_tokens`), and the cache-written ones are a part of it in the same way. So `inputTokens`
 * keeps only the uncached rest, `cacheReadTokens` the cached part, `cacheWriteTokens` the written part.
 * `output_tokens` already includes the reasoning tokens, which are billed as output.
 */
export function toModelUsage(model: string, tokens: CodexTokenUsage, turns: number): UnpricedUsage {
  const cacheReadTokens = Math.min(tokens.cachedInputTokens, tokens.inputTokens);
  const cacheWriteTokens = Math.min(tokens.cacheWriteInputTokens, tokens.inputTokens - cacheReadTokens);
  return {
    model,
    inputTokens: tokens.inputTokens - cacheReadTokens - cacheWriteTokens,
    outputTokens: tokens.outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    apiMs: 0, // codex exec reports no API time
    turns,
  };
}
