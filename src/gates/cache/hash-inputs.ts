import { createHash, type Hash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { blobMaterial } from './git-blob-id.ts';
import { type GitFileIds, ignoredPaths, ignoredUntrackedFiles, readGitFileIds } from './git-file-ids.ts';
import { createGitignoreFilter, literalPrefix } from './gitignore-filter.ts';
import { compileInputMatcher, ignoredByDefault, patternsStayInside } from './input-matcher.ts';

export interface InputsHash {
  hash: string;
  fileCount: number;
  /** `git`: blob ids from git's index and stat cache; `reading`: every matched file read (outside git). */
  via: 'git' | 'reading';
}

/** Files whose change also changes what git takes as a file and as its content, wherever they are. */
const gitRuleFiles = new Set(['.gitignore', '.gitattributes']);
const readsAtOnce = 32;

/**
 * One hash over the names and contents of every file the globs match (sorted, so order-free).
 * `.git/`, `.sluice/`, `node_modules/` (unless named) and gitignored untracked files are not inputs, unless a
 * glob names an ignored folder explicitly (`dist/**` keeps dist/); tracked files are inputs even if ignored.
 * A fresh look each call; a check hashes through one `InputHasher`.
 */
export function hashInputs(root: string, patterns: string[]): Promise<InputsHash> {
  return new InputHasher(root).hash(patterns);
}

/**
 * The input hashes of one check. Inside a git work tree a file's content is its blob id from git's index
 * when git, checking its stat cache, sees the file unchanged; only the files git does not vouch for
 * (modified, untracked, assume-unchanged or skip-worktree) are read. One git pass serves every gate, and
 * gates with the same inputs share one hash — until `invalidate()`, which the check calls when a gate runs
 * (it may write files other gates take as inputs). Outside git, every matched file is read.
 */
export class InputHasher {
  readonly #root: string;
  #gitFiles: Promise<GitFileIds | undefined> | undefined;
  #hashes = new Map<string, Promise<InputsHash>>();
  #ignoredPaths = new Map<string, Promise<boolean | undefined>>();
  #untrackedIgnoredFiles = new Map<string, Promise<string[] | undefined>>();

  constructor(root: string) {
    this.#root = root;
  }

  hash(patterns: string[]): Promise<InputsHash> {
    const memoKey = JSON.stringify(patterns);
    let pending = this.#hashes.get(memoKey);
    if (!pending) {
      pending = this.#compute(patterns);
      this.#hashes.set(memoKey, pending);
    }
    return pending;
  }

  /** Files may have changed since the last look: the next hash takes a new one. */
  invalidate(): void {
    this.#gitFiles = undefined;
    this.#hashes = new Map();
    this.#ignoredPaths = new Map();
    this.#untrackedIgnoredFiles = new Map();
  }

  async #compute(patterns: string[]): Promise<InputsHash> {
    if (!patternsStayInside(patterns)) return hashByReading(this.#root, patterns);
    const prefixes = explicitPrefixes(patterns);
    this.#gitFiles ??= readGitFileIds(this.#root);
    const ignoredAnswer = this.#ignored(['.', ...prefixes]);
    const gitFiles = await this.#gitFiles;
    if (!gitFiles) return hashByReading(this.#root, patterns);

    // Matched against the index while git is still looking at the disk.
    const matches = compileInputMatcher(patterns);
    const { trackedPaths, trackedMaterials } = gitFiles;
    const matchedTracked: number[] = [];
    const ruleFiles: number[] = [];
    for (let index = 0; index < trackedPaths.length; index++) {
      const path = trackedPaths[index] as string;
      if (matches(path)) matchedTracked.push(index);
      if (isGitRuleFile(path)) ruleFiles.push(index);
    }

    const [disk, ignored] = await Promise.all([gitFiles.disk, ignoredAnswer]);
    // A folder the repository around it ignores: git would list none of its untracked files.
    if (!disk || !ignored || ignored.has('.')) return hashByReading(this.#root, patterns);
    const ignoredPrefixes = prefixes.filter((prefix) => ignored.has(prefix));
    const explicitlyIgnored = ignoredPrefixes.length > 0 ? await this.#untrackedIgnored(ignoredPrefixes) : [];
    if (!explicitlyIgnored) return hashByReading(this.#root, patterns);

    // `<path>\0<mode> <blob id>\n` per input (and per .gitignore / .gitattributes), as parts of one string.
    const entries: string[] = [];
    const rules: string[] = [];
    const toRead: string[] = [];
    const vouch = (indexes: number[], into: string[]) => {
      for (const index of indexes) {
        const path = trackedPaths[index] as string;
        if (disk.removed.has(path)) continue;
        if (disk.changed.has(path)) toRead.push(path);
        else into.push(path, trackedMaterials[index] as string);
      }
    };
    vouch(matchedTracked, entries);
    const vouchedEntries = entries.length / 2;
    vouch(ruleFiles, rules);
    const vouchedRules = rules.length / 2;
    for (const path of [...gitFiles.uncompared, ...disk.untracked, ...explicitlyIgnored]) {
      if (!disk.removed.has(path) && (matches(path) || isGitRuleFile(path))) toRead.push(path);
    }
    const unique = [...new Set(toRead)];
    const read = await mapLimited(unique, (path) => blobMaterial(join(this.#root, path), gitFiles.objectFormat));
    unique.forEach((path, index) => {
      const material = read[index];
      if (material === undefined) return;
      if (matches(path)) entries.push(path, material);
      if (isGitRuleFile(path)) rules.push(path, material);
    });
    // git lists another repository inside this one as a folder; its files are read (rare: submodules, clones).
    const nestedRepositories = [...gitFiles.trackedRepositories, ...disk.untrackedRepositories];
    if (nestedRepositories.length > 0) {
      const nested = await readNestedRepositories(this.#root, nestedRepositories, patterns, matches);
      for (const [path, material] of nested) entries.push(path, material);
    }
    return combine(entries, vouchedEntries, rules, vouchedRules);
  }

  /** Which of these paths git ignores, asking git once for all those not asked about since the last look. */
  async #ignored(paths: string[]): Promise<Set<string> | undefined> {
    const unknown = paths.filter((path) => !this.#ignoredPaths.has(path));
    if (unknown.length > 0) {
      const answer = ignoredPaths(this.#root, unknown).catch(() => undefined);
      for (const path of unknown) {
        this.#ignoredPaths.set(
          path,
          answer.then((set) => set?.has(path)),
        );
      }
    }
    const answers = await Promise.all(paths.map((path) => this.#ignoredPaths.get(path)));
    if (answers.some((answer) => answer === undefined)) return undefined;
    return new Set(paths.filter((_, index) => answers[index]));
  }

  async #untrackedIgnored(prefixes: string[]): Promise<string[] | undefined> {
    const memoKey = JSON.stringify(prefixes);
    let pending = this.#untrackedIgnoredFiles.get(memoKey);
    if (!pending) {
      pending = ignoredUntrackedFiles(this.#root, prefixes).catch(() => undefined);
      this.#untrackedIgnoredFiles.set(memoKey, pending);
    }
    return pending;
  }
}

/**
 * The literal folders (or files) positive patterns start with (`dist/**` -> `dist/`): when git ignores one,
 * its untracked files are inputs all the same, named on purpose.
 */
function explicitPrefixes(patterns: string[]): string[] {
  const prefixes = patterns.filter((pattern) => !pattern.startsWith('!')).map(literalPrefix);
  return [...new Set(prefixes)].filter((prefix) => prefix !== '' && prefix !== '.' && !prefix.startsWith('.git/'));
}

/** Files of repositories nested in this one that the inputs match, with content hashes (read from disk). */
async function readNestedRepositories(
  root: string,
  folders: string[],
  patterns: string[],
  matches: (path: string) => boolean,
): Promise<Array<[string, string]>> {
  // Loaded only here and outside git: a cached check inside a work tree never walks the disk.
  const { escapePath, glob } = await import('tinyglobby');
  const found = await glob(
    folders.map((folder) => `${escapePath(folder)}/**`),
    { cwd: root, dot: true, onlyFiles: true, ignore: ignoredByDefault(patterns), expandDirectories: false },
  );
  const keep = await createGitignoreFilter(root, patterns);
  const files = found.filter((file) => matches(file) && keep(file)).sort();
  const contentHashes = await Promise.all(files.map((file) => hashFile(join(root, file))));
  return files.map((file, index) => [file, contentHashes[index] ?? 'unreadable']);
}

function isGitRuleFile(path: string): boolean {
  return gitRuleFiles.has(path.slice(path.lastIndexOf('/') + 1));
}

/** Sorted by path, `<path>\0<material>\n` per input and then per rule file, under one sha256. */
function combine(entries: string[], vouchedEntries: number, rules: string[], vouchedRules: number): InputsHash {
  const combined = createHash('sha256').update('git-ids\n');
  hashSortedLines(combined, entries, vouchedEntries);
  combined.update('rules\n');
  hashSortedLines(combined, rules, vouchedRules);
  return { hash: combined.digest('hex'), fileCount: entries.length / 2, via: 'git' };
}

/**
 * `pairs` is path, material, path, material...: the entries git vouched for first, in git's (sorted) order,
 * then the few read from disk; so the sort is a check, a small sort and a merge. The lines go to the hash
 * in chunks of about 64 KiB: one string per line, or one for all, costs twice the time in allocation.
 */
function hashSortedLines(hash: Hash, pairs: string[], vouchedCount: number): void {
  const count = pairs.length / 2;
  // git sorts by bytes, JavaScript by UTF-16 units: the same for most names, not for every one.
  let vouchedInOrder = true;
  for (let at = 2; at < vouchedCount * 2 && vouchedInOrder; at += 2) {
    vouchedInOrder = (pairs[at - 2] as string) <= (pairs[at] as string);
  }
  const byPath = (a: number, b: number) => {
    const pathA = pairs[a] as string;
    const pathB = pairs[b] as string;
    return pathA < pathB ? -1 : pathA > pathB ? 1 : 0;
  };
  const starts = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => (from + index) * 2);
  const others = starts(vouchedInOrder ? vouchedCount : 0, count).sort(byPath);
  let chunk = '';
  const emit = (at: number) => {
    chunk += `${pairs[at]}\0${pairs[at + 1]}\n`;
    if (chunk.length > 65_536) {
      hash.update(chunk);
      chunk = '';
    }
  };
  let right = 0;
  if (vouchedInOrder) {
    for (let at = 0; at < vouchedCount * 2; at += 2) {
      const path = pairs[at] as string;
      while (right < others.length && (pairs[others[right] as number] as string) < path) {
        emit(others[right++] as number);
      }
      emit(at);
    }
  }
  while (right < others.length) emit(others[right++] as number);
  hash.update(chunk);
}

async function mapLimited<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(readsAtOnce, items.length) }, worker));
  return results;
}

// Outside git: every matched file is read. Gates often share inputs (src/**): within one process a file is
// read once unless its stat changes, which a gate that rewrites it (a build writing dist/) does.
const hashedFiles = new Map<string, { stamp: string; hash: string }>();

async function hashFile(path: string): Promise<string> {
  try {
    const info = await stat(path, { bigint: true });
    const stamp = `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
    const known = hashedFiles.get(path);
    if (known?.stamp === stamp) return known.hash;
    const hash = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
    hashedFiles.set(path, { stamp, hash });
    return hash;
  } catch {
    return 'unreadable';
  }
}

/** The files the globs match on disk, gitignored ones left out as the root .gitignore says, with content hashes. */
async function readMatchedFiles(root: string, patterns: string[]): Promise<Array<[string, string]>> {
  const { glob } = await import('tinyglobby');
  const matched = await glob(patterns, { cwd: root, dot: true, onlyFiles: true, ignore: ignoredByDefault(patterns) });
  const keep = await createGitignoreFilter(root, patterns);
  const files = matched.filter(keep).sort();
  const contentHashes = await Promise.all(files.map((file) => hashFile(join(root, file))));
  return files.map((file, index) => [file, contentHashes[index] ?? 'unreadable']);
}

async function hashByReading(root: string, patterns: string[]): Promise<InputsHash> {
  const files = await readMatchedFiles(root, patterns);
  const combined = createHash('sha256');
  for (const [file, hash] of files) combined.update(`${file}\0${hash}\n`);
  return { hash: combined.digest('hex'), fileCount: files.length, via: 'reading' };
}
