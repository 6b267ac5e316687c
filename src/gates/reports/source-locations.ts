import { fileURLToPath } from 'node:url';
import { rustPanicLine } from './rust-panic.ts';
import { scannedLines } from './text-lines.ts';

/** A place in the source, as precise as the text allows. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

/** A path as text shows it, `file://` URLs made plain paths. */
export function normalizePath(path: string): string {
  if (!path.startsWith('file://')) return path;
  try {
    return fileURLToPath(path);
  } catch {
    return path.slice('file://'.length);
  }
}

/** True for code that is not the project's own: dependencies, runtimes, test-runner internals. */
function isLibraryPath(path: string): boolean {
  return (
    /(^|\/)node_modules\//.test(path) ||
    path.includes('\\node_modules\\') ||
    /^(?:node:|internal\/|<anonymous>|native$)/.test(path) ||
    /\/src\/(?:runtime|testing|reflect|sync)\/[^/]+\.go$/.test(path) ||
    /\/(?:site-packages|dist-packages)\/|\/lib\/python\d/.test(path) ||
    /^\/rustc\/[0-9a-f]+\/|\/\.cargo\/registry\//.test(path)
  );
}

const locationPatterns: RegExp[] = [
  // JavaScript stack frames: "at fn (file:///a.js:1:2)", "at /a.ts:1:2", node:test's "fn (/a.js:1:2)".
  /(?:^\s*at\s+(?:async\s+)?|\()((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?\s*\{?$/,
  // Compiler and test-log prefixes: "src/a.c:3:4: error", pytest's "tests/a.py:6: AssertionError", go's "a_test.go:12: msg".
  /^\s*(?:E\s+)?([^\s:()'"]+\.[A-Za-z0-9]+):(\d+)(?::(\d+))?:(?:\s|$)/,
  // JVM stack frames: "at com.acme.CartTest.total(CartTest.java:24)"; runtime and test-framework frames are skipped.
  /^\s*at\s+(?!(?:java|javax|jdk|sun|kotlin|junit|org\.junit|org\.opentest4j|org\.testng|org\.gradle|org\.apache\.maven)[./])[\w$./<>]+\(([\w$]+\.(?:java|kt|scala|groovy)):(\d+)\)/,
  // Python tracebacks: File "a.py", line 3, in f; pytest shows a SyntaxError's under "E".
  /^\s*(?:E\s+)?File "([^"]+)", line (\d+)/,
  // Go panic stacks: "\t/home/dev/shop/cart.go:9 +0x1d"
  /^\s+(\/\S+\.go):(\d+)(?: \+0x[0-9a-f]+)?$/,
  // Rust panics: "thread 'tests::sums' (16364) panicked at src/main.rs:14:9:"
  rustPanicLine,
  // vitest's code frames: " ❯ test/a.test.ts:6:15", " ❯ fn src/a.ts:2:28"
  /^\s*❯\s+(?:\S+\s+)?([^\s()]+):(\d+):(\d+)\s*$/,
];

/** The source locations a text names, in order, library and runtime frames left out. */
export function findLocations(text: string): SourceLocation[] {
  const found: SourceLocation[] = [];
  for (const line of scannedLines(text)) {
    for (const pattern of locationPatterns) {
      const match = pattern.exec(line);
      if (!match?.[1] || !match[2]) continue;
      const file = normalizePath(match[1]);
      if (!isLibraryPath(file)) {
        found.push({ file, line: Number(match[2]), ...(match[3] ? { column: Number(match[3]) } : {}) });
      }
      break;
    }
  }
  return found;
}

/** True when two spellings of a path name the same file (absolute vs relative, or a bare file name). */
export function isSameFile(left: string, right: string): boolean {
  const [a, b] = [normalizePath(left).replaceAll('\\', '/'), normalizePath(right).replaceAll('\\', '/')];
  return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
}

/**
 * The best location for a failure: the report's own file, with the line of the first stack frame in that file
 * (the assertion rather than the test's declaration); else the report's location; else the first user frame.
 */
export function chooseLocation(reported: SourceLocation | undefined, text: string): ChosenLocation | undefined {
  const candidates = findLocations(text);
  const chosen = pickLocation(reported, candidates);
  // JS stacks list the innermost frame first; Python tracebacks ("most recent call last") list it last.
  const thrownAt = candidates.at(-1)?.file.endsWith('.py') ? candidates.at(-1) : candidates[0];
  if (!chosen || !thrownAt || isSameFile(thrownAt.file, chosen.file)) return chosen;
  return { ...chosen, origin: `${thrownAt.file}:${thrownAt.line ?? ''}`.replace(/:$/, '') };
}

/** A location plus, when the error was raised in another file than the test's, where. */
export type ChosenLocation = SourceLocation & { origin?: string };

function pickLocation(reported: SourceLocation | undefined, candidates: SourceLocation[]): SourceLocation | undefined {
  if (reported) {
    const inReportedFile = candidates.find((candidate) => isSameFile(candidate.file, reported.file));
    if (inReportedFile) return { ...inReportedFile, file: reported.file };
    if (reported.line !== undefined || candidates.length === 0) return reported;
  }
  // An error thrown by the code under test: the agent needs the test's line too, so prefer the test file.
  return candidates.find((candidate) => looksLikeTestFile(candidate.file)) ?? candidates[0];
}

const testFilePattern =
  /(^|\/)(tests?|__tests__|spec)\/|\.(test|spec)\.[cm]?[jt]sx?$|_test\.(go|py)$|(^|\/)test_[^/]*\.py$|_spec\.rb$/;

/** True for paths that follow the test-file conventions of JS/TS, Python, Go and Ruby. */
export function looksLikeTestFile(path: string): boolean {
  return testFilePattern.test(path.replaceAll('\\', '/'));
}
