import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { readFilesAtRef } from '../workspace/refs.ts';
import { isScriptFile } from './js/test-files.ts';
import { configEntries } from './runner-config/js-config.ts';

/** Where ava reads its configuration at the repository root; `files` in either names its test files. */
const configFiles = ['package.json', 'ava.config.js', 'ava.config.cjs', 'ava.config.mjs'];

/**
 * Whether a path is a test file because ava's `files` globs name it (`"ava": { "files": ["checks/**"] }`), beyond
 * the usual names the guard knows (`test/`, `*.test.js`); undefined when no configuration names any. Globs of
 * the base and of the working tree both count: a test file stays guarded when the change drops it from `files`
 * (`runner-config-narrowed` reports that). `!` patterns are left aside: a helper read as a test file holds no test.
 */
export async function avaTestFiles(
  repoRoot: string,
  baseCommit: string,
): Promise<((path: string) => boolean) | undefined> {
  const [atBase, inTree] = await Promise.all([
    configsAtBase(repoRoot, baseCommit),
    Promise.all(configFiles.map((path) => readFile(join(repoRoot, path), 'utf8').catch(() => undefined))),
  ]);
  const globs = new Set<string>();
  configFiles.forEach((path) => {
    for (const source of [atBase.get(path), inTree[configFiles.indexOf(path)]]) {
      if (source === undefined || (path === 'package.json' && !source.includes('"ava"'))) continue;
      for (const glob of filesGlobs(path, source)) globs.add(glob);
    }
  });
  if (globs.size === 0) return undefined;
  const matches = picomatch([...globs], { dot: false });
  return (path) => isScriptFile(path) && !path.split('/').includes('node_modules') && matches(path);
}

/** Keyed by repository and commit: what a commit holds never changes, and a run guards every turn against one base. */
const configsOfCommits = new Map<string, Promise<Map<string, string>>>();

/** The configuration files at the base commit, read by git once per process. */
function configsAtBase(repoRoot: string, baseCommit: string): Promise<Map<string, string>> {
  if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(baseCommit)) return readFilesAtRef(repoRoot, baseCommit, configFiles);
  const key = `${repoRoot}\0${baseCommit}`;
  let read = configsOfCommits.get(key);
  if (!read) {
    read = readFilesAtRef(repoRoot, baseCommit, configFiles);
    // A failed read is not kept: the next guard asks git again.
    read.catch(() => configsOfCommits.delete(key));
    configsOfCommits.set(key, read);
  }
  return read;
}

/** The positive globs of `files`: package.json's `ava.files`, or the top-level `files` of an ava.config file. */
function filesGlobs(path: string, source: string): string[] {
  const wanted = path === 'package.json' ? ['ava', 'files'] : ['files'];
  try {
    return configEntries(path, source)
      .filter((entry) => entry.keys.join('.') === wanted.join('.'))
      .flatMap((entry) => entry.values)
      .filter((glob) => glob !== '' && !glob.startsWith('!'));
  } catch {
    // A config that does not parse names no test file; the rules that compare it report what they can.
    return [];
  }
}
