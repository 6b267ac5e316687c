import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildStamp } from '../../build-stamp.ts';
import { withLazyForms } from './lazy-forms.ts';
import type { TestCase } from './test-case.ts';

/** What the cache keeps of a test: its forms only once a guard needed them. */
type CachedTest = Omit<TestCase, 'body' | 'assertions'> & Partial<Pick<TestCase, 'body' | 'assertions'>>;

/**
 * The tests of a file as it is at the base, from a cache keyed by its bytes, its path, the parser that read it
 * and this Sluice's guard code; else parsed and remembered. The base side of a change is the same blob on every
 * guard of a session or run (every Stop hook, every iteration), and parsing it is half of a guard's cost. The
 * cache holds data, not trees. Token forms are costly and most tests never need them (they equal their
 * counterpart): an entry is first written without them; when a rule asks for a test's forms, the file is
 * parsed then, once, the forms are taken from the same test there, and the entry is written again with the
 * forms of every test of the file, so the next guard of the same change parses nothing.
 *
 * The cache lives in the user's cache folder, like the config cache and for the same reason: an agent writes
 * its worktree (only it, when sandboxed), and forged base tests would be a judge it could talk round.
 * SLUICE_GUARD_CACHE=off turns it off.
 */
export function cachedBaseTests(parser: string, path: string, source: string, parse: () => TestCase[]): TestCase[] {
  const file = cacheFile(parser, path, source);
  const cached = file ? readCached(file) : undefined;
  if (file && cached) return withFormsFromParse(file, cached, parse);
  const tests = parse();
  if (file) writeCached(file, tests, false);
  return tests;
}

function withFormsFromParse(file: string, cached: CachedTest[], parse: () => TestCase[]): TestCase[] {
  let parsed: TestCase[] | undefined;
  return cached.map((test, index) => {
    const { body, assertions } = test;
    if (body && assertions) return { ...test, body, assertions };
    return withLazyForms(test, () => {
      if (!parsed) {
        parsed = parse();
        writeCached(file, parsed, true);
      }
      const same = parsed[index];
      // The parse is deterministic and the key covers the parser's code, so the n-th test is this one.
      if (!same || same.line !== test.line || same.titles.join('\0') !== test.titles.join('\0')) {
        throw new Error(`guard cache: the tests of ${test.path} no longer parse as cached (a Sluice bug)`);
      }
      return { body: same.body, assertions: same.assertions };
    });
  });
}

function cacheFile(parser: string, path: string, source: string): string | undefined {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  if (!base || process.env.SLUICE_GUARD_CACHE === 'off') return undefined;
  const key = createHash('sha256')
    .update(codeStamp())
    .update('\0')
    .update(parser)
    .update('\0')
    .update(path)
    .update('\0')
    .update(source)
    .digest('hex');
  return join(base, 'sluice', 'guard-tests', key.slice(0, 2), `${key}.json`);
}

let stamp: string | undefined;

/**
 * What identifies this Sluice's parsers: the bytes of every file of the guard's folder (the parsers and the
 * token forms live in several of its subfolders) and the versions of ast-grep and its grammars. Hashing
 * them costs a few milliseconds, paid only by a guard that has test files to read. A bundled Sluice has no
 * such folder: the hash of all its sources (build-stamp.ts) stands for the files.
 */
function codeStamp(): string {
  if (stamp !== undefined) return stamp;
  const hash = createHash('sha256');
  if (buildStamp !== undefined) hash.update(buildStamp);
  else {
    const guardDir = dirname(dirname(fileURLToPath(import.meta.url)));
    for (const name of (readdirSync(guardDir, { recursive: true }) as string[])
      .filter((entry) => /\.(js|ts)$/.test(entry))
      .sort()) {
      hash
        .update(name)
        .update('\0')
        .update(readFileSync(join(guardDir, name)))
        .update('\0');
    }
  }
  const require = createRequire(import.meta.url);
  for (const name of ['@ast-grep/napi', '@ast-grep/lang-go', '@ast-grep/lang-python', '@ast-grep/lang-rust']) {
    try {
      hash.update(name).update((require(`${name}/package.json`) as { version: string }).version);
    } catch {
      hash.update(name).update('\0missing');
    }
  }
  stamp = hash.digest('hex');
  return stamp;
}

function readCached(file: string): CachedTest[] | undefined {
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { tests?: CachedTest[] };
    return Array.isArray(entry.tests) ? entry.tests : undefined;
  } catch {
    return undefined;
  }
}

function writeCached(file: string, tests: TestCase[], withForms: boolean): void {
  try {
    // Named fields only: spreading or stringifying a test reads its lazy forms, the costly part.
    const kept: CachedTest[] = tests.map((test) => ({
      path: test.path,
      titles: test.titles,
      line: test.line,
      source: test.source,
      markers: test.markers,
      ...(withForms ? { body: test.body, assertions: test.assertions } : {}),
    }));
    const text = JSON.stringify({ tests: kept });
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, text, { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    // A cache that cannot be written only costs the next guard a parse.
  }
}
