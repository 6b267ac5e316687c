import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { ModelUsage } from '../usage/model-usage.ts';
import type { UsageGrouping, UsageTotal, UsageTotalsQuery } from './run-records.ts';
import type { StoreDatabase } from './schema.ts';

function groupKey(by: UsageGrouping): RawBuilder<string> {
  switch (by) {
    case 'model':
      return sql<string>`model`;
    case 'run':
      return sql<string>`run_id`;
    case 'day':
      // ISO 8601 UTC text: the first 10 characters are the UTC day, in SQLite and PostgreSQL alike.
      return sql<string>`substr(recorded_at, 1, 10)`;
  }
}

/** Sum recorded usage by model, UTC day or run, ordered by that key; an unknown cost keeps the sum unknown. */
export async function sumUsage(db: Kysely<StoreDatabase>, query: UsageTotalsQuery): Promise<UsageTotal[]> {
  const key = groupKey(query.by);
  const rows = await db
    .selectFrom('usage')
    .select((eb) => [
      key.as('key'),
      eb.fn.sum<number>('input_tokens').as('input_tokens'),
      eb.fn.sum<number>('output_tokens').as('output_tokens'),
      eb.fn.sum<number>('cache_read_tokens').as('cache_read_tokens'),
      eb.fn.sum<number>('cache_write_tokens').as('cache_write_tokens'),
      eb.fn.sum<number | null>('cost_usd').as('cost_usd'),
      eb.fn.sum<number>('api_ms').as('api_ms'),
      eb.fn.sum<number>('turns').as('turns'),
      eb.fn.countAll<number>().as('records'),
      eb.fn.count<number>('cost_usd').as('known_cost_records'),
    ])
    .$if(query.runId !== undefined, (qb) => qb.where('run_id', '=', query.runId ?? ''))
    .$if(query.since !== undefined, (qb) => qb.where('recorded_at', '>=', query.since?.toISOString() ?? ''))
    .groupBy(key)
    .orderBy(key)
    .execute();
  return rows.map((row) => {
    const records = Number(row.records);
    const unknownCostRecords = records - Number(row.known_cost_records);
    return {
      key: row.key,
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      cacheReadTokens: Number(row.cache_read_tokens),
      cacheWriteTokens: Number(row.cache_write_tokens),
      costUsd: unknownCostRecords > 0 || row.cost_usd === null ? null : Number(row.cost_usd),
      apiMs: Number(row.api_ms),
      turns: Number(row.turns),
      records,
      unknownCostRecords,
    };
  });
}

/** A usage total as the ModelUsage of the model it was grouped by. */
export function totalAsModelUsage(total: UsageTotal): ModelUsage {
  const { key, records: _records, unknownCostRecords: _unknown, ...sums } = total;
  return { model: key, ...sums };
}

/** A run's usage summed per iteration and model, in iteration order. */
export async function sumUsageByIteration(
  db: Kysely<StoreDatabase>,
  runId: string,
): Promise<Array<ModelUsage & { iteration: number }>> {
  const rows = await db
    .selectFrom('usage')
    .select((eb) => [
      'iteration',
      'model',
      eb.fn.sum<number>('input_tokens').as('input_tokens'),
      eb.fn.sum<number>('output_tokens').as('output_tokens'),
      eb.fn.sum<number>('cache_read_tokens').as('cache_read_tokens'),
      eb.fn.sum<number>('cache_write_tokens').as('cache_write_tokens'),
      eb.fn.sum<number | null>('cost_usd').as('cost_usd'),
      eb.fn.count<number>('cost_usd').as('known_cost_records'),
      eb.fn.countAll<number>().as('records'),
      eb.fn.sum<number>('api_ms').as('api_ms'),
      eb.fn.sum<number>('turns').as('turns'),
    ])
    .where('run_id', '=', runId)
    .groupBy(['iteration', 'model'])
    .orderBy('iteration')
    .orderBy('model')
    .execute();
  return rows.map((row) => ({
    iteration: Number(row.iteration),
    model: row.model,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    cacheReadTokens: Number(row.cache_read_tokens),
    cacheWriteTokens: Number(row.cache_write_tokens),
    costUsd:
      Number(row.known_cost_records) < Number(row.records) || row.cost_usd === null ? null : Number(row.cost_usd),
    apiMs: Number(row.api_ms),
    turns: Number(row.turns),
  }));
}
