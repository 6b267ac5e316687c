import { isTestFile } from '../tests/test-languages.ts';
import type { Detector } from './code-detects-tests.ts';
import { mayBeTestSupport } from './test-support-weakened.ts';

/** Imports of the project's own modules (a relative path): `import cart from './cart.js'`, `require('../src/cart')`. */
const jsProjectImports = [
  /^import\s+(?:\*\s+as\s+)?(\w+)\b[^;\n]*?from\s*['"`]\.{1,2}\/[^'"`]*['"`]/gm,
  /^import\s*\{[^}]*?\b(\w+)\s*\}\s*from\s*['"`]\.{1,2}\/[^'"`]*['"`]/gm,
  /^(?:const|let|var)\s+(\w+)\s*=\s*require\s*\(\s*['"`]\.{1,2}\/[^'"`]*['"`]\s*\)/gm,
];

/**
 * Test code that patches what it imports at the top level of its module, where it runs as the runner loads
 * the file, for every test after it and not just its own: a new `tests/test_aaa.py` with
 * `adder.add = lambda a, b: a + b`, collected before the real test, makes that test pass on the broken code
 * (pytest imports every test module of the run into one process; mocha too). Inside a test, `monkeypatch`
 * and `vi.spyOn` are undone after it and are no finding. Patterns on added lines that start at the first
 * column (the top level, in Python by its grammar; in JavaScript as code is laid out).
 */
export const testPatchDetectors: readonly Detector[] = [
  {
    file: /\.py$/,
    comment: /^\s*#/,
    splitStart: /^\w[\w.]*\s*$/,
    // At the top level of a test module nothing else is assigned an attribute but what it imported (or
    // defined itself, which is rare there): `adder.add = ...`, `setattr(adder, "add", ...)`, `sys.modules[...] = ...`.
    checks: [
      /^[A-Za-z_]\w*(?:\s*\.\s*\w+)+\s*(?:=(?!=)|\+=)/,
      /^setattr\s*\(/,
      /^sys\s*\.\s*modules\s*\[[^\]]+\]\s*=(?!=)/,
    ],
  },
  {
    file: /\.[cm]?[jt]sx?$/,
    comment: /^\s*(?:\/\/|\/\*|\*)/,
    splitStart: /^\w[\w.]*\s*$/,
    checks: [],
    aliases: {
      binds: jsProjectImports,
      check: (name) =>
        new RegExp(
          `^${name}(?:\\s*\\.\\s*\\w+|\\[[^\\]]+\\])+\\s*(?:=(?!=)|\\|\\|=|\\?\\?=)|^(?:Object|Reflect)\\s*\\.\\s*(?:defineProperty|defineProperties|assign|setPrototypeOf|set)\\s*\\(\\s*${name}\\b`,
        ),
    },
  },
];

/** Whether `path` is test code: a test file, a test helper, or pytest's conftest.py. */
export function isTestCode(path: string): boolean {
  return isTestFile(path) || mayBeTestSupport(path) || /(?:^|\/)conftest\.py$/.test(path);
}
