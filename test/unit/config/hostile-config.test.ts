import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/config/duration.ts';
import { parseConfigText } from '../../../src/config/load-config.ts';
import { ConfigError, UsageError } from '../../../src/errors.ts';

function configError(text: string): ConfigError {
  try {
    parseConfigText(text, 'sluice.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, got a config');
}

/** Nine levels of nine aliases each: 9^9 (387 million) strings once expanded. */
function billionLaughs(): string {
  const lines = ['a0: &a0 "lol"'];
  for (let level = 1; level <= 9; level += 1) {
    const previous = Array.from({ length: 9 }, () => `*a${level - 1}`).join(', ');
    lines.push(`a${level}: &a${level} [${previous}]`);
  }
  lines.push('gates:', '  test: { run: *a9 }');
  return `${lines.join('\n')}\n`;
}

describe('hostile config text', () => {
  it('refuses a YAML alias bomb as a config error, quickly', () => {
    const started = Date.now();
    const error = configError(billionLaughs());
    expect(error.message).toMatch(/sluice\.yaml: too many YAML aliases/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses an alias bomb that stays under a small alias count but nests deeply', () => {
    const lines = ['x0: &x0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let level = 1; level <= 30; level += 1) lines.push(`x${level}: &x${level} [*x${level - 1}, *x${level - 1}]`);
    lines.push('gates:', '  test: { run: x }');
    expect(configError(`${lines.join('\n')}\n`).message).toMatch(/too many YAML aliases/);
  });

  it('still accepts ordinary aliases', () => {
    const text = 'gates:\n  a: { run: x, env: &env { A: "1" } }\n  b: { run: y, env: *env }\n';
    expect(parseConfigText(text, 'sluice.yaml').gates.b?.env).toEqual({ A: '1' });
  });
});

describe('durations a timer cannot hold', () => {
  it.each([
    ['30d', 'a string in days'],
    ['597h', 'a string in hours'],
    ['2147484s', 'a string in seconds'],
    ['2147483648ms', 'one millisecond over the limit'],
    ['99999999999999999999999d', 'a string that overflows to a huge number'],
    ['2147484', 'a number of seconds'],
    ['1e300', 'a number in exponent form'],
  ])('refuses timeout %s (%s) naming the limit', (timeout) => {
    const message = configError(`gates:\n  a: { run: x, timeout: ${timeout} }\n`).message;
    expect(message).toMatch(/sluice\.yaml:2:\d+: gates\.a\.timeout: duration too long: at most 24\.8 days/);
  });

  it('refuses too long durations in every section, not only gate timeouts', () => {
    expect(configError('agent: { turn_timeout: 40d }\ngates:\n  a: { run: x }\n').message).toMatch(
      /agent\.turn_timeout: duration too long/,
    );
    expect(configError('budgets: { max_time: 25d }\ngates:\n  a: { run: x }\n').message).toMatch(
      /budgets\.max_time: duration too long/,
    );
  });

  it('accepts the longest duration a timer can hold', () => {
    expect(parseConfigText('gates:\n  a: { run: x, timeout: 2147483647ms }\n', 'f').gates.a?.timeout).toBe(2 ** 31 - 1);
    expect(parseConfigText('gates:\n  a: { run: x, timeout: 24d }\n', 'f').gates.a?.timeout).toBe(24 * 86_400_000);
  });

  it('refuses a too long command-line duration with a usage error', () => {
    expect(() => parseDuration('30d')).toThrow(UsageError);
    expect(() => parseDuration('30d')).toThrow(/at most 24\.8 days/);
    expect(parseDuration('24d')).toBe(24 * 86_400_000);
  });
});

describe('names that mean something to JavaScript objects', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('refuses a gate named %s instead of dropping it', (name) => {
    const message = configError(`gates:\n  ${name}: { run: x }\n  b: { run: y }\n`).message;
    expect(message).toContain(`sluice.yaml:2:3: gates.${name}: gate name "${name}" is reserved by JavaScript`);
  });

  it('refuses a __proto__ key anywhere, which validation would skip', () => {
    expect(configError('gates:\n  a:\n    run: x\n    env: { __proto__: "1" }\n').message).toContain(
      'sluice.yaml:4:12: gates.a.env.__proto__: the key "__proto__" is not allowed',
    );
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses a service named %s', (name) => {
    const message = configError(`services:\n  ${name}: { run: x }\ngates:\n  b: { run: y }\n`).message;
    expect(message).toContain(`service name "${name}" is reserved by JavaScript`);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    'does not take %s, inherited by every object, for a defined gate or service',
    (name) => {
      expect(configError(`gates:\n  b: { run: y, needs: [${name}] }\n`).message).toContain(`unknown gate "${name}"`);
      expect(configError(`gates:\n  b: { run: y, services: [${name}] }\n`).message).toContain(
        `unknown service "${name}"`,
      );
    },
  );

  it('accepts gates named like other Object.prototype members; they are own entries', () => {
    const config = parseConfigText('gates:\n  toString: { run: x }\n  b: { run: y, needs: [toString] }\n', 'f');
    expect(Object.keys(config.gates)).toEqual(['toString', 'b']);
    expect(Object.getOwnPropertyDescriptor(config.gates, 'toString')?.value.run).toBe('x');
  });
});
