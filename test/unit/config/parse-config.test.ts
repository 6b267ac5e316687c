import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/load-config.ts';

describe('parseConfigText', () => {
  it('fills defaults and converts durations to milliseconds', () => {
    const config = parseConfigText('gates:\n  test:\n    run: npm test\n    timeout: 90s\n', 'sluice.yaml');
    expect(config.gates.test).toEqual({
      run: 'npm test',
      cwd: '.',
      env: {},
      timeout: 90_000,
      needs: [],
      kind: 'other',
      blocking: true,
      tier: 1,
      services: [],
    });
    expect(config.feedback.budget).toBe(4000);
    expect(config.services).toEqual({});
  });

  it('gives a gate without timeout ten minutes', () => {
    expect(parseConfigText('gates:\n  a: { run: x }\n', 'f').gates.a?.timeout).toBe(600_000);
  });

  it('accepts numbers as seconds and env values of any scalar type as strings', () => {
    const config = parseConfigText('gates:\n  a:\n    run: x\n    timeout: 2.5\n    env: { N: 1, B: true }\n', 'f');
    expect(config.gates.a?.timeout).toBe(2500);
    expect(config.gates.a?.env).toEqual({ N: '1', B: 'true' });
  });

  it('rejects an empty file with a clear message', () => {
    expect(() => parseConfigText('', 'sluice.yaml')).toThrow(/missing "gates"/);
  });

  it('rejects a gate name that cannot be a file name', () => {
    expect(() => parseConfigText('gates:\n  "a/b": { run: x }\n', 'sluice.yaml')).toThrow(/gate names use letters/);
  });
});

describe('duplicate keys', () => {
  it('names the second occurrence, in a gate and at the top', () => {
    expect(() => parseConfigText('gates:\n  a: { run: x }\n  b: { run: y }\n  a: { run: z }\n', 'sluice.yaml')).toThrow(
      'sluice.yaml:4:3: Map keys must be unique ("a" is there twice)',
    );
    expect(() => parseConfigText('gates:\n  a: { run: x, run: y }\n', 'sluice.yaml')).toThrow(
      'sluice.yaml:2:16: Map keys must be unique ("run" is there twice)',
    );
  });
});
