import { describe, expect, it } from 'vitest';
import { compileTextPattern } from '../../../src/gates/text-pattern.ts';

describe('compileTextPattern', () => {
  it('matches plain text as a substring, not as a regex', () => {
    const pattern = compileTextPattern('mode=fast (x)');
    expect(pattern.test('config: mode=fast (x) on')).toBe(true);
    expect(pattern.test('config: mode=fast x')).toBe(false);
  });

  it('reads /regex/flags and ignores g and y so every test starts afresh', () => {
    const pattern = compileTextPattern('/^error:/gi');
    expect(pattern.test('ERROR: disk full')).toBe(true);
    expect(pattern.test('ERROR: disk full')).toBe(true);
    expect(pattern.test('no error: here')).toBe(false);
  });

  it('names the pattern when the regex is invalid', () => {
    expect(() => compileTextPattern('/(unclosed/')).toThrow(/invalid pattern \/\(unclosed\//);
  });
});
