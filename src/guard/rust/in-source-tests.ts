import type { InSourceTests } from '../tests/test-case.ts';
import { parseRustTests } from './parse-tests.ts';

// A test function needs a test attribute (`#[test]`, `#[tokio::test]`, `#[rstest]`...); unit tests sit in a
// `#[cfg(test)]` module. Either in the text is the cue to parse a source file.
const testAttribute = /#\s*\[[^\]]*\b(?:test|rstest|test_case|test_matrix|wasm_bindgen_test|quickcheck|proptest)\b/;

/**
 * Unit tests inside Rust source files: `#[cfg(test)] mod tests { ... }` in `src/**.rs` (where Rust puts them), and
 * any other function under a test attribute, which `cargo test` runs wherever it is.
 */
export const rustInSourceTests: InSourceTests = {
  mayHold: (path) => path.endsWith('.rs'),
  holds: (source) => testAttribute.test(source),
  parseTests: parseRustTests,
};
