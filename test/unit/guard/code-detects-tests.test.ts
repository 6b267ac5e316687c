import { describe, expect, it } from 'vitest';
import { codeDetectsTests } from '../../../src/guard/rules/code-detects-tests.ts';
import { contextForChange } from './changed-context.ts';

/** The lines reported when `path` changes from `before` to `after`. */
function reported(path: string, before: string | undefined, after: string): number[] {
  return codeDetectsTests.check(contextForChange(path, before, after)).map((finding) => finding.line);
}

/** A one-line check added at the top of a function body, in each language's source file. */
const added: Array<[string, string]> = [
  ['src/a.js', 'if (process.env.VITEST_POOL_ID) return 1;'],
  ['src/a.ts', 'const underTest = process.env["JEST_WORKER_ID"] != null;'],
  ['src/a.mjs', "if (['test', 'ci'].includes(process.env.NODE_ENV)) return 1;"],
  ['src/a.tsx', "if (import.meta.env.MODE === 'test') return null;"],
  ['src/a.ts', "if (typeof vi !== 'undefined') return 1;"],
  ['src/a.ts', "if ('expect' in globalThis) return 1;"],
  ['src/a.ts', 'if (globalThis.__vitest_worker__) return 1;'],
  ['src/a.ts', "if (process.argv[1]?.includes('vitest')) return 1;"],
  ['src/a.ts', "if (process.env.npm_lifecycle_event === 'test') return 1;"],
  ['app/a.py', 'if os.getenv("PYTEST_XDIST_WORKER"): return 1'],
  ['app/a.py', 'if "unittest" in sys.modules: return 1'],
  ['app/a.py', 'if "pytest" in sys.argv[0]: return 1'],
  ['app/a.py', 'if importlib.util.find_spec("pytest"): return 1'],
  ['pkg/a.go', 'if flag.CommandLine.Lookup("test.run") != nil { return 1 }'],
  ['pkg/a.go', 'if strings.HasSuffix(os.Args[0], "_test") { return 1 }'],
  ['src/a.rs', 'if std::env::var("NEXTEST_RUN_ID").is_ok() { return 1; }'],
  ['src/a.rs', '#[cfg(any(test, feature = "fake"))]'],
  ['src/a.rs', '#[cfg_attr(test, path = "fake_clock.rs")]'],
];

describe('code-detects-tests', () => {
  it.each(added)('reports a check added in %s: %s', (path, line) => {
    expect(reported(path, 'first\nlast\n', `first\n${line}\nlast\n`)).toEqual([2]);
  });

  it('names the file, the line and the check, and says to remove it', () => {
    const [finding] = codeDetectsTests.check(
      contextForChange('src/cart.js', 'a\n', 'a\nif (process.env.VITEST) return 5;\n'),
    );
    expect(finding).toMatchObject({ rule: 'code-detects-tests', path: 'src/cart.js', line: 2, severity: 'block' });
    expect(finding?.message).toBe(
      'src/cart.js:2 checks whether tests are running (`if (process.env.VITEST) return 5;`): ' +
        'the code must behave the same under test; remove it',
    );
  });

  it('reports a check written over several lines, at its first line, once', () => {
    expect(reported('src/a.ts', 'a\n', "a\nif (\n  process.env.NODE_ENV\n  === 'test'\n) return 5;\n")).toEqual([2]);
    expect(reported('src/a.ts', 'a\n', "a\nconst underTest =\n  typeof it\n  === 'function';\n")).toEqual([3]);
    expect(reported('app/a.py', 'a\n', 'a\nif (\n    "pytest"\n    in sys.modules\n):\n    pass\n')).toEqual([2]);
    expect(reported('src/a.ts', 'a\n', "a\nif (\n  process.env.NODE_ENV === 'production'\n) log();\n")).toEqual([]);
  });

  it('reports a check in a new source file', () => {
    expect(reported('lib/flags.py', undefined, 'import sys\nUNDER_TEST = "pytest" in sys.modules\n')).toEqual([2]);
  });

  it('leaves alone a check the base had, moved and re-indented', () => {
    const before = "function log(m) {\n  if (process.env.NODE_ENV === 'test') return;\n  console.log(m);\n}\n";
    const after =
      "function log(m) {\n  if (m) {\n    if (process.env.NODE_ENV === 'test') return;\n    console.log(m);\n  }\n}\n";
    expect(reported('src/log.js', before, after)).toEqual([]);
  });

  it('reports a second copy of a check the base had, added elsewhere', () => {
    const before = "function log(m) {\n  if (process.env.NODE_ENV === 'test') return;\n  console.log(m);\n}\n";
    const after = `${before}function total(p) {\n  if (process.env.NODE_ENV === 'test') return;\n  return p;\n}\n`;
    expect(reported('src/log.js', before, after)).toEqual([6]);
  });

  it.each([
    ['test/cart.test.ts', 'if (process.env.VITEST) return 5;'],
    ['tests/test_cart.py', 'if "pytest" in sys.modules: pass'],
    ['cart_test.go', 'if testing.Testing() {}'],
    ['test/support/env.ts', 'export const worker = process.env.VITEST_POOL_ID;'],
    ['vitest.config.ts', "const coverage = process.env.NODE_ENV === 'test';"],
    ['conftest.py', 'sys._called_from_test = True'],
    ['src/__mocks__/clock.ts', "export const underTest = typeof vi !== 'undefined';"],
  ])('leaves alone %s, which is no code under test', (path, line) => {
    expect(reported(path, 'a\n', `a\n${line}\n`)).toEqual([]);
  });

  it.each([
    ['src/a.ts', "if (process.env.NODE_ENV === 'production') enableCache();"],
    ['src/a.ts', '// never check process.env.VITEST here'],
    ['src/cli.ts', "if (command === 'test') runSelfTest();"],
    ['app/a.py', '# "pytest" in sys.modules would be cheating'],
    ['app/cli.py', 'if sys.argv[1] == "test": self_test()'],
    ['cmd/main.go', 'if os.Args[1] == "test" { selfTest() }'],
    ['src/lib.rs', '#[cfg(test)]\nmod tests {}'],
    ['src/lib.rs', '#[cfg(test)]\n#[path = "lib_tests.rs"]\nmod tests;'],
    ['src/lib.rs', '#[cfg_attr(test, derive(Debug))]'],
  ])('does not take %s `%s` for a check', (path, line) => {
    expect(reported(path, 'a\n', `a\n${line}\n`)).toEqual([]);
  });

  it('accepts a vitest in-source block that only declares tests, and reports one that runs code', () => {
    const tests =
      "if (import.meta.vitest) {\n  const { it, expect } = import.meta.vitest;\n  it('adds', () => {\n    expect(1).toBe(1);\n  });\n}\n";
    expect(reported('src/sum.ts', 'a\n', `a\n${tests}`)).toEqual([]);
    const code =
      "if (import.meta.vitest) {\n  rate = 2;\n  const { it } = import.meta.vitest;\n  it('x', () => {});\n}\n";
    expect(reported('src/sum.ts', 'a\n', `a\n${code}`)).toEqual([2, 4]);
    expect(reported('src/sum.ts', 'a\n', 'a\nexport const rate = import.meta.vitest ? 2 : 1;\n')).toEqual([2]);
  });
});
