import { describe, expect, it } from 'vitest';
import { judgeAssertion, type Strength, Strengths } from '../../../src/guard/tests/assertion-strength.ts';

const { constant, defined, presence, range, value } = Strengths;

const cases: Array<[string, Strength | undefined]> = [
  // Python
  ['assert True', constant],
  ['assert 1 == 1', constant],
  ['assert True or total(2) == 6', constant],
  ['assert total(2) == 6', value],
  ['assert total(2) == 6, "the sum"', value],
  ['assert (total(2) == 6)', value],
  ['assert total(2) is not None', defined],
  ['assert total(2)', presence],
  ['assert total(2) >= 0', range],
  ['assert isinstance(total(2), int)', range],
  ['assert (r := total(2)) == r', constant],
  ['assert total(2) == pytest.approx(6)', value],
  ['assert total(2) == pytest.approx(6, abs=1e9)', range],
  ['assert type(total(2)) == int', range],
  ['assert len(items(2)) == 2', range],
  ['expect(typeof total(2)).toBe("number")', range],
  ['expect(items(2).length).toBe(2)', range],
  ['assert False', undefined],
  ['self.assertEqual(total(2), 6)', value],
  ['self.assertEqual(total(2), total(2))', constant],
  ['self.assertIsNotNone(total(2))', defined],
  ['self.assertTrue(total(2))', presence],
  ['self.assertTrue(total(2) == 6)', value],
  ['self.assertTrue(True)', constant],
  ['self.assertGreater(total(2), 0)', range],
  ['pytest.raises(SignatureExpired)', range],
  ['pytest.raises(ValueError, match="out of range")', value],
  ['pytest.raises((KeyError, IndexError))', range],
  ['pytest.raises(KeyError, match=".*")', range],
  ['pytest.raises(Exception)', range],
  ['pytest.raises(BaseException, match="x")', value],
  ['pytest.raises((KeyError, Exception))', range],
  ['raises(builtins.Exception)', range],
  ['pytest.warns(DeprecationWarning)', range],
  ['pytest.warns(Warning)', range],
  ['self.assertRaises(KeyError, lookup, "a")', range],
  ['self.assertRaises(Exception, lookup, "a")', range],
  ['self.assertRaisesRegex(Exception, "a")', value],
  ['self.assertRaisesRegex(KeyError, ".*")', range],
  // JS: vitest/jest, chai, node:assert
  ['expect(true).toBe(true)', constant],
  ['expect(sum(1, 2)).toBe(3)', value],
  ['expect(6).toBe(sum(1, 5))', value],
  ['expect(sum(1, 2)).toStrictEqual(3)', value],
  ['await expect(load()).resolves.toEqual({ a: 1 })', value],
  ['expect(sum(1, 2)).toBeDefined()', defined],
  ['expect(sum(1, 2)).toBeTruthy()', presence],
  ['expect(sum(1, 2)).not.toBeNull()', defined],
  ['expect(sum(1, 2)).not.toBe(4)', range],
  ['expect(sum(1, 2)).toBeGreaterThan(0)', range],
  ['expect(() => parse("")).toThrow(SyntaxError)', range],
  ['expect(() => parse("")).toThrow("empty input")', value],
  ['expect(() => parse("")).toThrowError(/empty/)', value],
  ['expect(() => parse("")).toThrow()', range],
  ['expect(() => parse("")).toThrowError()', range],
  ['expect(() => parse("")).toThrow(Error)', range],
  ['await expect(load()).rejects.toThrow(NotFound)', range],
  ['await expect(load()).rejects.toThrow()', range],
  ['expect(() => parse("")).to.throw(RangeError)', range],
  ['expect(() => parse("")).to.throw(Error, /empty/)', value],
  ['expect(() => parse("")).to.throw()', range],
  ['assert.throws(() => parse(""), SyntaxError)', value],
  ['assert.throws(() => parse(""), Error)', range],
  ['assert.throws(() => parse(""))', range],
  ['expect(f(2)).toBe(f(2))', constant],
  ['expect(sum(1, 2) === 3 || true).toBe(true)', constant],
  ['expect(sum(1, 2)).toEqual(expect.anything())', presence],
  ['self.assertEqual(total(2), mock.ANY)', presence],
  ['assert.Equal(t, mock.Anything, got)', presence],
  ['expect(f(2)).toBe(f( 2 ))', constant],
  ['expect(sum(1, 2)).to.equal(3)', value],
  ['expect(sum(1, 2)).to.be.ok', presence],
  ['expect(sum(1, 2)).to.exist', defined],
  ['assert.ok(true)', constant],
  ['assert.ok(sum(1, 2))', presence],
  ['assert(sum(1, 2) === 3)', value],
  ['assert.equal(x, x)', constant],
  ['assert.equal(sum(1, 2), 3)', value],
  ['assert.strictEqual(sum(1, 2), 3, "adds")', value],
  ['assert.notEqual(sum(1, 2), 4)', range],
  ['assert.isDefined(sum(1, 2))', defined],
  // Go
  ['assert.Equal(t, 3, Count("a", "b", "c"))', value],
  ['require.Equalf(t, 3, got, "count %d", n)', value],
  ['assert.Equal(t, got, got)', constant],
  ['assert.NotNil(t, Count())', defined],
  ['assert.True(t, true)', constant],
  ['assert.True(t, got == 3)', value],
  ['if got := Total([]int{2, 4}); got != 6 { t.Errorf("got %d", got) }', value],
  ['if got := Total([]int{2, 4}); got != 6 && false { t.Errorf("got %d", got) }', constant],
  ['if got := Total(map[string]int{"a": 1}); got != got { t.Errorf("got %d", got) }', constant],
  ['assert.GreaterOrEqual(t, got, 0)', range],
  ['if got != want {\n\tt.Errorf("got %d", got)\n}', value],
  ['if got := Count(); got != 3 {\n\tt.Fatal(got)\n}', value],
  ['if false {\n\tt.Errorf("x")\n}', constant],
  ['if false && got != 3 {\n\tt.Errorf("x")\n}', constant],
  ['if got != got {\n\tt.Errorf("x")\n}', constant],
  ['if got < 0 {\n\tt.Errorf("x")\n}', range],
  ['if got == nil {\n\tt.Fatal("x")\n}', defined],
  // Rust
  ['assert!(true)', constant],
  ['assert!(true || add(1, 2) == 3)', constant],
  ['assert_eq!(a, a)', constant],
  ['assert_eq!(add(1, 2), 3)', value],
  ['assert_eq!(add(1, 2), 3, "sum of {} and {}", 1, 2)', value],
  ['assert!(add(1, 2) >= 0)', range],
  ['assert!(add(1, 2) == 3)', value],
  ['assert!(matches!(parse("x"), Ok(_)))', range],
  ['assert_ne!(add(1, 2), 4)', range],
  ['debug_assert_eq!(add(1, 2), 3)', value],
  // A condition that passes when any side does pins no more than its weakest side.
  ['assert total(2) == 6 or total(2) is not None', defined],
  ['assert total(2) == 6 or len(items) > 0', range],
  ['assert total(2) == 6 or total(2) == 6.0', value],
  ["assert.ok(slug === 'a' || slug.length > 0)", range],
  ['assert!(add(1, 2) == 3 || add(1, 2) > 0)', range],
  ['assert!(add(1, 2) == 3 || add(1, 2) == 4)', value],
  // Not assertions this module knows
  ['t.Errorf("x")', undefined],
  ['mock.assert_called_once_with(3)', undefined],
];

describe('judgeAssertion', () => {
  it.each(cases)('%s', (text, strength) => {
    expect(judgeAssertion(text)?.strength).toBe(strength);
  });

  it('reads a parenthesized Python assert with a comma as the tuple it is, and a JS assert call as a call', () => {
    const python = { python: true };
    for (const text of ['assert (total(2) == 6, "the sum")', 'assert (total(2) == 6,)', 'assert(total(2) == 6, "x")']) {
      expect(judgeAssertion(text, python)).toEqual({
        strength: constant,
        reason: 'asserts a tuple, which is always true',
      });
    }
    expect(judgeAssertion('assert (total(2) == 6), "the sum"', python)?.strength).toBe(value);
    expect(judgeAssertion('assert (total(2) == 6)', python)?.strength).toBe(value);
    expect(judgeAssertion('assert(total(2) === 6, "the sum")')?.strength).toBe(value);
  });

  it('tells an expected error of any type from a specific one', () => {
    const any = ['pytest.raises(Exception)', 'pytest.raises((KeyError, BaseException))', 'expect(f).toThrow()'];
    const specific = ['pytest.raises(KeyError)', 'self.assertRaises(KeyError, f)', 'expect(f).toThrow(RangeError)'];
    for (const text of any) expect(judgeAssertion(text)?.anyError).toBe(true);
    for (const text of specific) expect(judgeAssertion(text)?.anyError).toBe(false);
    expect(judgeAssertion('expect(f).toBeInstanceOf(RangeError)')?.anyError).toBeUndefined();
  });

  it('says why a constant assertion checks nothing', () => {
    expect(judgeAssertion('expect(f(2)).toBe(f(2))')?.reason).toBe('compares `f(2)` with itself');
    expect(judgeAssertion('assert True or x == 6')?.reason).toContain('short-circuited');
  });
});
