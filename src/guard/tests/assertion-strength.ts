import {
  insideParens,
  isLiteral,
  sameExpression,
  shortCircuitsTrue,
  splitTopLevel,
  stripParens,
  topComparison,
} from './assertion-text.ts';

/**
 * How much an assertion pins down, weakest first: `constant` passes whatever the code does (`assert True`,
 * `expect(f(2)).toBe(f(2))`), `defined` only that there is a value (`toBeDefined()`, `assertIsNotNone`,
 * `x !== null`), `presence` that the value is truthy or falsy (`toBeTruthy()`, `assert x`), `range` a bound,
 * type or inequality (`assert!(x >= 0)`, `not.toBe(5)`), `value` the value itself. `toBeTruthy()` on a
 * boolean pins it; `toBeDefined()` passes `false` too.
 */
export const Strengths = { constant: 0, defined: 0.5, presence: 1, range: 2, value: 3 } as const;
export type Strength = (typeof Strengths)[keyof typeof Strengths];

/** What an assertion checks, as far as its text tells: undefined when it is not a form this module knows. */
export interface Judgement {
  strength: Strength;
  /** Why, for messages: "compares `f(2)` with itself". */
  reason: string;
  /**
   * For an expected error or exception: true when any error passes (`toThrow()`, `pytest.raises(Exception)`),
   * false when a type or message is expected. Going from false to true is a weakening at any strength.
   */
  anyError?: boolean;
}

const judge = (strength: Strength, reason: string): Judgement => ({ strength, reason });
const falsy = /^(?:false|False|0|null|None|undefined|nil|""|'')$/;

/** Values that equal anything: `expect.anything()`, `mock.ANY`, testify's `mock.Anything`. */
const wildcard = /^(?:expect\.(?:anything|any)\(|(?:unittest\.)?(?:mock\.)?ANY$|mock\.Anything$|gomock\.Any\(\))/;

/** `a` against `b`, where equal means pass: the same code on both sides, or two constants, check nothing. */
function equality(a: string | undefined, b: string | undefined): Judgement | undefined {
  if (a === undefined || b === undefined || a === '' || b === '') return undefined;
  const any = [a, b].find((side) => wildcard.test(stripParens(side)));
  if (any) return judge(Strengths.presence, `only checks against \`${any}\`, which matches any value`);
  if (sameExpression(a, b)) return judge(Strengths.constant, `compares \`${stripParens(a)}\` with itself`);
  if (isLiteral(a) && isLiteral(b)) return judge(Strengths.constant, `compares two constants`);
  const alias = [a, b].find((side, index) => boundName(side) === stripParens(index === 0 ? b : a));
  if (alias) return judge(Strengths.constant, `compares \`${stripParens(alias)}\` with the name it binds`);
  const loose = [a, b].find((side) => toleranceOrShape.test(stripParens(side)));
  if (loose) return judge(Strengths.range, `only checks \`${stripParens(loose)}\`, not the value itself`);
  return judge(Strengths.value, `checks that \`${a}\` equals \`${b}\``);
}

/** `r := f(2)` (Python) or `r = f(2)` (JS) in parentheses: the name bound, so `(r := f(2)) == r` compares f(2) with itself. */
function boundName(side: string): string | undefined {
  return /^\(\s*([A-Za-z_$][\w$]*)\s*:?=(?!=)/.exec(side.trim())?.[1];
}

/**
 * A side that stands for less than the value: its type (`type(x)`, `typeof x`), its length (`len(x)`,
 * `x.length`), or a value within a tolerance given (`pytest.approx(6, abs=1)`).
 */
const toleranceOrShape =
  /^(?:type\s*\(|len\s*\(|typeof\s|[\s\S]*\.length$|(?:pytest\.)?approx\s*\([\s\S]*\b(?:abs|rel)\s*=)/;

/** A condition that must be true: `x == 6` pins a value, `x >= 0` a bound, `x` only that it is truthy. */
export function condition(expression: string | undefined): Judgement | undefined {
  if (expression === undefined || expression === '') return undefined;
  const bare = stripParens(expression);
  if (falsy.test(bare)) return undefined;
  if (shortCircuitsTrue(bare)) return judge(Strengths.constant, `is short-circuited by a constant true`);
  if (isLiteral(bare)) return judge(Strengths.constant, `asserts the constant \`${bare}\``);
  const either = disjunction(bare);
  if (either) return either;
  const comparison = topComparison(bare);
  if (comparison) {
    const { left, operator, right } = comparison;
    if (operator === '==' || operator === '===' || operator === 'is') return equality(left, right);
    if (sameExpression(left, right) || (isLiteral(left) && isLiteral(right))) {
      return judge(
        Strengths.constant,
        `compares \`${left}\` with ${sameExpression(left, right) ? 'itself' : `\`${right}\``}`,
      );
    }
    if (
      (operator === '!=' || operator === '!==' || operator === 'is not') &&
      /^(?:null|None|undefined|nil)$/.test(right)
    ) {
      return judge(Strengths.defined, `only checks that \`${left}\` is not \`${right}\``);
    }
    return judge(Strengths.range, `only checks \`${bare}\`, not the value`);
  }
  if (/^(?:isinstance|matches!|callable|hasattr)\s*\(/.test(bare))
    return judge(Strengths.range, `only checks \`${bare}\``);
  return judge(Strengths.presence, `only checks that \`${bare}\` is truthy`);
}

/**
 * `x == 6 or x is not None`, `a === 1 || a`: the condition holds when any side does, so it pins no more than
 * its weakest side.
 */
function disjunction(expression: string): Judgement | undefined {
  const byBars = splitTopLevel(expression, '||');
  const sides = byBars.length > 1 ? byBars : splitTopLevel(expression, ' or ');
  if (sides.length < 2) return undefined;
  let weakest: { side: string; judgement: Judgement } | undefined;
  for (const side of sides) {
    const judgement = condition(side) ?? judge(Strengths.presence, `only checks that \`${side.trim()}\` is truthy`);
    if (!weakest || judgement.strength < weakest.judgement.strength) weakest = { side: side.trim(), judgement };
  }
  if (!weakest || weakest.judgement.strength === Strengths.value) return undefined;
  return judge(weakest.judgement.strength, `passes when \`${weakest.side}\` holds, which ${weakest.judgement.reason}`);
}

const parts = (strength: Strength, names: string) => names.split(' ').map((name) => [name, strength] as const);

/** jest/vitest and chai `expect` matchers, by what they pin when not negated. */
const expectMatchers = new Map<string, Strength>([
  ...parts(
    Strengths.value,
    'toBe toEqual toStrictEqual toBeCloseTo toMatchObject toMatchSnapshot toMatchInlineSnapshot toHaveBeenCalledWith toHaveBeenLastCalledWith toHaveBeenNthCalledWith toHaveBeenCalledTimes toHaveReturnedWith toBeNull toBeUndefined toBeNaN toBeTrue toBeFalse toThrowError equal equals eq eql members true false null undefined NaN',
  ),
  ...parts(
    Strengths.range,
    'toBeGreaterThan toBeGreaterThanOrEqual toBeLessThan toBeLessThanOrEqual toContain toContainEqual toHaveLength toBeInstanceOf toBeTypeOf toHaveProperty toMatch toThrow toHaveBeenCalled toHaveReturned above below least most within a an instanceOf instanceof include includes contain contains lengthOf length match property keys throw',
  ),
  ...parts(Strengths.defined, 'toBeDefined exist exists'),
  ...parts(Strengths.presence, 'toBeTruthy toBeFalsy ok'),
]);

/** Matchers that expect a function to throw (or a promise to reject): jest/vitest's and chai's. */
const thrownMatchers = new Set(['toThrow', 'toThrowError', 'throw', 'throws', 'Throw']);

/** Error types every error is an instance of: expecting one checks only that something was thrown or raised. */
const anyError = /^(?:Error|Exception|BaseException|Warning|object|Throwable)$/;

/** Whether every error type `expression` names (one, or a tuple of them in Python) matches any error. */
function matchesAnyError(expression: string): boolean {
  const bare = stripParens(expression);
  const types = bare.includes(',') ? splitTopLevel(bare).filter((part) => part !== '') : [bare];
  return types.some((type) => anyError.test(type.replace(/^(?:builtins|exceptions)\./, '')));
}

/** A class named by its identifier (`RangeError`, `errors.NotFound`), not a message, pattern or object. */
const className = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/**
 * `toThrow(TypeError)`, `toThrow('out of range')`, `to.throw(RangeError, /bound/)`: a message or pattern
 * pins the value; a class only the type (as `toBeInstanceOf` does); no expectation, or a type every error
 * has (`Error`), lets any error pass.
 */
function errorExpected(args: readonly string[], verb: string): Judgement {
  const [expected = '', message] = args;
  if (expected.trim() === '' || (message === undefined && matchesAnyError(expected))) {
    return { ...judge(Strengths.range, `only checks that it ${verb}, with any error`), anyError: true };
  }
  if (message === undefined && className.test(stripParens(expected))) {
    return { ...judge(Strengths.range, `only checks the type of the error it ${verb}`), anyError: false };
  }
  return { ...judge(Strengths.value, `checks the error it ${verb}`), anyError: false };
}

/** A `match=` pattern (or assertRaisesRegex's) that some messages fail: not empty, not `.*`. */
function pinsMessage(pattern: string | undefined): boolean {
  return pattern !== undefined && !/^[rbu]?(["'])(?:\.\*|\^?\.\*\$?|)\1$/i.test(pattern.trim());
}

/**
 * `pytest.raises(KeyError)`, `pytest.raises(ValueError, match="bound")`, `self.assertRaises(KeyError, f)`,
 * `self.assertRaisesRegex(KeyError, "a")`, `pytest.warns(DeprecationWarning)`: a message pattern pins the
 * value, a specific exception only the type, and `Exception`, `BaseException` or `Warning` (alone or in a
 * tuple) lets any error pass.
 */
function exceptionExpected(args: readonly string[], pattern: string | undefined): Judgement | undefined {
  const [expected] = args;
  if (expected === undefined || /^\w+\s*=/.test(expected)) return undefined;
  if (pinsMessage(pattern)) return { ...judge(Strengths.value, 'checks the exception it raises'), anyError: false };
  return matchesAnyError(expected)
    ? {
        ...judge(Strengths.range, `only checks that it raises, with any exception (\`${stripParens(expected)}\`)`),
        anyError: true,
      }
    : { ...judge(Strengths.range, 'only checks the type of the exception it raises'), anyError: false };
}

/** `expect(subject).not.toBe(x)`, `expect(x).to.deep.equal(y)`, `expect(x).to.be.ok`. */
function expectation(text: string): Judgement | undefined {
  const open = text.indexOf('(');
  const subject = insideParens(text, open);
  if (!subject) return undefined;
  const chain = text.slice(subject.end + 1).trim();
  const matched = /^((?:\.\s*\w+\s*)+?)(?:\(([\s\S]*)\))?\s*;?$/.exec(chain);
  if (!matched) return undefined;
  const names = (matched[1] ?? '')
    .split('.')
    .map((name) => name.trim())
    .filter(Boolean);
  const matcher = names.at(-1) ?? '';
  const strength = expectMatchers.get(matcher);
  if (strength === undefined) return undefined;
  const args = matched[2] === undefined ? [] : splitTopLevel(matched[2]);
  const [expected] = args;
  if (shortCircuitsTrue(subject.inner)) return judge(Strengths.constant, 'is short-circuited by a constant true');
  if (expected !== undefined && wildcard.test(stripParens(expected))) {
    return judge(Strengths.presence, `only checks against \`${expected}\`, which matches any value`);
  }
  if (expected !== undefined && sameExpression(subject.inner, expected)) {
    return judge(Strengths.constant, `compares \`${stripParens(subject.inner)}\` with itself`);
  }
  if (isLiteral(subject.inner) && args.every(isLiteral))
    return judge(Strengths.constant, `checks a constant, not the code`);
  if (thrownMatchers.has(matcher) && !names.includes('not')) return errorExpected(args, 'throws');
  if (strength === Strengths.value && !names.includes('not') && toleranceOrShape.test(stripParens(subject.inner))) {
    return judge(Strengths.range, `only checks \`${stripParens(subject.inner)}\`, not the value itself`);
  }
  if (names.includes('not')) {
    const nullLike = /^(?:toBeNull|toBeUndefined|null|undefined|toBeNaN)$/.test(matcher);
    if (strength === Strengths.value && !nullLike)
      return judge(Strengths.range, `only checks that it is not \`${expected ?? matcher}\``);
    return judge(nullLike ? Strengths.defined : Strengths.presence, `only checks \`.not.${matcher}\``);
  }
  if (strength === Strengths.presence || strength === Strengths.defined)
    return judge(strength, `only checks \`${matcher}\`, not the value`);
  return judge(
    strength,
    strength === Strengths.value ? `checks the value` : `only checks \`${matcher}\`, not the value`,
  );
}

const assertMethods = new Map<string, Strength>([
  ...parts(
    Strengths.value,
    'equal equals strictEqual deepEqual deepStrictEqual eql sameMembers sameDeepMembers sameOrderedMembers isNull isUndefined isNaN fail assertEqual assertEquals assertListEqual assertDictEqual assertTupleEqual assertSetEqual assertSequenceEqual assertMultiLineEqual assertCountEqual assertAlmostEqual assertAlmostEquals assertIs assertIsNone Equal EqualValues Exactly JSONEq YAMLEq ElementsMatch Same Nil NoError Zero Empty InDelta InEpsilon EqualError ErrorIs',
  ),
  ...parts(
    Strengths.range,
    'notEqual notStrictEqual notDeepEqual notDeepStrictEqual isAbove isBelow isAtLeast isAtMost include includes instanceOf typeOf lengthOf match throws rejects isString isNumber isArray isObject isFunction isBoolean assertNotEqual assertNotEqual assertNotAlmostEqual assertGreater assertGreaterEqual assertLess assertLessEqual assertIn assertNotIn assertIsInstance assertNotIsInstance assertRegex assertRaises assertRaisesRegex assertIsNot NotEqual Greater GreaterOrEqual Less LessOrEqual Contains NotContains Len IsType Implements Positive Negative Subset ErrorContains Regexp Panics',
  ),
  ...parts(Strengths.defined, 'exists isDefined isNotNull isNotUndefined assertIsNotNone NotNil'),
  ...parts(Strengths.presence, 'isOk notOk isFalse assertFalse NotEmpty NotZero Error False'),
]);
/** Methods whose first argument is a condition that must hold. */
const conditionMethods = new Set(['ok', 'isTrue', 'assertTrue', 'True', 'assert']);
/** Methods comparing their first two arguments for equality. */
const equalityMethods =
  /^(?:equal|equals|strictEqual|deepEqual|deepStrictEqual|eql|assert(?:Almost)?Equals?|assert(?:List|Dict|Tuple|Set|Sequence|MultiLine|Count)Equal|assertIs|Equal|EqualValues|Exactly|JSONEq|YAMLEq|Same|ElementsMatch|InDelta|InEpsilon)$/;
/** The testing handle testify takes first (`assert.Equal(t, ...)`); `assert.New(t)` forms have none. */
const testingHandle = /^(?:t|tb|b|f|\w+\.T\(\))$/;

/** `assert.equal(a, b)`, `self.assertEqual(a, b)`, `assert.Equal(t, a, b)`, `require.True(t, ok)`. */
function methodCall(method: string, argsText: string, go: boolean): Judgement | undefined {
  const name = go ? method.replace(/f$/, '') : method;
  let args = splitTopLevel(argsText);
  if (go && testingHandle.test(args[0] ?? '')) args = args.slice(1);
  if (conditionMethods.has(name)) return condition(args[0]);
  if (!go && /^assert(?:Raises|Warns)(?:Regexp?)?$/.test(name)) {
    return exceptionExpected(args, /Regexp?$/.test(name) ? args[1] : undefined);
  }
  if (equalityMethods.test(name)) return equality(args[0], args[1]);
  // node's and chai's `assert.throws(fn, /text/)` check the error as ava's `t.throws(fn, { message })` does; a
  // lone string is only a failure message in node.
  if (!go && (name === 'throws' || name === 'rejects') && args[1] !== undefined && !/^['"`]/.test(args[1])) {
    const verb = name === 'throws' ? 'throws' : 'rejects';
    return matchesAnyError(args[1]) && args[2] === undefined
      ? { ...judge(Strengths.range, `only checks that it ${verb}, with any error`), anyError: true }
      : thrown(args[1], verb);
  }
  const strength = assertMethods.get(name);
  if (strength === undefined) return undefined;
  if (args.length > 0 && args.every(isLiteral) && strength !== Strengths.value) {
    return judge(Strengths.constant, `checks a constant, not the code`);
  }
  return judge(strength, strength === Strengths.value ? 'checks the value' : `only checks \`${name}\`, not the value`);
}

/** `if got != want { t.Errorf(...) }`: the condition says when the test fails. */
function goIfCheck(text: string): Judgement | undefined {
  const header = goIfHeader(text);
  if (header === undefined) return undefined;
  const cond = stripParens(splitTopLevel(header, ';').at(-1) ?? '');
  if (cond === 'false' || splitTopLevel(cond, '&&').some((side) => stripParens(side) === 'false')) {
    return judge(Strengths.constant, `can never fail: its condition is false`);
  }
  const comparison = topComparison(cond);
  if (!comparison) return judge(Strengths.presence, `only fails when \`${cond}\``);
  const { left, operator, right } = comparison;
  if (sameExpression(left, right)) return judge(Strengths.constant, `compares \`${left}\` with itself`);
  if (operator === '!=') return equality(left, right);
  if (operator === '==' && right === 'nil') return judge(Strengths.defined, `only checks that \`${left}\` is not nil`);
  return judge(Strengths.range, `only fails when \`${cond}\`, not on a wrong value`);
}

/**
 * What stands between `if` and its block: the block's `{` is the one whose match ends the statement (or comes
 * before its `else`), so a composite literal in the header (`Total([]int{2, 4})`) is not taken for the block.
 */
function goIfHeader(text: string): string | undefined {
  if (!/^if\s/.test(text)) return undefined;
  const statement = text.trimEnd();
  for (let open = statement.indexOf('{'); open !== -1; open = statement.indexOf('{', open + 1)) {
    const block = insideParens(statement, open);
    if (!block) return undefined;
    const rest = statement.slice(block.end + 1).trim();
    if (rest === '' || rest.startsWith('else')) return statement.slice(2, open).trim();
  }
  return undefined;
}

const isNullish = (text: string | undefined) => /^(?:null|undefined)$/.test(stripParens(text ?? ''));

/** `a` must differ from `b`: a bound, or only presence when `b` is null or undefined. */
function inequality(a: string | undefined, b: string | undefined): Judgement | undefined {
  if (a === undefined || b === undefined) return undefined;
  if (isLiteral(a) && isLiteral(b)) return judge(Strengths.constant, 'compares two constants');
  if (isNullish(b) || isNullish(a)) return judge(Strengths.defined, `only checks that it is not \`${b}\``);
  return judge(Strengths.range, `only checks that it is not \`${b}\``);
}

/** A condition that must be false: `t.false(x !== 6)` pins a value, `t.false(x)` only that it is falsy. */
function falseCondition(expression: string | undefined): Judgement | undefined {
  if (expression === undefined || expression === '') return undefined;
  const bare = stripParens(expression);
  if (isLiteral(bare))
    return falsy.test(bare) ? judge(Strengths.constant, `asserts the constant \`${bare}\``) : undefined;
  if (bare.startsWith('!') && !bare.startsWith('!=')) return condition(bare.slice(1));
  const comparison = topComparison(bare);
  if (comparison?.operator === '!==' || comparison?.operator === '!=')
    return equality(comparison.left, comparison.right);
  if (comparison) return inequality(comparison.left, comparison.right);
  return judge(Strengths.presence, `only checks that \`${bare}\` is falsy`);
}

/** A pattern match (`t.regex`): a range of values, nothing when both sides are constants. */
function patternMatch([subject, pattern]: string[]): Judgement | undefined {
  if (subject === undefined || pattern === undefined) return undefined;
  if (isLiteral(subject) && (isLiteral(pattern) || /^\/.*\/\w*$/.test(pattern))) {
    return judge(Strengths.constant, 'checks a constant, not the code');
  }
  // `/.*/`, `/(?:)/`, `/^/`: a pattern any text matches.
  if (/^\/(?:\.\*|\(\?:\)|\^|\$|\^\.\*|\.\*\$|\^\.\*\$|[\s\S]\*)?\/\w*$/.test(pattern.trim())) {
    return judge(Strengths.presence, `only checks against \`${pattern}\`, which any text matches`);
  }
  return judge(Strengths.range, `only checks that \`${subject}\` matches a pattern`);
}

/** `t.throws(fn, { message: 'x' })` pins the error; without an expectation (or `{ any: true }`) any error passes. */
function thrown(expectation: string | undefined, verb: string): Judgement {
  const bare = expectation === undefined ? '' : stripParens(expectation).replace(/\s+/g, '');
  return bare === '' || /^(?:undefined|null|\{\}|\{any:true,?\})$/.test(bare)
    ? { ...judge(Strengths.range, `only checks that it ${verb}, with any error`), anyError: true }
    : {
        ...judge(Strengths.value, `checks the error it ${verb === 'throws' ? 'throws' : 'rejects with'}`),
        anyError: false,
      };
}

/**
 * ava's assertions (`t.is(a, b)`, on a context parameter of any name), ranked like jest's matchers: `is`,
 * `deepEqual`, `like`, `snapshot` and `throws` with an expectation pin the value, `not`/`regex` a range, `truthy`/`notThrows` presence,
 * `pass()` nothing. `t.plan(n)` is no check of a value: `expected-value-changed` compares it.
 */
const avaMethods: Record<string, (args: string[]) => Judgement | undefined> = {
  is: ([a, b]) => equality(a, b),
  deepEqual: ([a, b]) => equality(a, b),
  // `t.like(x, {})` holds for any object.
  like: ([a, b]) =>
    b !== undefined && /^(?:\{\s*\}|\[\s*\])$/.test(stripParens(b))
      ? judge(Strengths.presence, `only checks \`like(${b})\`, which any object matches`)
      : equality(a, b),
  not: ([a, b]) => inequality(a, b),
  notDeepEqual: ([a, b]) => inequality(a, b),
  true: ([a]) => condition(a),
  assert: ([a]) => condition(a),
  truthy: ([a]) => condition(a),
  false: ([a]) => falseCondition(a),
  falsy: ([a]) => falseCondition(a),
  regex: patternMatch,
  notRegex: patternMatch,
  throws: ([, expectation]) => thrown(expectation, 'throws'),
  throwsAsync: ([, expectation]) => thrown(expectation, 'rejects'),
  notThrows: () => judge(Strengths.presence, 'only checks that it does not throw'),
  notThrowsAsync: () => judge(Strengths.presence, 'only checks that it does not reject'),
  snapshot: ([a]) =>
    a !== undefined && isLiteral(a)
      ? judge(Strengths.constant, 'checks a constant, not the code')
      : judge(Strengths.value, 'checks the value'),
  pass: () => judge(Strengths.constant, 'passes whatever the code does'),
  fail: () => judge(Strengths.value, 'fails the test'),
};

/** What the text alone cannot tell: Python's `assert (x, "why")` asserts a tuple, JS's `assert(x, "why")` is a call. */
export interface AssertionContext {
  python?: boolean;
}

/** How much the assertion written as `text` checks, in any language the guard reads; undefined when unknown. */
export function judgeAssertion(text: string, context: AssertionContext = {}): Judgement | undefined {
  const code = text
    .trim()
    .replace(/^await\s+/, '')
    .replace(/^_\s*=\s*/, '');
  // `true || assert.Equal(t, 3, got)`, `False and self.assertEqual(...)`: the assertion never runs.
  if (
    shortCircuitsTrue(code) ||
    splitTopLevel(code, '&&').some((side) => /^(?:false|False)$/.test(stripParens(side)))
  ) {
    return judge(Strengths.constant, 'is short-circuited by a constant');
  }
  const rust = /^(?:debug_)?assert(_eq|_ne)?!\s*[([{]/.exec(code);
  if (rust) {
    const inner = insideParens(code.replace(/[[{]/, '('), code.search(/[([{]/))?.inner ?? '';
    const args = splitTopLevel(inner);
    if (rust[1] === '_eq') return equality(args[0], args[1]);
    if (rust[1] === '_ne')
      return sameExpression(args[0] ?? '', args[1] ?? '')
        ? undefined
        : judge(Strengths.range, 'only checks that the values differ');
    return condition(args[0]);
  }
  if (/^expect(?:\.soft)?\s*\(/.test(code)) return expectation(code);
  if (/^if\s/.test(code)) return goIfCheck(code);
  const pytestCheck = /^(?:pytest\.)?(?:raises|warns)\s*\(/.exec(code);
  if (pytestCheck) {
    const args = insideParens(code, pytestCheck[0].length - 1);
    const parts = args ? splitTopLevel(args.inner) : [];
    const match = parts.find((part) => /^match\s*=/.test(part))?.replace(/^match\s*=\s*/, '');
    return args && exceptionExpected(parts, match);
  }
  const method = /^(?:self\.|assert\.|require\.|chai\.assert\.)(\w+)\s*\(/.exec(code);
  if (method?.[1]) {
    const open = code.indexOf('(', method[0].length - 1);
    const args = insideParens(code, open);
    const judged = args && methodCall(method[1], args.inner, /^(?:assert|require)\.[A-Z]/.test(code));
    // Else maybe ava's, on a context parameter named `assert`: `assert.is(a, 6)`, `assert.true(ok)`.
    if (judged || !Object.hasOwn(avaMethods, method[1])) return judged;
  }
  // `t.is(a, 6)`, or `is(a, 6)` destructured from the context (a bare `assert(x)` is read below).
  const ava = /^(?!self\.)(?:[A-Za-z_$][\w$]*\s*\.\s*)?(\w+)\s*\(/.exec(code);
  if (ava?.[1] && Object.hasOwn(avaMethods, ava[1]) && !/^assert\s*\(/.test(code)) {
    const args = insideParens(code, ava[0].length - 1);
    return args && avaMethods[ava[1]]?.(splitTopLevel(args.inner));
  }
  const bare = /^assert\b\s*/.exec(code);
  if (bare) {
    const rest = code.slice(bare[0].length);
    const wrapped = rest.startsWith('(') ? insideParens(rest, 0) : undefined;
    const whole = wrapped !== undefined && wrapped.end >= rest.replace(/;\s*$/, '').length - 1;
    // Python: `assert (total == 6, "why")` and `assert (total == 6,)` assert a tuple, which is always true.
    if (context.python && whole && splitTopLevel(wrapped.inner).length > 1) {
      return judge(Strengths.constant, 'asserts a tuple, which is always true');
    }
    const args = whole ? splitTopLevel(wrapped.inner) : splitTopLevel(rest);
    return condition(args[0]);
  }
  return undefined;
}
