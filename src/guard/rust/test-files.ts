// Integration tests (`tests/**/*.rs`), and the files unit tests are commonly split into: `foo_test.rs`,
// `foo_tests.rs`, `tests.rs` (a `#[cfg(test)] mod tests;` declared in its parent module).
const rustTestFile = /(^|\/)tests\/.*\.rs$|_tests?\.rs$|(^|\/)tests\.rs$/;

/**
 * Whether `path` is a Rust test file by its name alone. Inline `#[cfg(test)] mod tests` in other source files
 * are not covered: the test-file check also decides which files `protect_tests` freezes, and every `.rs`
 * file may hold such a module.
 */
export function isRustTestFile(path: string): boolean {
  return rustTestFile.test(path);
}
