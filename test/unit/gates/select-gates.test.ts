import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/load-config.ts';
import { UsageError } from '../../../src/errors.ts';
import { selectGates } from '../../../src/gates/select-gates.ts';

describe('selectGates', () => {
  const gates = parseConfigText('gates:\n  a: { run: x }\n  b: { run: y, needs: [a] }\n', 'sluice.yaml').gates;

  it('runs the named gates and what they need', () => {
    expect([...selectGates(gates, ['b']).keys()]).toEqual(['a', 'b']);
  });

  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])(
    'refuses %s, inherited by every object, as an unknown gate instead of running nothing',
    (name) => {
      expect(() => selectGates(gates, [name])).toThrow(UsageError);
      expect(() => selectGates(gates, [name])).toThrow(`unknown gate "${name}"`);
    },
  );

  it('follows a chain of 50,000 needs without overflowing the call stack, and reads the chain at all', () => {
    const lines = ['gates:', '  g0: { run: x }'];
    for (let index = 1; index < 50_000; index++) lines.push(`  g${index}: { run: x, needs: [g${index - 1}] }`);
    const chain = parseConfigText(`${lines.join('\n')}\n`, 'sluice.yaml').gates;
    expect(selectGates(chain, ['g49999']).size).toBe(50_000);
    expect([...selectGates(chain, ['g2']).keys()]).toEqual(['g0', 'g1', 'g2']);
  });

  it('names a cycle that closes at the end of a chain of 50,000 needs', () => {
    const lines = ['gates:', '  g0: { run: x, needs: [g49999] }'];
    for (let index = 1; index < 50_000; index++) lines.push(`  g${index}: { run: x, needs: [g${index - 1}] }`);
    expect(() => parseConfigText(`${lines.join('\n')}\n`, 'sluice.yaml')).toThrow(
      /gates need each other in a cycle: g0 -> g49999 -> g49998 -> .* -> g1 -> g0/,
    );
  });
});
