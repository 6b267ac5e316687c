import { z } from 'zod';
import type { ModelUsage } from '../../usage/model-usage.ts';

const usageLineSchema = z.object({
  model: z.string().min(1),
  input_tokens: z.number().int().min(0).default(0),
  output_tokens: z.number().int().min(0).default(0),
  cache_read_tokens: z.number().int().min(0).default(0),
  cache_write_tokens: z.number().int().min(0).default(0),
  cost_usd: z.number().min(0).nullable().default(null),
  api_ms: z.number().min(0).default(0),
  turns: z.number().int().min(0).default(1),
});

const prefix = 'SLUICE_USAGE ';

/**
 * A command agent's running usage total for one model, from a line such as
 * `SLUICE_USAGE {"model":"m","input_tokens":10,"output_tokens":5,"cost_usd":0.01}`; other lines give undefined.
 */
export function parseUsageLine(line: string): ModelUsage | undefined {
  if (!line.startsWith(prefix)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line.slice(prefix.length));
  } catch {
    return undefined;
  }
  const parsed = usageLineSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const value = parsed.data;
  return {
    model: value.model,
    inputTokens: value.input_tokens,
    outputTokens: value.output_tokens,
    cacheReadTokens: value.cache_read_tokens,
    cacheWriteTokens: value.cache_write_tokens,
    costUsd: value.cost_usd,
    apiMs: value.api_ms,
    turns: value.turns,
  };
}
