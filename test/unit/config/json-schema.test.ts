import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigDocs } from '../../../src/config/config-docs.ts';
import { configJsonSchema } from '../../../src/config/json-schema.ts';
import { repoRoot } from '../../support/sluice-cli.ts';

describe('the JSON Schema of sluice.yaml', () => {
  it('matches the committed copy (run "npm run schema" after changing src/config/schema.ts)', () => {
    const committed = JSON.parse(readFileSync(`${repoRoot}schema/sluice.schema.json`, 'utf8'));
    expect(committed).toEqual(configJsonSchema());
  });

  it('generates the committed config reference docs/config.md', () => {
    expect(readFileSync(`${repoRoot}docs/config.md`, 'utf8')).toBe(renderConfigDocs());
  });

  it('describes every gate field', () => {
    const schema = configJsonSchema() as { properties: { gates: { additionalProperties: { properties: object } } } };
    expect(Object.keys(schema.properties.gates.additionalProperties.properties).sort()).toEqual(
      [
        'bench',
        'blocking',
        'browser',
        'cwd',
        'env',
        'http',
        'inputs',
        'invariant',
        'kind',
        'log',
        'needs',
        'report',
        'run',
        'services',
        'tier',
        'timeout',
      ].sort(),
    );
  });
});
