import { ConfigError } from '../errors.ts';
import type { ModelUsage } from './model-usage.ts';
import { builtInPrices, type Prices } from './pricing-table.ts';

export type { Prices } from './pricing-table.ts';

/** Prices by model id. */
export type PriceTable = Readonly<Record<string, Prices>>;

/** Prices from config, by model id; a known model may name only the prices that differ. */
export type PriceOverrides = Readonly<Record<string, Partial<Prices>>>;

/** Usage before it is priced. */
export type UnpricedUsage = Omit<ModelUsage, 'costUsd'>;

const priceKinds = ['input', 'cacheRead', 'cacheWrite', 'output'] as const;
const datedSuffix = /-(\d{4}-\d{2}-\d{2}|\d{8})$/;

/** The model id without a release-date suffix: `gpt-5-2025-08-07` -> `gpt-5`, `claude-sonnet-4-5-20250929` -> `claude-sonnet-4-5`. */
export function baseModelId(model: string): string {
  return model.replace(datedSuffix, '');
}

/** The built-in prices with config overrides laid over them; an override for a new model needs input and output. */
export function priceTable(overrides: PriceOverrides = {}, base: PriceTable = builtInPrices): PriceTable {
  const table: Record<string, Prices> = { ...base };
  for (const [model, override] of Object.entries(overrides)) {
    checkOverride(model, override);
    const known = table[model] ?? table[baseModelId(model)];
    if (known) {
      table[model] = { ...known, ...definedPrices(override) };
      continue;
    }
    const { input, output } = override;
    if (input === undefined || output === undefined) {
      throw new ConfigError(`prices for model "${model}": a model without built-in prices needs input and output`);
    }
    // Without a separate price, cached and cache-written tokens are billed as plain input: never cheaper than known.
    table[model] = { input, output, cacheRead: override.cacheRead ?? input, cacheWrite: override.cacheWrite ?? input };
  }
  return table;
}

/** The prices of `model`: its exact id first, then its id without a date suffix; undefined when unknown. */
export function pricesFor(model: string, table: PriceTable = builtInPrices): Prices | undefined {
  return table[model] ?? table[baseModelId(model)];
}

/** USD that `usage` costs at `prices`; null when the prices are unknown, never a guessed 0. */
export function costOf(usage: UnpricedUsage, prices: Prices | undefined): number | null {
  if (!prices) return null;
  const microDollars =
    usage.inputTokens * prices.input +
    usage.cacheReadTokens * prices.cacheRead +
    usage.cacheWriteTokens * prices.cacheWrite +
    usage.outputTokens * prices.output;
  return microDollars / 1_000_000;
}

/** `usage` with its cost filled in from `table` (null for a model the table does not know). */
export function withCost(usage: UnpricedUsage, table: PriceTable = builtInPrices): ModelUsage {
  return { ...usage, costUsd: costOf(usage, pricesFor(usage.model, table)) };
}

function checkOverride(model: string, override: Partial<Prices>): void {
  for (const kind of priceKinds) {
    const value = override[kind];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new ConfigError(`prices for model "${model}": ${kind} must be a number >= 0, got ${String(value)}`);
    }
  }
}

function definedPrices(override: Partial<Prices>): Partial<Prices> {
  return Object.fromEntries(Object.entries(override).filter(([, value]) => value !== undefined));
}
