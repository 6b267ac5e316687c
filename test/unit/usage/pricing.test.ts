import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.ts';
import {
  baseModelId,
  costOf,
  type PriceTable,
  pricesFor,
  priceTable,
  type UnpricedUsage,
  withCost,
} from '../../../src/usage/pricing.ts';
import { builtInPrices } from '../../../src/usage/pricing-table.ts';

const usage = (model: string, tokens: Partial<UnpricedUsage> = {}): UnpricedUsage => ({
  model,
  inputTokens: 1_000_000,
  cacheReadTokens: 2_000_000,
  cacheWriteTokens: 0,
  outputTokens: 100_000,
  apiMs: 0,
  turns: 1,
  ...tokens,
});

describe('the built-in price table', () => {
  it('holds sane prices: cache reads cheaper than input, output dearer', () => {
    for (const [model, prices] of Object.entries(builtInPrices)) {
      expect(prices.cacheRead, model).toBeLessThan(prices.input);
      expect(prices.cacheWrite, model).toBeGreaterThanOrEqual(prices.input);
      expect(prices.output, model).toBeGreaterThan(prices.input);
      expect(baseModelId(model), model).toBe(model);
    }
  });

  it('prices Anthropic cache writes at 1.25x and reads at 0.1x the input', () => {
    expect(pricesFor('claude-sonnet-4-5')).toEqual({ input: 3, cacheRead: 0.3, cacheWrite: 3.75, output: 15 });
    expect(pricesFor('claude-opus-4-1')).toEqual({ input: 15, cacheRead: 1.5, cacheWrite: 18.75, output: 75 });
  });
});

describe('pricesFor', () => {
  it('matches an exact id, then the id without its date suffix', () => {
    expect(pricesFor('gpt-5')).toEqual({ input: 1.25, cacheRead: 0.125, cacheWrite: 1.25, output: 10 });
    expect(pricesFor('gpt-5-2025-08-07')).toEqual(pricesFor('gpt-5'));
    expect(pricesFor('claude-sonnet-4-5-20250929')).toEqual(pricesFor('claude-sonnet-4-5'));
    expect(pricesFor('gpt-5-mini')).not.toEqual(pricesFor('gpt-5'));
  });

  it('knows no model by a prefix or a guess', () => {
    expect(pricesFor('gpt-5-turbo-ultra')).toBeUndefined();
    expect(pricesFor('house-model-2025-01-01')).toBeUndefined();
    expect(pricesFor('')).toBeUndefined();
  });
});

describe('costOf', () => {
  it('prices every kind of token at its own rate', () => {
    // 1M uncached input x $1.25 + 2M cached x $0.125 + 0.1M output x $10
    expect(costOf(usage('gpt-5'), pricesFor('gpt-5'))).toBeCloseTo(1.25 + 0.25 + 1, 10);
    const written = usage('claude-sonnet-4', { cacheWriteTokens: 400_000 });
    expect(costOf(written, pricesFor('claude-sonnet-4'))).toBeCloseTo(3 + 0.6 + 1.5 + 1.5, 10);
  });

  it('is null, not 0, for an unknown model, and 0 for a known model that used nothing', () => {
    expect(costOf(usage('house-model'), pricesFor('house-model'))).toBeNull();
    expect(withCost(usage('house-model')).costUsd).toBeNull();
    const nothing = usage('gpt-5', { inputTokens: 0, cacheReadTokens: 0, outputTokens: 0 });
    expect(withCost(nothing).costUsd).toBe(0);
  });
});

describe('priceTable with overrides from config', () => {
  it('changes only the named prices of a known model and leaves the built-in table alone', () => {
    const table = priceTable({ 'gpt-5': { output: 12 } });
    expect(pricesFor('gpt-5', table)).toEqual({ input: 1.25, cacheRead: 0.125, cacheWrite: 1.25, output: 12 });
    expect(pricesFor('gpt-5-2025-08-07', table)?.output).toBe(12);
    expect(pricesFor('gpt-5')?.output).toBe(10);
  });

  it('prices a dated id on its own, starting from its base model', () => {
    const table = priceTable({ 'gpt-5-2025-08-07': { input: 1 } });
    expect(pricesFor('gpt-5-2025-08-07', table)).toMatchObject({ input: 1, output: 10 });
    expect(pricesFor('gpt-5', table)?.input).toBe(1.25);
  });

  it('adds a new model; cache prices default to the input price, never cheaper', () => {
    const table: PriceTable = priceTable({ 'house-model': { input: 2, output: 6 } });
    expect(pricesFor('house-model', table)).toEqual({ input: 2, cacheRead: 2, cacheWrite: 2, output: 6 });
    expect(withCost(usage('house-model'), table).costUsd).toBeCloseTo(2 + 4 + 0.6, 10);
  });

  it('rejects a new model without input and output prices, and prices that are not numbers >= 0', () => {
    expect(() => priceTable({ 'house-model': { input: 2 } })).toThrow(ConfigError);
    expect(() => priceTable({ 'house-model': { input: 2 } })).toThrow(/house-model.*input and output/);
    expect(() => priceTable({ 'gpt-5': { output: -1 } })).toThrow(/output must be a number >= 0/);
    expect(() => priceTable({ 'gpt-5': { input: Number.NaN } })).toThrow(ConfigError);
  });
});
