import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/load-config.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe("the README's tour of sluice.yaml", () => {
  it('is a valid config, guard section included', () => {
    const tour = /## A short tour of `sluice.yaml`\n\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(tour).toBeDefined();
    const config = parseConfigText(tour ?? '', 'README.md');
    expect(Object.keys(config.gates)).toEqual(['typecheck', 'unit', 'size-budget']);
    expect(config.guard.rules).toEqual({ 'snapshot-rewritten': 'ask', 'skip-marker-added': 'revert' });
  });
});
