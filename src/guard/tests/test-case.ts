export const MarkerKinds = { skip: 'skip', only: 'only', todo: 'todo', xfail: 'xfail' } as const;
export type MarkerKind = (typeof MarkerKinds)[keyof typeof MarkerKinds];

/**
 * Something that stops a test from running or from failing (`.skip`, `xfail`, `#[ignore]`), or stops the
 * others from running (`.only`).
 */
export interface TestMarker {
  kind: MarkerKind;
  /** The marker as written, e.g. `it.skip`, `@pytest.mark.skip`, `t.Skip()`, `#[ignore]`. */
  text: string;
  line: number;
}

/** A source fragment reduced to tokens, to compare code regardless of formatting and comments. */
export interface TokenForm {
  /** The tokens joined: equal keys mean the same code. */
  key: string;
  /** The same with every literal value replaced by a placeholder: equal skeletons, different keys mean only values changed. */
  skeleton: string;
  /** The literal values, in order. */
  literals: string[];
}

/** An assertion inside a test: `expect(...)`, `assert x == y`, `t.Errorf`, `assert_eq!`. */
export interface Assertion extends TokenForm {
  text: string;
  line: number;
}

/** One test case of any language, with what the rules need to compare it across the change. */
export interface TestCase {
  path: string;
  /** Titles of the enclosing suites (describe, class, mod) and the test's own, outermost first. */
  titles: string[];
  line: number;
  /**
   * The test's code as written, with what else decides its token forms (the grammar, file-wide settings): equal
   * sources mean an equal `body` and equal `assertions` but for their lines, so the rules compare sources before
   * they read forms. Undefined when the code cannot stand for its forms (tree-sitter met syntax errors).
   */
  source: string | undefined;
  /** The test body reduced to tokens: equal keys mean the same test. Empty when the test has no body. */
  body: TokenForm;
  assertions: Assertion[];
  /** Its own markers and those of the suites around it. */
  markers: TestMarker[];
}

/** A language whose test files the guard can read. */
export interface TestLanguage {
  name: string;
  isTestFile(path: string): boolean;
  /** The test cases of one file; a file that does not parse yields what could be read. */
  parseTests(path: string, source: string): TestCase[];
  /** Tests that live in source files of the language (Rust `#[cfg(test)]` modules, doctests), if it has such. */
  inSource?: InSourceTests;
}

/** How a language's tests inside source files are found: by path, then a cheap text check, then a parse. */
export interface InSourceTests {
  /** Whether a file that is no test file may hold tests, by its path alone (its extension). */
  mayHold(path: string): boolean;
  /** Whether `source` may hold tests: a text search, so that most source files are never parsed. */
  holds(source: string): boolean;
  parseTests(path: string, source: string): TestCase[];
}
