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

describe("the README's gym example", () => {
  it('is a valid config with every judged kind and both services', () => {
    const example = /## The gym:[^\n]*\n[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    const config = parseConfigText(example ?? '', 'README.md');
    expect(Object.keys(config.services)).toEqual(['db', 'app']);
    expect(Object.values(config.gates).map((gate) => gate.kind)).toEqual([
      'bench',
      'invariant',
      'http',
      'log',
      'browser',
      'other',
    ]);
    expect(config.services.app?.ready).toEqual({ log: '/listening on \\d+/' });
    expect(config.gates.speed?.bench?.metrics.p50_ms).toEqual({ json: 'p50_ms', unit: 'ms', better: 'lower' });
  });
});
