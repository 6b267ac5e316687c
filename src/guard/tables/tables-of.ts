import { inSourceTestsOf, testLanguageOf } from '../tests/test-languages.ts';
import type { DrivingTable } from './driving-table.ts';
import { goTables } from './go-tables.ts';
import { jsTables } from './js-tables.ts';
import { pythonTables } from './python-tables.ts';
import { rustTables } from './rust-tables.ts';

/**
 * How each language's tables are read, behind a text check that most test files without tables fail, so that
 * they are not parsed a second time.
 */
const readers: Record<string, { mayHold: RegExp; read: (path: string, source: string) => DrivingTable[] }> = {
  javascript: { mayHold: /\.each\b|\bfor\s*\(|\.forEach\b|\.map\b/, read: jsTables },
  python: { mayHold: /\bparametrize\b|\bfor\b/, read: (_path, source) => pythonTables(source) },
  go: { mayHold: /\brange\b/, read: (_path, source) => goTables(source) },
  rust: { mayHold: /#\s*\[\s*(?:rstest::)?case\b/, read: (_path, source) => rustTables(source) },
};

/**
 * The tables that drive the tests of a test file, in any language the guard reads, and the rstest cases of Rust
 * unit tests inside source files (attributes only tests have); none for other files.
 */
export function tablesOf(path: string, source: string): DrivingTable[] {
  const language = testLanguageOf(path)?.name ?? (path.endsWith('.rs') && inSourceTestsOf(path) ? 'rust' : undefined);
  const reader = language ? readers[language] : undefined;
  if (!reader?.mayHold.test(source)) return [];
  return reader.read(path, source);
}
