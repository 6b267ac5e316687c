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
});
