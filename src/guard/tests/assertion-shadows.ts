/**
 * Definitions in a test file that replace the assertion functions its tests call: `const expect = () => ...`,
 * `function assert() {}`, `self.assertEqual = lambda *a: None`, `assert := fake{}`, `macro_rules! assert_eq`.
 * The assertions still read as before, so the rules that compare them see nothing; this finds the definition.
 */
export interface AssertionShadow {
  /** The name redefined: `expect`, `assertEqual`, `assert_eq`. */
  name: string;
  line: number;
  /** The defining line, trimmed. */
  text: string;
}

/** Modules an `assert`/`expect` may be imported or required from: the real assertion libraries. */
const assertionModules =
  /^(?:node:)?assert(?:\/strict)?$|^(?:chai|expect|vitest|@jest\/globals|node:test|bun:test|@playwright\/test|power-assert|uvu\/assert|ava|should)$/;

const jsPatterns: RegExp[] = [
  // `const expect = ...`, `let assert = ...` (not a `require` of a real library: checked below)
  /\b(?:const|let|var)\s+(expect|assert|should)\s*=\s*(.*)$/,
  /\b(?:const|let|var)\s*\{[^}]*?\b(expect|assert)\b[^}]*\}\s*=\s*(.*)$/,
  /\bfunction\s*\*?\s*(expect|assert)\s*\(/,
  /^\s*(?:globalThis\.|global\.|window\.)?(expect|assert)\s*=(?!=)/,
  // `assert.equal = () => {}`, `expect.extend(...)` is fine: only assignments to a member.
  /^\s*(?:globalThis\.|global\.)?((?:expect|assert)(?:\.\w+)+)\s*=(?!=)/,
  // ava's assertions live on the test's context: `t.is = () => {}`, `Object.assign(t, { is() {} })`.
  /^\s*(t\.(?:is|not|deepEqual|notDeepEqual|like|true|false|truthy|falsy|assert|regex|notRegex|throws|throwsAsync|notThrows|notThrowsAsync|snapshot|pass|fail|plan))\s*=(?!=)/,
  /\bObject\.(?:assign|defineProperty|defineProperties|setPrototypeOf)\(\s*(t)\s*,/,
  // ava's `test` from a file of the repository, which may never run the bodies: `import test from './fake.js'`.
  /^\s*import\s+(test)\s+from\s+['"](\.{1,2}\/[^'"]*)['"]/,
  /\b(?:const|let|var)\s+(test)\s*=\s*((?:await\s+import|require)\s*\(.*)$/,
  /\b(?:vi|jest)\.(?:mock|doMock)\(\s*['"]((?:node:)?assert(?:\/strict)?|chai|vitest|expect|@jest\/globals)['"]/,
  /\b(?:vi|jest)\.spyOn\(\s*(assert|expect|chai)\b/,
  // A custom matcher under a built-in's name replaces it: `expect.extend({ toBe: () => ({ pass: true }) })`.
  /\bexpect\.extend\(.*?\b(toBe|toEqual|toStrictEqual|toMatchObject|toContain|toHaveLength|toThrow|toMatchSnapshot|toBeCloseTo)\b/,
  /\boverwrite(?:Method|Property|ChainableMethod)\(\s*['"](\w+)['"]/,
];
const unittestNames =
  'assertEqual|assertEquals|assertNotEqual|assertTrue|assertFalse|assertIs|assertIsNot|assertIsNone|assertIsNotNone|assertIn|assertNotIn|assertIsInstance|assertRaises|assertAlmostEqual|assertGreater|assertGreaterEqual|assertLess|assertLessEqual|assertCountEqual|assertListEqual|assertDictEqual|assertTupleEqual|assertSetEqual|assertSequenceEqual|assertMultiLineEqual|assertRegex';
const pythonPatterns: RegExp[] = [
  new RegExp(`^\\s*(?:self\\.|cls\\.|unittest\\.TestCase\\.|TestCase\\.|\\w+\\.)?(${unittestNames})\\s*=(?!=)`),
  new RegExp(`^\\s*(?:async\\s+)?def\\s+(${unittestNames})\\s*\\(`),
  /^\s*(assert)\s*=(?!=)/,
  /\bsetattr\(\s*[\w.]+\s*,\s*['"](assert\w*)['"]/,
  /\b(?:patch\.object|monkeypatch\.setattr)\(\s*[\w.]+\s*,\s*['"](assert\w*)['"]/,
];
const goPatterns: RegExp[] = [
  /\b(assert|require)\s*:?=\s*(.*)$/,
  /\bvar\s+(assert|require)\b\s*(.*)$/,
  /^\s*func\s+(?:\([^)]*\)\s*)?(Errorf|Fatalf|Error|Fatal|Fail|FailNow)\s*\(/,
];
const rustPatterns: RegExp[] = [
  /\bmacro_rules!\s*((?:debug_)?assert(?:_eq|_ne)?)\b/,
  /\buse\s+[\w:]+\s+as\s+((?:debug_)?assert(?:_eq|_ne)?)\s*;/,
];

/** Whether what a matched JS/Go line assigns is the real library (`require('node:assert')`, `assert.New(t)`). */
function isRealLibrary(language: string, rest: string | undefined): boolean {
  if (rest === undefined) return false;
  const value = rest.trim().replace(/;$/, '');
  if (language === 'go') return /^(?:assert|require)\.New\(\s*\w+\s*\)$/.test(value);
  const required = /^(?:await\s+import|require)\(\s*['"]([^'"]+)['"]\s*\)(?:\.(?:assert|expect|strict|default))?$/.exec(
    value,
  );
  if (required) return assertionModules.test(required[1] ?? '');
  // `chai.expect`, and vitest's in-source tests: `const { it, expect } = import.meta.vitest`.
  return /^(?:chai\.(?:assert|expect)|import\.meta\.vitest)$/.test(value);
}

/** ES imports that bind `expect`/`assert` to a file of the repository: `import { expect } from './fake.js'`. */
const localImport = /^\s*import\s+(.*?)\s+from\s+['"]([^'"]+)['"]/;

function patternsOf(path: string): { language: string; patterns: RegExp[] } | undefined {
  if (/\.[cm]?[jt]sx?$/.test(path)) return { language: 'js', patterns: jsPatterns };
  if (path.endsWith('.py')) return { language: 'python', patterns: pythonPatterns };
  if (path.endsWith('.go')) return { language: 'go', patterns: goPatterns };
  if (path.endsWith('.rs')) return { language: 'rust', patterns: rustPatterns };
  return undefined;
}

/** Every definition in `source` (a test file at `path`) that shadows or replaces an assertion function. */
export function assertionShadows(path: string, source: string): AssertionShadow[] {
  const known = patternsOf(path);
  if (!known) return [];
  const shadows: AssertionShadow[] = [];
  source.split('\n').forEach((line, index) => {
    const code = line.trim();
    if (/^(?:\/\/|#|\*|\/\*)/.test(code)) return;
    const imported = known.language === 'js' ? localImport.exec(line) : null;
    if (imported && /[./]/.test(imported[2]?.[0] ?? '') && /\b(?:expect|assert)\b/.test(imported[1] ?? '')) {
      shadows.push({ name: /\bexpect\b/.test(imported[1] ?? '') ? 'expect' : 'assert', line: index + 1, text: code });
      return;
    }
    for (const pattern of known.patterns) {
      const match = pattern.exec(line);
      if (!match?.[1]) continue;
      if (match.length > 2 && isRealLibrary(known.language, match[2])) continue;
      shadows.push({ name: match[1], line: index + 1, text: code });
      return;
    }
  });
  return shadows;
}

/** The shadows in `after` that `before` (the file at the base, if any) did not have, compared by their text. */
export function addedShadows(path: string, before: string | undefined, after: string): AssertionShadow[] {
  const existing = (before === undefined ? [] : assertionShadows(path, before)).map((shadow) => shadow.text);
  return assertionShadows(path, after).filter((shadow) => {
    const index = existing.indexOf(shadow.text);
    if (index === -1) return true;
    existing.splice(index, 1);
    return false;
  });
}
