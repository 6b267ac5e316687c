import { z } from 'zod';
import { configSchema } from './schema.ts';

/** The JSON Schema of sluice.yaml, generated from the zod schema (the single source of truth). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  return { ...schema, $id: 'https://sluice.dev/schema/sluice.schema.json', title: 'sluice.yaml' };
}
