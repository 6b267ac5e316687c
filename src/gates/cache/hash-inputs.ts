import { readFileSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createHash, type Hash } from '../../hashing.ts';
import { writeFileAtomically } from '../../process/scratch-dir.ts';
import { blobMaterial } from './git-blob-id.ts';
import {
  type GitLook,
  ignoredPaths,
  ignoredUntrackedFiles,
  type ReadGitLookOptions,
  readGitLook,
  type TrackedFiles,
  type WorktreeWhere,
} from './git-file-ids.ts';
import { createGitignoreFilter, literalPrefix } from './gitignore-filter.ts';
import { compileInputMatcher, ignoredByDefault, patternsStayInside } from './input-matcher.ts';
import { InputsMemo, memoKey } from './inputs-memo.ts';

export interface InputsHash {
  hash: string;
  fileCount: number;
  /** `git`: blob ids from git's index and stat cache; `reading`: every matched file read (outside git). */
  via: 'git' | 'reading';
}

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

export interface InputHasherOptions {
  /**
   * Where hashes are remembered between checks (the gate cache's folder): an unchanged index with the same
   * few files read is then not decoded again. Without it, every check decodes the index.
   */
  memoDir?: string;
}

const askedFileName = '_ignore-questions.json';
const askedFoldersAtMost = 200;

/** The folders a check asked `check-ignore` about, as the last one kept them; none when unreadable. */
function readAskedFolders(path: string | undefined): Set<string> {
  if (path === undefined) return new Set();
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    // Kept small when written; read the same way, whatever was put in the file instead.
    if (Array.isArray(parsed)) {
      return new Set(
        parsed.filter((folder): folder is string => typeof folder === 'string').slice(0, askedFoldersAtMost),
      );
    }
  } catch {
    // none yet, or torn: the globs ask when they are known
  }
  return new Set();
}

/**
 * The input hashes of one check. Inside a git work tree a file's content is its blob id from git's index
 * when git, checking its stat cache, sees the file unchanged; only the files git does not vouch for
 * (modified, untracked, assume-unchanged or skip-worktree) are read. One git pass serves every gate, and
 * gates with the same inputs share one hash — until `invalidate()`, which the check calls when a gate runs
 * (it may write files other gates take as inputs). Outside git, every matched file is read.
 *
 * With a `memoDir`, a hash is remembered under a key of all it is a function of: the digest of the index's
 * bytes, the folder, the globs, the files git reported gone and everything read from disk. The next check
 * with the same key skips decoding and matching the index's entries (the bulk of the work at 50,000 files);
 * git's look at the disk and the reads happen all the same, so any change there changes the key.
 */
export class InputHasher {
  readonly #root: string;
  readonly #memo: InputsMemo | undefined;
  #look: Promise<GitLook | undefined> | undefined;
  #where: Promise<WorktreeWhere | undefined> | undefined;
  #hashes = new Map<string, Promise<InputsHash>>();
  #ignoredPaths = new Map<string, Promise<boolean | undefined>>();
  #ignoredBatch: { paths: string[]; answer: Promise<Set<string> | undefined> } | undefined;
  #untrackedIgnoredFiles = new Map<string, Promise<string[] | undefined>>();

  /** Where the folders the last check asked `check-ignore` about are kept (see `lookAhead`). */
  readonly #askedPath: string | undefined;
  #asked = new Set<string>();

  constructor(root: string, options: InputHasherOptions = {}) {
    this.#root = root;
    this.#memo = options.memoDir === undefined ? undefined : new InputsMemo(options.memoDir);
    this.#askedPath = options.memoDir === undefined ? undefined : join(options.memoDir, askedFileName);
  }

  hash(patterns: string[]): Promise<InputsHash> {
    const patternsKey = JSON.stringify(patterns);
    let pending = this.#hashes.get(patternsKey);
    if (!pending) {
      pending = this.#compute(patterns);
      this.#hashes.set(patternsKey, pending);
    }
    return pending;
  }

  /**
   * Start git's look at the tree now, before the globs are known (a check starts it while it loads its
   * config): the first `hash` then finds it under way or done.
   */
  lookAhead(): void {
    this.#startLook();
    // Whether the input folders are ignored is asked of git each time; which folders to ask about is what
    // the last check asked (its globs are not read yet): the answer comes with the look, not after it.
    this.#asked = readAskedFolders(this.#askedPath);
    if (this.#asked.size > 0) this.#ignored([...this.#asked]).catch(() => {});
  }

  /**
   * Where the folder stands, from the same look (no git call of its own): the work tree's top, HEAD's
   * commit, and — when the folder is that top — what `ls-files -o --exclude-standard` listed there, for a
   * caller that needs the same list (the Stop hook's guard). Undefined when git could not answer.
   */
  async worktree(): Promise<
    { top: string; head: string | undefined; untrackedAtTop: Promise<string | undefined> | undefined } | undefined
  > {
    this.#startLook();
    const where = await this.#where;
    if (!where) return undefined;
    return {
      top: where.top,
      head: where.head,
      untrackedAtTop: where.prefix === '' ? where.untrackedListing : undefined,
    };
  }

  /** Starts the look unless one is under way; `#where` is told as soon as its `rev-parse` answers. */
  #startLook(): void {
    if (this.#look) return;
    let tellWhere: (where: WorktreeWhere | undefined) => void = () => {};
    this.#where = new Promise((resolve) => {
      tellWhere = resolve;
    });
    this.#look = readGitLook(this.#root, { ...this.#lookOptions(), onWorktree: tellWhere });
    this.#look.catch(() => {});
  }

  /** Files may have changed since the last look: the next hash takes a new one. */
  invalidate(): void {
    this.#look = undefined;
    this.#where = undefined;
    this.#hashes = new Map();
    this.#ignoredPaths = new Map();
    this.#ignoredBatch = undefined;
    this.#untrackedIgnoredFiles = new Map();
  }

  async #compute(patterns: string[]): Promise<InputsHash> {
    if (!patternsStayInside(patterns)) return hashByReading(this.#root, patterns);
    const prefixes = explicitPrefixes(patterns);
    this.#startLook();
    const folders = ['.', ...prefixes];
    const ignoredAnswer = this.#ignored(folders);
    this.#rememberAsked(folders);
    const look = await this.#look;
    if (!look) return hashByReading(this.#root, patterns);

    // Compiled on the first path to test: on a memo hit with nothing changed there is none.
    let matcher: ((path: string) => boolean) | undefined;
    const matches = (path: string) => {
      matcher ??= compileInputMatcher(patterns);
      return matcher(path);
    };
    const [disk, ignored] = await Promise.all([look.disk, ignoredAnswer]);
    // A folder the repository around it ignores: git would list none of its untracked files.
    if (!disk || !ignored || ignored.has('.')) return hashByReading(this.#root, patterns);
    const ignoredPrefixes = prefixes.filter((prefix) => ignored.has(prefix));
    const explicitlyIgnored = ignoredPrefixes.length > 0 ? await this.#untrackedIgnored(ignoredPrefixes) : [];
    if (!explicitlyIgnored) return hashByReading(this.#root, patterns);

    // Read: the tracked files git reports changed or does not compare, untracked ones, ignored ones a glob
    // names, that are inputs (or .gitignore / .gitattributes files).
    const wanted = (path: string) => matches(path) || isGitRuleFile(path);
    const removed = [...disk.removed].filter(wanted);
    const toRead = new Set<string>();
    for (const path of [...disk.changed, ...look.uncompared, ...disk.untracked, ...explicitlyIgnored]) {
      if (!disk.removed.has(path) && wanted(path)) toRead.add(path);
    }
    const paths = [...toRead];
    const materials = await mapLimited(paths, (path) => blobMaterial(join(this.#root, path), look.objectFormat));
    const read = paths.map((path, index) => [path, materials[index]] as const);
    // git lists another repository inside this one as a folder; its files are read (rare: submodules, clones).
    const nestedRepositories = [...look.trackedRepositories, ...disk.untrackedRepositories];
    const nested =
      nestedRepositories.length > 0
        ? await readNestedRepositories(this.#root, nestedRepositories, patterns, matches)
        : [];

    // Everything the hash is a function of, from the index's bytes to what was read: the memo's key.
    const { indexKey, prefix, objectFormat } = look;
    const key =
      this.#memo && indexKey !== ''
        ? memoKey({ indexKey, prefix, objectFormat, patterns, removed, read, nested })
        : undefined;
    const known = key === undefined ? undefined : await this.#memo?.find(key);
    if (known) return { ...known, via: 'git' };
    let result: InputsHash;
    try {
      result = combineWithIndex(look, disk, matches, read, nested);
    } catch {
      return hashByReading(this.#root, patterns); // an index this code does not read after all
    }
    if (key !== undefined && this.#memo) {
      if (!look.factsRemembered) {
        const { uncompared, trackedRepositories } = look;
        await this.#memo.rememberFacts(look.indexKey, look.prefix, look.objectFormat, {
          uncompared,
          trackedRepositories,
        });
      }
      await this.#memo.record(key, result);
    }
    return result;
  }

  #lookOptions(): ReadGitLookOptions {
    const memo = this.#memo;
    return memo ? { rememberedFacts: (indexKey, prefix, format) => memo.findFacts(indexKey, prefix, format) } : {};
  }

  /**
   * Which of these paths git ignores. One `git check-ignore` answers the questions all gates ask in the same
   * turn of the event loop (and none is asked twice until the next look).
   */
  async #ignored(paths: string[]): Promise<Set<string> | undefined> {
    const unknown = paths.filter((path) => !this.#ignoredPaths.has(path));
    if (unknown.length > 0) {
      if (!this.#ignoredBatch) {
        const batch = { paths: [] as string[], answer: Promise.resolve<Set<string> | undefined>(undefined) };
        batch.answer = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
          if (this.#ignoredBatch === batch) this.#ignoredBatch = undefined;
          return ignoredPaths(this.#root, batch.paths).catch(() => undefined);
        });
        this.#ignoredBatch = batch;
      }
      const batch = this.#ignoredBatch;
      batch.paths.push(...unknown);
      for (const path of unknown) {
        this.#ignoredPaths.set(
          path,
          batch.answer.then((set) => set?.has(path)),
        );
      }
    }
    const answers = await Promise.all(paths.map((path) => this.#ignoredPaths.get(path)));
    if (answers.some((answer) => answer === undefined)) return undefined;
    return new Set(paths.filter((_, index) => answers[index]));
  }

  /** Keep the folders asked about for the next check's `lookAhead` (written only when there is a new one). */
  #rememberAsked(folders: string[]): void {
    if (this.#askedPath === undefined || folders.every((folder) => this.#asked.has(folder))) return;
    for (const folder of folders) this.#asked.add(folder);
    const kept = [...this.#asked].slice(-askedFoldersAtMost);
    this.#asked = new Set(kept);
    const path = this.#askedPath;
    mkdir(dirname(path), { recursive: true })
      .then(() => writeFileAtomically(path, `${JSON.stringify(kept)}\n`))
      .catch(() => {});
  }

  async #untrackedIgnored(prefixes: string[]): Promise<string[] | undefined> {
    const prefixesKey = JSON.stringify(prefixes);
    let pending = this.#untrackedIgnoredFiles.get(prefixesKey);
    if (!pending) {
      pending = ignoredUntrackedFiles(this.#root, prefixes).catch(() => undefined);
      this.#untrackedIgnoredFiles.set(prefixesKey, pending);
    }
    return pending;
  }
}

/**
 * The hash from the index's entries and what was read: the inputs git vouches for (tracked, compared, not
 * reported changed or gone) as the index records them, the others as read; the same for the rule files.
 */
function combineWithIndex(
  look: GitLook,
  disk: { changed: ReadonlySet<string>; removed: ReadonlySet<string> },
  matches: (path: string) => boolean,
  read: ReadonlyArray<readonly [string, string | undefined]>,
  nested: ReadonlyArray<readonly [string, string]>,
): InputsHash {
  const tracked = look.tracked();
  const { paths } = tracked;
  // Positions in `paths`; the few files read are lines of their own.
  const vouchedEntries: number[] = [];
  const vouchedRules: number[] = [];
  const someReported = disk.changed.size + disk.removed.size > 0;
  for (let at = 0; at < paths.length; at++) {
    const path = paths[at] as string;
    const isInput = matches(path);
    const isRule = isGitRuleFile(path);
    if (!isInput && !isRule) continue;
    if (someReported && (disk.removed.has(path) || disk.changed.has(path))) continue;
    if (isInput) vouchedEntries.push(at);
    if (isRule) vouchedRules.push(at);
  }
  const readEntries: Array<readonly [string, string]> = [];
  const readRules: Array<readonly [string, string]> = [];
  for (const [path, material] of read) {
    if (material === undefined) continue;
    if (matches(path)) readEntries.push([path, material]);
    if (isGitRuleFile(path)) readRules.push([path, material]);
  }
  readEntries.push(...nested);
  const combined = createHash('sha256').update('git-ids\n');
  hashSortedLines(combined, tracked, vouchedEntries, readEntries);
  combined.update('rules\n');
  hashSortedLines(combined, tracked, vouchedRules, readRules);
  return { hash: combined.digest('hex'), fileCount: vouchedEntries.length + readEntries.length, via: 'git' };
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
  return endsWithFileName(path, '.gitignore') || endsWithFileName(path, '.gitattributes');
}

/** `path` is `name` or ends with `/name` (tested once per tracked file: no string made). */
function endsWithFileName(path: string, name: string): boolean {
  return path.endsWith(name) && (path.length === name.length || path.charCodeAt(path.length - name.length - 1) === 47);
}

/**
 * `<path>\0<material>\n` per file, sorted by path, into the hash: first the files git vouched for
 * (positions in `tracked`, in git's sorted order), merged with the few read from disk (sorted here); so the
 * sort is a check, a small sort and a merge, and a material is made only as its line is. The lines go to the
 * hash in chunks of about 64 KiB: one string per line, or one for all, costs twice the time in allocation.
 */
function hashSortedLines(
  hash: Hash,
  tracked: TrackedFiles,
  vouched: readonly number[],
  others: ReadonlyArray<readonly [string, string]>,
): void {
  const { paths } = tracked;
  // git sorts by bytes, JavaScript by UTF-16 units: the same for most names, not for every one.
  let vouchedInOrder = true;
  for (let at = 1; at < vouched.length && vouchedInOrder; at++) {
    vouchedInOrder = (paths[vouched[at - 1] as number] as string) <= (paths[vouched[at] as number] as string);
  }
  const unordered = vouchedInOrder
    ? [...others]
    : [...vouched.map((at) => [paths[at] as string, tracked.material(at)] as const), ...others];
  const sorted = unordered.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  let chunk = '';
  const emit = (path: string, material: string) => {
    chunk += `${path}\0${material}\n`;
    if (chunk.length > 65_536) {
      hash.update(chunk);
      chunk = '';
    }
  };
  let right = 0;
  if (vouchedInOrder) {
    for (const at of vouched) {
      const path = paths[at] as string;
      while (right < sorted.length && (sorted[right] as readonly [string, string])[0] < path) {
        const [otherPath, otherMaterial] = sorted[right++] as readonly [string, string];
        emit(otherPath, otherMaterial);
      }
      emit(path, tracked.material(at));
    }
  }
  for (; right < sorted.length; right++) {
    const [path, material] = sorted[right] as readonly [string, string];
    emit(path, material);
  }
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
