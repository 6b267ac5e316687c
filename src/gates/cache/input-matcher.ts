import { createRequire } from 'node:module';
import { isAbsolute, posix } from 'node:path';

// picomatch is loaded with the first pattern compiled: a cached check whose git look reports nothing to
// match (no untracked, changed or removed input) compiles none.
const loadModule = createRequire(import.meta.url);
let picomatchModule: typeof import('picomatch') | undefined;

/** Never inputs, unless named: git's own folder, Sluice's logs and cache. */
export const alwaysIgnored = ['.git/**', '.sluice/**'];
const nodeModules = '**/node_modules/**';

/** Is this path (relative to the config folder, `/`-separated) one of the inputs? */
export type InputMatcher = (path: string) => boolean;

/** `node_modules/` is left out unless a pattern names it (it is rarely what a gate's result depends on). */
export function ignoredByDefault(patterns: readonly string[]): string[] {
  const mentionsNodeModules = patterns.some((pattern) => pattern.includes('node_modules'));
  return mentionsNodeModules ? alwaysIgnored : [...alwaysIgnored, nodeModules];
}

/**
 * True when every pattern stays inside the config folder: no absolute path, no `..`. Only then can a list
 * of the folder's files (git's) stand in for walking the file system.
 */
export function patternsStayInside(patterns: readonly string[]): boolean {
  return patterns.every((raw) => {
    const pattern = raw.startsWith('!') ? raw.slice(1) : raw;
    return !isAbsolute(pattern) && !posix.normalize(pattern).split('/').includes('..');
  });
}

/**
 * The same selection as `tinyglobby.glob(patterns, { dot: true, onlyFiles: true, ignore })` makes on the disk,
 * as a test of one path: a pattern not ending in `*` also covers a folder of that name (`src` = `src/**`),
 * `!pattern` excludes, and a file is excluded when an excluding pattern matches one of its folders
 * (tinyglobby does not walk into those).
 */
export function compileInputMatcher(patterns: readonly string[]): InputMatcher {
  const included: string[] = [];
  const excluded = ignoredByDefault(patterns).map(normalizePattern);
  for (const pattern of patterns) {
    if (!pattern) continue;
    if (pattern[0] !== '!' || pattern[1] === '(') included.push(normalizePattern(pattern));
    else if (pattern[1] !== '!' || pattern[2] === '(') excluded.push(normalizePattern(pattern.slice(1)));
  }
  if (included.length === 0) return () => false;
  const matches = oneRegex(included);
  const isExcluded = oneRegex(excluded);
  const excludedFolders = new Map<string, boolean>();
  const folderExcluded = (folder: string): boolean => {
    let known = excludedFolders.get(folder);
    if (known === undefined) {
      const slash = folder.lastIndexOf('/');
      known = (slash > 0 && folderExcluded(folder.slice(0, slash))) || isExcluded.test(folder);
      excludedFolders.set(folder, known);
    }
    return known;
  };
  // Paths come grouped by folder (git's order): the last folder's answer is usually the one needed.
  let lastFolder = '';
  let lastFolderExcluded = false;
  return (path) => {
    if (!matches.test(path) || isExcluded.test(path)) return false;
    const slash = path.lastIndexOf('/');
    if (slash === -1) return true;
    if (slash !== lastFolder.length || !path.startsWith(lastFolder)) {
      lastFolder = path.slice(0, slash);
      lastFolderExcluded = folderExcluded(lastFolder);
    }
    return !lastFolderExcluded;
  };
}

/** picomatch's regular expressions of the patterns as one (picomatch's own matcher allocates per test). */
function oneRegex(patterns: string[]): RegExp {
  const options = { dot: true, posix: true };
  picomatchModule ??= loadModule('picomatch') as typeof import('picomatch');
  const { makeRe } = picomatchModule;
  const sources = patterns.map((pattern) => `(?:${makeRe.call(picomatchModule, pattern, options).source})`);
  return new RegExp(sources.join('|'));
}

/** tinyglobby's normalization (expandDirectories on): no trailing slash, `x` also means `x/**`. */
function normalizePattern(pattern: string): string {
  let result = pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
  if (!result.endsWith('*')) result += '/**';
  return posix.normalize(result);
}
