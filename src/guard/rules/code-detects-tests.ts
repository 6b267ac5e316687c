import type { ChangedFile } from '../changed-files.ts';
import type { Finding, GuardRule } from '../finding.ts';
import { isTestFile } from '../tests/test-languages.ts';
import { foldConstantStrings } from './constant-strings.ts';
import { guardsSideEffectsOnly } from './side-effect-guards.ts';
import { mayBeTestSupport } from './test-support-weakened.ts';

/**
 * The code under test made to tell whether a test runner runs it (`"pytest" in sys.modules`,
 * `process.env.VITEST`, `testing.Testing()`, `cfg!(test)`): it can then return what the tests expect only under
 * test, and every test passes without the code working. Patterns on the added lines of non-test code files:
 * no parser, so the rule stays cheap on any change.
 */
export interface Detector {
  file: RegExp;
  /** Comment lines: skipped, they do not run. */
  comment: RegExp;
  checks: readonly RegExp[];
  /**
   * Checks of a setting that names the environment (`NODE_ENV === 'test'`), which programs read for other reasons
   * too: a warning when it only keeps a server from listening or a log from printing (see `guardsSideEffectsOnly`).
   */
  settingChecks?: readonly RegExp[];
  /** A line that may start a check written over several lines: cheap to test, so most lines are read once. */
  splitStart: RegExp;
  /**
   * Names bound to what the checks look at (`const { NODE_ENV: mode } = process.env`, `mods = sys.modules`),
   * by patterns whose first group is the name, and the check that such a name makes on a line.
   */
  aliases?: { binds: readonly RegExp[]; check(name: string): RegExp; setting?: true };
}

/** The string a test run's environment name is compared with: `'test'`, `"testing"`. */
const testWord = '[\'"`]test(?:ing)?[\'"`]';

/** Names only test runners put in the environment: no program reads them for another reason. */
const runnerEnvironmentNames =
  /\b(?:PYTEST_CURRENT_TEST|PYTEST_XDIST_WORKER\w*|PYTEST_VERSION|JEST_WORKER_ID|VITEST(?:_\w+)?|NODE_TEST_CONTEXT|MOCHA_\w+|AVA_\w+|TAP_CHILD_ID|TEST_WORKER_INDEX|TEST_PARALLEL_INDEX|PLAYWRIGHT_TEST\w*|RUST_TEST_\w+|NEXTEST\w*)\b/;
/** Build-time flags a bundler or runner config defines for tests: `if (__TEST__)`. */
const testFlagGlobals = /\b__(?:TESTS?|TESTING|VITEST|JEST)__\b/;

const detectors: readonly Detector[] = [
  {
    file: /\.[cm]?[jt]sx?$/,
    comment: /^\s*(?:\/\/|\/\*|\*)/,
    splitStart:
      /\b(?:NODE_ENV|BABEL_ENV|APP_ENV|MODE|npm_lifecycle_event|argv|execArgv|typeof|globalThis|global|window|self)\b|['"`]test(?:ing)?['"`]|\(\s*$/,
    checks: [
      runnerEnvironmentNames,
      testFlagGlobals,
      /\bimport\.meta\.vitest\b/,
      // `typeof it === 'function'`, `typeof jest !== 'undefined'`
      /\btypeof\s+\(?\s*(?:it|describe|test|expect|jest|vi|vitest|suite|beforeEach|afterEach|beforeAll|afterAll|jasmine|mocha|QUnit)\b/,
      // `globalThis.describe`, `global['it']`, `'expect' in globalThis`
      /\b(?:globalThis|global|window|self)\s*(?:\?\.|\.|\[\s*['"`])\s*(?:it|describe|test|expect|jest|vi|suite|beforeEach|afterEach|beforeAll|afterAll|jasmine|mocha|__vitest_\w+)\b/,
      /['"`](?:it|describe|test|expect|jest|vi|jasmine|__vitest_\w+)['"`]\s+in\s+(?:globalThis|global|window|self)\b/,
      /\b__vitest_\w+|__jest\w*/,
      // `process.argv.includes('--test')`, `process.argv[1].includes('vitest')`
      /\bprocess\s*\.\s*(?:argv|execArgv)\b.*['"`/](?:--test\b|vitest|jest|mocha|\bava\b|\btap\b)/,
    ],
    settingChecks: [
      // `process.env.NODE_ENV === 'test'`, `import.meta.env.MODE === "test"`, `['test'].includes(NODE_ENV)`
      /\b(?:NODE_ENV|BABEL_ENV|APP_ENV|MODE|npm_lifecycle_event)\b.*['"`]test(?:ing)?['"`]|['"`]test(?:ing)?['"`].*\b(?:NODE_ENV|BABEL_ENV|APP_ENV|MODE|npm_lifecycle_event)\b/,
    ],
    aliases: {
      binds: [
        /\b(?:const|let|var)\s+(\w+)\s*=[^;\n]*\b(?:NODE_ENV|BABEL_ENV|APP_ENV|MODE)\b/g,
        /\b(?:NODE_ENV|BABEL_ENV|APP_ENV|MODE)\s*:\s*(\w+)/g,
      ],
      check: (name) => new RegExp(`\\b${name}\\b.*${testWord}|${testWord}.*\\b${name}\\b`),
      setting: true,
    },
  },
  {
    file: /\.py$/,
    comment: /^\s*#/,
    splitStart: /\bsys\b|['"](?:_?pytest|unittest|nose2?|doctest)['"]|\(\s*$/,
    checks: [
      runnerEnvironmentNames,
      // `"pytest" in sys.modules`, `sys.modules.get("unittest")`
      /\bsys\s*\.\s*modules\b.*['"](?:_?pytest|unittest|nose2?|doctest|hypothesis)\b|['"](?:_?pytest|unittest|nose2?|doctest)['"]\s+in\s+sys\s*\.\s*modules/,
      // `sys.argv[0].endswith("pytest")`, `"unittest" in sys.argv`
      /\bsys\s*\.\s*(?:argv|orig_argv)\b.*(?:pytest|py\.test|unittest|nose)|(?:pytest|unittest).*\bsys\s*\.\s*(?:argv|orig_argv)\b/,
      // pytest's documented `sys._called_from_test`, `find_spec("pytest")`
      /\b_called_from_test\b/,
      /\bfind_spec\s*\(\s*['"]_?pytest/,
    ],
    aliases: {
      binds: [
        /^\s*(\w+)\s*=\s*sys\s*\.\s*(?:modules|argv|orig_argv)\b/gm,
        /^\s*from\s+sys\s+import\s+.*?\b(?:modules|argv)\s+as\s+(\w+)/gm,
        /^\s*from\s+sys\s+import\s+.*?\b(modules|argv|orig_argv)\b(?!\s+as)/gm,
      ],
      check: (name) =>
        new RegExp(
          `\\b${name}\\b.*['"](?:_?pytest|py\\.test|unittest|nose2?)\\b|['"](?:_?pytest|unittest|nose2?)['"]\\s+in\\s+${name}\\b`,
        ),
    },
  },
  {
    file: /\.go$/,
    comment: /^\s*\/\//,
    splitStart: /\bos\s*\.\s*Args\b|\bflag\b|\(\s*$/,
    checks: [
      runnerEnvironmentNames,
      /\btesting\s*\.\s*Testing\s*\(/,
      // `flag.Lookup("test.v")`, `"-test.run"` in os.Args
      /"-{0,2}test\.\w+"/,
      /\bos\s*\.\s*Args\b.*(?:\.test\b|_test\b)|\.test".*\bos\s*\.\s*Args\b/,
      /\bos\s*\.\s*Executable\s*\(.*test/,
    ],
  },
  {
    file: /\.rs$/,
    comment: /^\s*\/\//,
    splitStart: /\bcfg(?:_attr)?!?\s*\(|\(\s*$/,
    checks: [
      runnerEnvironmentNames,
      /\bcfg!\s*\(.*\btest\b/,
      // `#[cfg(test)]`, `#[cfg(not(test))]` on an item that is no test module (see `isTestModuleAttribute`)
      /#!?\[\s*cfg\s*\(.*\btest\b.*\)\s*\]/,
      // `#[cfg_attr(test, path = "fake.rs")]`: another module file under test
      /#!?\[\s*cfg_attr\s*\(.*\btest\b.*\bpath\s*=/,
    ],
  },
];

/**
 * Where code that may look for the runner is not the code under test: tests and their helpers, runner and
 * build configs (`vite.config.ts` choosing a test `mode`, `babel.config.js`, `conftest.py`), mocks.
 */
const notCodeUnderTest =
  /(?:^|\/)(?:__mocks__|__fixtures__|fixtures|testdata)\/|\.config\.[cm]?[jt]s$|(?:^|\/)(?:\.\w+rc\.[cm]?js|karma\.conf\.[cm]?js|conftest\.py|noxfile\.py|setup[-_.]?tests?\.[cm]?[jt]sx?|tests?[-_.]?setup\.[cm]?[jt]sx?|(?:vitest|jest)\.setup\.[cm]?[jt]sx?)$/;

/** Whether `path` is code the tests load to test it: not a test, a test helper, a config or a mock. */
export function isCodeUnderTest(path: string): boolean {
  return !(isTestFile(path) || mayBeTestSupport(path) || notCodeUnderTest.test(path));
}

function detectorOf(path: string): Detector | undefined {
  return isCodeUnderTest(path) ? detectors.find((detector) => detector.file.test(path)) : undefined;
}

export interface Detection {
  /** The check as written, spaces removed: the same check moved or re-indented is the same check. */
  key: string;
  text: string;
  line: number;
  /** The lines before and after it, trimmed: what tells the base's own check from an added copy. */
  context: string[];
  /** Only a setting check matched (`NODE_ENV === 'test'`, see `settingChecks`), no runner's own name. */
  setting: boolean;
}

export const codeDetectsTests: GuardRule = {
  id: 'code-detects-tests',
  reads: (path) => detectorOf(path) !== undefined,
  check({ changed }) {
    return changed.flatMap((file): Finding[] => {
      const detector = detectorOf(file.path);
      if (!detector || file.after === undefined) return [];
      const lines = file.after.split(/\r?\n/);
      return newDetections(file, detector).map(({ text, line, setting }) => {
        const sideEffect = setting && guardsSideEffectsOnly(lines, line - 1);
        return {
          rule: this.id,
          path: file.path,
          line,
          severity: sideEffect ? 'warn' : 'block',
          message:
            `${file.path}:${line} checks whether tests are running (\`${text}\`): ` +
            (sideEffect
              ? 'it only keeps a server from listening or a log from printing under test; make sure the code ' +
                'the tests call still behaves the same'
              : 'the code must behave the same under test; remove it'),
        };
      });
    });
  },
};

/**
 * The detections the change added: of each check, as many more as the file now has than the base had. Those
 * whose neighbouring lines read as at the base are the base's own (moved or re-indented with their code).
 */
export function newDetections(file: ChangedFile, detector: Detector): Detection[] {
  const before = file.before === undefined ? [] : detectionsIn(file.before, detector);
  const after = detectionsIn(file.after ?? '', detector);
  const had = byKey(before);
  return [...byKey(after)].flatMap(([key, now]) => {
    const was = had.get(key) ?? [];
    const excess = now.length - was.length;
    if (excess <= 0) return [];
    const baseContexts = new Set(was.flatMap((detection) => detection.context));
    const moved = (detection: Detection) => detection.context.some((line) => baseContexts.has(line));
    const added = now.filter((detection) => !moved(detection));
    return added.length > 0 ? added : now.slice(-excess);
  });
}

function byKey(detections: readonly Detection[]): Map<string, Detection[]> {
  const groups = new Map<string, Detection[]>();
  for (const detection of detections) groups.set(detection.key, [...(groups.get(detection.key) ?? []), detection]);
  return groups;
}

function detectionsIn(source: string, detector: Detector): Detection[] {
  const lines = source.split(/\r?\n/);
  const inSourceTestLines = detector.file.test('x.ts') ? vitestInSourceBlocks(lines) : new Set<number>();
  // Names spelled in pieces (`'VIT' + 'EST'`) are read as the string they make.
  const folded = lines.map(foldConstantStrings);
  const aliases = aliasChecks(folded.join('\n'), detector);
  const runnerChecks = detector.aliases?.setting ? detector.checks : [...detector.checks, ...aliases];
  const checks = [...detector.checks, ...(detector.settingChecks ?? []), ...aliases];
  const skipped = (index: number) => detector.comment.test(lines[index] ?? '') || inSourceTestLines.has(index);
  const alone = folded.map((line, index) => !skipped(index) && checks.some((check) => check.test(line)));
  const found: Detection[] = [];
  // The last line of the last check read over several lines: the lines within it start no other.
  let joinedUpTo = -1;
  const note = (index: number, text: string, read: string) => {
    found.push({
      key: text.replace(/\s+/g, ''),
      text: text.length > 120 ? `${text.slice(0, 117)}...` : text,
      line: index + 1,
      context: [`<${lines[index - 1]?.trim() ?? ''}`, `>${lines[index + 1]?.trim() ?? ''}`],
      setting: !runnerChecks.some((check) => check.test(read)),
    });
  };
  lines.forEach((line, index) => {
    if (alone[index]) {
      if (!(detector.file.test('x.rs') && isTestModuleAttribute(lines, index)))
        note(index, line.trim(), folded[index] ?? '');
      return;
    }
    // A check split over lines (`process.env.NODE_ENV\n  === 'test'`): up to three lines read as one, from a line
    // that starts one, when none of them is a check alone.
    if (index <= joinedUpTo || skipped(index) || !detector.splitStart.test(folded[index] ?? line)) return;
    const window = [index, index + 1, index + 2].filter((at) => at < lines.length && !skipped(at));
    if (window.some((at) => alone[at])) return;
    const joined = window.map((at) => lines[at]?.trim() ?? '').join(' ');
    const read = foldConstantStrings(window.map((at) => folded[at]?.trim() ?? '').join(' '));
    if (!checks.some((check) => check.test(read))) return;
    note(index, joined, read);
    joinedUpTo = window.at(-1) ?? index;
  });
  return found;
}

/** The checks made by the names `source` binds to what the detector looks at. */
function aliasChecks(source: string, detector: Detector): RegExp[] {
  const { aliases } = detector;
  if (!aliases) return [];
  const names = new Set(aliases.binds.flatMap((bind) => [...source.matchAll(bind)].map((match) => match[1] ?? '')));
  names.delete('');
  return [...names].map((name) => aliases.check(name));
}

/** `#[cfg(test)]` (not `not(test)`) on a module: Rust's unit tests, which the test rules judge. */
function isTestModuleAttribute(lines: readonly string[], index: number): boolean {
  const line = lines[index] ?? '';
  if (!/#\[\s*cfg\s*\(\s*test\s*\)\s*\]/.test(line) || /\bcfg!/.test(line)) return false;
  const rest = line.slice(line.indexOf(']') + 1).trim();
  const next =
    rest !== '' ? rest : lines.slice(index + 1).find((candidate) => !/^\s*(?:#\[.*\]\s*)?(?:\/\/.*)?$/.test(candidate));
  return next !== undefined && /^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*[{;]/.test(next);
}

/** A vitest in-source test block's opening line, and what may stand at its top level: test declarations only. */
const inSourceBlockStart = /^\s*if\s*\(\s*import\.meta\.vitest\s*\)\s*\{\s*$/;
const inSourceBlockStatement =
  /^\s*(?:const\s*\{[\w\s,:]*\}\s*=\s*import\.meta\.vitest\s*;?\s*$|(?:it|test|describe|suite|bench)(?:\.(?:each|concurrent|sequential|for))?\s*[(`]|\}|\)|$)/;

/**
 * The lines of `if (import.meta.vitest) { ... }` blocks that only declare tests: vitest's in-source tests,
 * stripped from production builds. A block with anything else at its top level (an assignment, a return) is
 * code that runs only under test, and is reported.
 */
function vitestInSourceBlocks(lines: readonly string[]): Set<number> {
  const inside = new Set<number>();
  for (let start = 0; start < lines.length; start++) {
    if (!inSourceBlockStart.test(lines[start] ?? '')) continue;
    const block: number[] = [start];
    let depth = 1;
    let onlyTests = true;
    let end = start + 1;
    for (; end < lines.length && depth > 0; end++) {
      const line = lines[end] ?? '';
      if (depth === 1 && !/^\s*(?:\/\/|\/\*|\*)/.test(line) && !inSourceBlockStatement.test(line)) onlyTests = false;
      depth += count(line, /[{([]/g) - count(line, /[})\]]/g);
      block.push(end);
    }
    if (depth === 0 && onlyTests) for (const index of block) inside.add(index);
    start = end - 1;
  }
  return inside;
}

function count(line: string, pattern: RegExp): number {
  return line.match(pattern)?.length ?? 0;
}
