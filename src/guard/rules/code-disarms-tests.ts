import type { Finding, GuardRule } from '../finding.ts';
import { type Detector, isCodeUnderTest, newDetections } from './code-detects-tests.ts';
import { isTestCode, testPatchDetectors } from './test-module-patches.ts';

/**
 * The code under test made to end or disarm the test run that loads it, with the tests left as they were:
 * `process.exit(0)` in a function the tests call (node:test then counts the file as passed), `os._exit(0)` or
 * an `atexit` that forces status 0 after pytest reported the failure, `assert.equal = () => {}` on the
 * assertion library the tests import, `_pytest.python.Function.runtest` replaced, a result whose `__eq__`
 * returns True. Each of these is a pass the
 * test runner itself reports, so no gate can see through it; they are patterns on the added lines of non-test
 * code files, as `code-detects-tests` reads them. The same rule reads test code for patches made at the top
 * level of a module, which reach every test loaded after it (test-module-patches.ts). Best effort: a computed
 * name or status is not seen.
 */

/**
 * An assertion library, as a module specifier: Node's, chai, expect, should. Code under test may use Node's for
 * invariants of its own; it has no reason to change any of them.
 */
const assertionLibrary = `['"\`](?:(?:node:)?assert(?:/strict)?|chai|expect|should|power-assert)['"\`]`;

/**
 * Python's equality and membership methods, which `==`, `!=` and `in` ask. Order and truth are left out: a
 * sentinel that is always falsy, or a maximum that is never less, answer them with a constant by design.
 */
const comparisons = '__(?:eq|ne|contains)__';

const detectors: readonly Detector[] = [
  {
    file: /\.[cm]?[jt]sx?$/,
    comment: /^\s*(?:\/\/|\/\*|\*)/,
    splitStart: /\bprocess\s*$|\(\s*$/,
    checks: [
      // `process.exit()`, `process.exit(0)`, `process['exit'](0)`, `process.reallyExit(0)`, `process.exitCode = 0`
      /\bprocess\s*(?:\.\s*|\[\s*['"`])(?:exit|reallyExit)(?:['"`]\s*\])?\s*\(\s*(?:0|false|null|undefined|)\s*\)/,
      /\bprocess\s*(?:\.\s*|\[\s*['"`])exitCode(?:['"`]\s*\])?\s*=\s*(?:0|null|undefined)\b/,
      // `require('node:assert').equal = ...`
      new RegExp(`\\brequire\\s*\\(\\s*${assertionLibrary}\\s*\\)\\s*(?:\\.\\s*\\w+|\\[[^\\]]+\\])+\\s*=(?!=)`),
    ],
    aliases: {
      // The names Node's assertion module is bound to: `import assert from 'node:assert/strict'`,
      // `import * as a from 'assert'`, `import { strict as a } from 'assert'`, `const a = require('assert')`.
      binds: [
        new RegExp(
          `\\bimport\\s+(?:\\*\\s+as\\s+)?(\\w+)\\s*(?:,\\s*\\{[^}]*\\}\\s*)?from\\s*${assertionLibrary}`,
          'g',
        ),
        new RegExp(`\\bimport\\s*\\{[^}]*?\\bstrict\\s+as\\s+(\\w+)[^}]*\\}\\s*from\\s*${assertionLibrary}`, 'g'),
        new RegExp(`\\bimport\\s*\\{[^}]*?\\b(strict)\\b(?!\\s+as)[^}]*\\}\\s*from\\s*${assertionLibrary}`, 'g'),
        new RegExp(`\\b(?:const|let|var)\\s+(\\w+)\\s*=\\s*require\\s*\\(\\s*${assertionLibrary}\\s*\\)`, 'g'),
      ],
      // A property of it replaced, or the module object redefined.
      check: (name) =>
        new RegExp(
          `\\b${name}(?:\\s*\\.\\s*\\w+|\\[[^\\]]+\\])+\\s*(?:=(?!=)|\\|\\|=|\\?\\?=)|\\b(?:Object|Reflect)\\s*\\.\\s*(?:defineProperty|defineProperties|assign|setPrototypeOf|set)\\s*\\(\\s*${name}\\b`,
        ),
    },
  },
  {
    file: /\.py$/,
    comment: /^\s*#/,
    splitStart: /\(\s*$|^\s*def\s+__\w+__\s*\(/,
    checks: [
      // `os._exit(0)`, `atexit.register(os._exit, 0)`, `from os import _exit`: ends the process past pytest's status.
      /\b_exit\b/,
      // The runner or its internals loaded by the code under test, to patch them.
      /^\s*(?:import|from)\s+_?pytest\b/,
      /\b(?:import_module|__import__)\s*\(\s*['"]_?pytest\b/,
      // A value that answers every comparison the same, so `assert add(2, 3) == 5` holds whatever it holds:
      // `def __eq__(self, other): return True` (read over its lines), `__eq__ = lambda self, other: True`.
      new RegExp(`\\bdef\\s+${comparisons}\\s*\\([^)]*\\)\\s*(?:->\\s*[\\w.]+\\s*)?:\\s*return\\s+(?:True|False)\\s*$`),
      new RegExp(`^\\s*${comparisons}\\s*=\\s*lambda\\b[^:]*:\\s*(?:True|False)\\s*$`),
      // unittest.mock's ANY, which equals everything, handed back by the code under test.
      /\bfrom\s+unittest\.mock\s+import\b.*\bANY\b|\bmock\s*\.\s*ANY\b/,
    ],
  },
  {
    file: /\.rs$/,
    comment: /^\s*\/\//,
    splitStart: /\(\s*$/,
    // libtest runs the tests in the test binary's own process: exiting 0 from a test ends the run as passed.
    checks: [/\bprocess\s*::\s*exit\s*\(\s*0\s*\)|\blibc\s*::\s*_?exit\s*\(\s*0\s*\)/],
  },
];

/** What may disarm the run in `path`: the code under test's detectors, or test code's top-level patches. */
function detectorOf(path: string): { detector: Detector; inTests: boolean } | undefined {
  const inTests = isTestCode(path);
  const table = inTests ? testPatchDetectors : isCodeUnderTest(path) ? detectors : [];
  const detector = table.find((candidate) => candidate.file.test(path));
  return detector ? { detector, inTests } : undefined;
}

export const codeDisarmsTests: GuardRule = {
  id: 'code-disarms-tests',
  reads: (path) => detectorOf(path) !== undefined,
  check({ changed }) {
    return changed.flatMap((file): Finding[] => {
      const found = detectorOf(file.path);
      if (!found || file.after === undefined) return [];
      return newDetections(file, found.detector).map(({ text, line }) => ({
        rule: this.id,
        path: file.path,
        line,
        severity: 'block',
        message: found.inTests
          ? `${file.path}:${line} patches what it imports at the top level of a test module (\`${text}\`): ` +
            'it changes the code under test for every test the runner loads after it; patch inside a test ' +
            '(monkeypatch, a spy) or fix the code'
          : `${file.path}:${line} ends or disarms the test run that loads it (\`${text}\`): ` +
            'the tests must run to the end and decide; remove it',
      }));
    });
  },
};
