import { parse, type SgRoot } from '@ast-grep/napi';

type ParseLanguage = Parameters<typeof parse>[0];

/** Trees parsed during the current `withSharedParses` call, by language and source; undefined outside one. */
let shared: Map<string, Map<string, SgRoot>> | undefined;

/**
 * `parse` from ast-grep, but within `withSharedParses` each (language, source) is parsed once: the test
 * parser, the table reader and the unreachable-code reader all read the same file, and parsing is most of
 * their cost (a guard over 200 changed test files parsed each side three times).
 */
export function parseSource(language: ParseLanguage, source: string): SgRoot {
  if (!shared) return parse(language, source);
  let bySource = shared.get(language);
  if (!bySource) {
    bySource = new Map();
    shared.set(language, bySource);
  }
  let root = bySource.get(source);
  if (!root) {
    root = parse(language, source);
    bySource.set(source, root);
  }
  return root;
}

/**
 * Run `judge` (synchronous: the cache is one module variable) with parses shared, and drop the trees at its
 * end, so a long-lived process (the run loop, the server) keeps none of them.
 */
export function withSharedParses<T>(judge: () => T): T {
  if (shared) return judge();
  shared = new Map();
  try {
    return judge();
  } finally {
    shared = undefined;
  }
}
