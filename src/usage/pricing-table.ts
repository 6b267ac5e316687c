/** USD per million tokens of each kind. */
export interface Prices {
  /** Uncached input. */
  input: number;
  /** Input read from the prompt cache (OpenAI "cached input", Anthropic "cache hits"). */
  cacheRead: number;
  /** Input written to the prompt cache. */
  cacheWrite: number;
  output: number;
}

/*
 * List prices, USD per million tokens, standard tier (no batch, flex or priority), checked 2026-11-24.
 *
 * OpenAI — https://developers.openai.com/api/docs/models/<model> (gpt-5, gpt-5-codex, gpt-5-mini, gpt-5-nano,
 * codex-mini-latest, gpt-5.4, gpt-5.4-mini, gpt-5.5) and https://developers.openai.com/api/docs/pricing;
 * gpt-5.2, gpt-5.2-codex, gpt-5.3-codex and gpt-4.1 as GitHub's docs table repeats them
 * (github/docs data/tables/copilot/models-and-pricing.yml). OpenAI bills no cache write: a token written to the
 * cache is billed as ordinary input, so `cacheWrite` equals `input` there.
 *
 * Anthropic — https://platform.claude.com/docs/en/about-claude/pricing and the model overview pages
 * (platform.claude.com/docs/en/models/<model>/overview). `cacheWrite` is the default 5-minute cache write
 * (1.25 x input); 1-hour writes cost 2 x input and are not told apart in the usage the agents report.
 *
 * Left out on purpose (conflicting or unofficial figures, or prices that depend on prompt length): gpt-5.6-*,
 * gpt-6-*, claude-sonnet-5-5, claude-haiku-5-5, claude-opus-5-5, claude-fable-*, claude-mythos-*. Their cost is
 * unknown (null) until a config override names their prices.
 */

const openai = (input: number, cacheRead: number, output: number): Prices => ({
  input,
  cacheRead,
  cacheWrite: input,
  output,
});

// Anthropic's cache multipliers are fixed: read 0.1 x input, 5-minute write 1.25 x input.
const anthropic = (input: number, output: number): Prices => ({
  input,
  cacheRead: round(input * 0.1),
  cacheWrite: round(input * 1.25),
  output,
});

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Built-in prices by base model id (no dated suffix). */
export const builtInPrices: Readonly<Record<string, Prices>> = {
  // OpenAI
  'gpt-5.5': openai(5, 0.5, 30),
  'gpt-5.4': openai(2.5, 0.25, 15),
  'gpt-5.4-mini': openai(0.75, 0.075, 4.5),
  'gpt-5.4-nano': openai(0.2, 0.02, 1.25),
  'gpt-5.3-codex': openai(1.75, 0.175, 14),
  'gpt-5.2': openai(1.75, 0.175, 14),
  'gpt-5.2-codex': openai(1.75, 0.175, 14),
  'gpt-5.1': openai(1.25, 0.125, 10),
  'gpt-5.1-codex': openai(1.25, 0.125, 10),
  'gpt-5.1-codex-max': openai(1.25, 0.125, 10),
  'gpt-5.1-codex-mini': openai(0.25, 0.025, 2),
  'gpt-5': openai(1.25, 0.125, 10),
  'gpt-5-codex': openai(1.25, 0.125, 10),
  'gpt-5-mini': openai(0.25, 0.025, 2),
  'gpt-5-nano': openai(0.05, 0.005, 0.4),
  'codex-mini-latest': openai(1.5, 0.375, 6),
  'gpt-4.1': openai(2, 0.5, 8),
  // Anthropic
  'claude-opus-5': anthropic(5, 25),
  'claude-opus-4-8': anthropic(5, 25),
  'claude-opus-4-7': anthropic(5, 25),
  'claude-opus-4-6': anthropic(5, 25),
  'claude-opus-4-5': anthropic(5, 25),
  'claude-opus-4-1': anthropic(15, 75),
  'claude-opus-4': anthropic(15, 75),
  'claude-sonnet-5': anthropic(2, 10),
  'claude-sonnet-4-6': anthropic(3, 15),
  'claude-sonnet-4-5': anthropic(3, 15),
  'claude-sonnet-4': anthropic(3, 15),
  'claude-3-7-sonnet': anthropic(3, 15),
  'claude-haiku-4-5': anthropic(1, 5),
  'claude-3-5-haiku': anthropic(0.8, 4),
};
