import { mkdir, readdir, readFile, readlink, realpath, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SetupStep } from '../config/setup-schema.ts';
import { SluiceError } from '../errors.ts';
import { visitGitIndex } from '../gates/cache/git-index.ts';
import { gitFailure, isContention, runGit, runGitChecked } from '../workspace/git.ts';
import { noHidingBits, type WorktreeIndex } from '../workspace/index-bits.ts';
import { pruneWorktrees, removeWorktree } from '../workspace/worktrees.ts';
import { borrowableFolders, linkBorrowed } from './borrowed-dependencies.ts';
import { filesChangedFrom } from './files-changed-from.ts';
import { runJudgeSetup, type SetupMemory } from './judge-setup.ts';
import { fingerprintPaths } from './kept-paths.ts';

export interface JudgeCheckoutOptions {
  /** The user's own checkout: the repository the judged commits live in, and where borrowed dependencies come from. */
  repoRoot: string;
  /** Folder of the judge checkout; Sluice's own, never shown to an agent. */
  path: string;
  /** Folder of sluice.yaml relative to the repository root ('' at the root). */
  configDir: string;
  setup: readonly SetupStep[];
  /** Where setup logs go. */
  logDir: string;
  signal?: AbortSignal;
}

/** A commit checked out exactly, ready for the gates. */
export interface JudgedTree {
  commit: string;
  /** The folder of sluice.yaml inside the judge checkout: the gates' root. */
  root: string;
  /** What a reader of the evidence should know (setup re-run, kept folders found changed, borrowed dependencies). */
  notes: string[];
  /** The commit's files this checkout no longer holds as committed (to ask once the gates ran: files-changed-from.ts). */
  changedFiles: () => Promise<string[]>;
}

export const JudgeErrorCodes = {
  checkoutFailed: 'JUDGE_CHECKOUT_FAILED',
  setupFailed: 'JUDGE_SETUP_FAILED',
  notClean: 'JUDGE_NOT_CLEAN',
} as const;

/** The judge checkout could not be made to hold exactly the commit: nothing may be judged there. */
export class JudgeError extends SluiceError {
  override readonly code: (typeof JudgeErrorCodes)[keyof typeof JudgeErrorCodes];

  constructor(code: JudgeError['code'], message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.code = code;
  }
}

const checkoutTimeoutMs = 300_000;
/** Settings that would let a file changed in place look unchanged to git, pinned to git's defaults. */
const statChecks = ['-c', 'core.trustctime=true', '-c', 'core.checkStat=default', '-c', 'core.ignoreStat=false'];
const contentionRetries = 8;

/**
 * A detached worktree owned by Sluice where commits are judged: before each check it is reset to the
 * commit with nothing else in it — no untracked or ignored file, no index bit — except what `setup:`
 * created (kept only while its fingerprint is unchanged), so what the gates see is exactly the committed
 * tree. It is reused across checks to keep installed dependencies.
 */
export class JudgeCheckout {
  readonly options: JudgeCheckoutOptions;
  #kept: string[] = [];
  #keptFingerprint: string | undefined;
  #setupMemory: SetupMemory = new Map();
  #prepared = false;
  /**
   * The checkout's `.git` file as git wrote it when the checkout was made, and the folder it names: while
   * the file still reads the same, git works in that folder, and its HEAD and index are read there
   * directly instead of through git calls. Undefined when the file was not in git's own form.
   */
  #gitFile: { text: string; gitDir: string } | undefined;

  constructor(options: JudgeCheckoutOptions) {
    this.options = options;
  }

  /** Check `commit` out exactly and set it up; the returned root is where the gates run. */
  async prepare(commit: string): Promise<JudgedTree> {
    // With nothing set up or kept, dependencies are borrowed: the user's checkout is asked for them
    // while this checkout is reset (kept paths can only be dropped by the reset, never added).
    const borrowListing =
      this.options.setup.length === 0 && this.#kept.length === 0 ? borrowableFolders(this.options.repoRoot) : undefined;
    // Awaited below, or in the finally when a step before fails: no git call of this prepare outlives it.
    borrowListing?.catch(() => {});
    try {
      return await this.#prepare(commit, borrowListing);
    } finally {
      await borrowListing?.catch(() => {});
    }
  }

  async #prepare(commit: string, borrowListing: Promise<string[]> | undefined): Promise<JudgedTree> {
    const { path } = this.options;
    const notes: string[] = [];
    let keptIntact = false;
    if (!this.#prepared || !(await isCheckout(path))) {
      await this.#create(commit);
      this.#prepared = true;
      this.#forgetKept();
      this.#gitFile = await readGitFile(path);
    } else {
      keptIntact = await this.#reset(commit, notes);
    }
    await this.#assertExactly(commit);
    await this.#assertLinksStayInside(commit);
    const setup = await runJudgeSetup({
      steps: this.options.setup,
      root: this.#root(),
      checkoutPath: path,
      repoRoot: this.options.repoRoot,
      commit,
      configDir: this.options.configDir,
      logDir: this.options.logDir,
      memory: this.#setupMemory,
      ...(this.options.signal ? { signal: this.options.signal } : {}),
    });
    if (setup.status === 'failed') throw new JudgeError(JudgeErrorCodes.setupFailed, setup.reason);
    if (setup.ran.length > 0) notes.push(`setup ran: ${setup.ran.join('; ')}`);
    const borrow = this.options.setup.length === 0 && this.#kept.length === 0;
    const borrowed = borrow
      ? await linkBorrowed(
          this.options.repoRoot,
          path,
          await (borrowListing ?? borrowableFolders(this.options.repoRoot)),
        )
      : [];
    if (borrowed.length > 0) notes.push(`dependencies from your checkout: ${borrowed.join(', ')}`);
    // Kept folders found intact and nothing run or linked since: their fingerprint still holds.
    if (!(keptIntact && setup.ran.length === 0 && !borrow)) {
      this.#rememberKept(borrow ? borrowed : setup.keep);
    }
    return { commit, root: this.#root(), notes, changedFiles: () => filesChangedFrom(path, commit) };
  }

  /** The gate cache of this judge: beside the checkout, so resetting the checkout keeps it, and no agent tree holds it. */
  get cacheDir(): string {
    return `${this.options.path}.cache`;
  }

  /** Bench baselines of this judge, kept beside the checkout for the same reason. */
  get baselinesDir(): string {
    return `${this.options.path}.baselines`;
  }

  /** Remove the checkout, its cache, its baselines and its registration (the end of a run, or a landing). */
  async remove(): Promise<void> {
    const { repoRoot, path } = this.options;
    await rm(this.cacheDir, { recursive: true, force: true });
    await removeBaselines(repoRoot, this.baselinesDir);
    if (await isCheckout(path)) await removeWorktree(repoRoot, path, { force: true }).catch(() => {});
    await rm(path, { recursive: true, force: true });
    await pruneWorktrees(repoRoot).catch(() => {});
    this.#prepared = false;
    this.#gitFile = undefined;
    this.#forgetKept();
  }

  #root(): string {
    return join(this.options.path, this.options.configDir);
  }

  #forgetKept(): void {
    this.#kept = [];
    this.#keptFingerprint = undefined;
    this.#setupMemory = new Map();
  }

  async #create(commit: string): Promise<void> {
    const { repoRoot, path, signal } = this.options;
    // Whatever is there was left by a crash, or by someone else: it is not trusted.
    if (await exists(path)) await removeWorktree(repoRoot, path, { force: true }).catch(() => {});
    await rm(path, { recursive: true, force: true });
    await pruneWorktrees(repoRoot).catch(() => {});
    await mkdir(dirname(path), { recursive: true });
    const args = ['worktree', 'add', '--detach', '--quiet', path, commit];
    for (let attempt = 1; ; attempt++) {
      const result = await runGit(repoRoot, args, { timeoutMs: checkoutTimeoutMs, ...(signal ? { signal } : {}) });
      if (result.exitCode === 0) return;
      if (attempt < contentionRetries && isContention(result.stderr)) {
        await sleep(40 * 2 ** (attempt - 1) * (0.5 + Math.random()));
        continue;
      }
      const failure = gitFailure(repoRoot, result, `could not check out ${commit.slice(0, 12)} for judging`);
      throw new JudgeError(JudgeErrorCodes.checkoutFailed, `${failure.message}: ${result.stderr.trim()}`, {
        cause: failure,
      });
    }
  }

  /**
   * Back to exactly `commit`: index bits cleared, tracked files reset, everything else removed but intact
   * kept paths. True when kept paths were there and intact.
   */
  async #reset(commit: string, notes: string[]): Promise<boolean> {
    const { path } = this.options;
    const index = await this.#index(commit);
    if (!(index && (await noHidingBits(index)))) await clearIndexBits(path);
    // git trusts its stat cache to skip files; make sure it compares everything a write changes.
    await runGitChecked(path, [...statChecks, 'reset', '--hard', '--quiet', commit], { timeoutMs: checkoutTimeoutMs });
    const keptIntact = this.#kept.length > 0 && fingerprintPaths(path, this.#kept) === this.#keptFingerprint;
    if (this.#kept.length > 0 && !keptIntact) {
      notes.push(`kept folders changed since the last check (${this.#kept.join(', ')}): removed and set up again`);
      this.#forgetKept();
    }
    const excludes = keptIntact ? this.#kept.flatMap((kept) => ['-e', `/${kept}`]) : [];
    await runGitChecked(path, ['clean', '-ffdxq', ...excludes]);
    return keptIntact;
  }

  /** The tracked files are exactly the commit's and nothing unexpected is there; else nothing is judged. */
  async #assertExactly(commit: string): Promise<void> {
    const { path } = this.options;
    // reset --hard and worktree add --detach write the commit into HEAD: read there, else asked.
    const gitDir = await this.#gitDir();
    const headFile = gitDir ? await readFile(join(gitDir, 'HEAD'), 'utf8').catch(() => undefined) : undefined;
    const head = headFile === `${commit}\n` ? commit : (await runGitChecked(path, ['rev-parse', 'HEAD'])).trim();
    const status = await runGitChecked(path, [
      ...statChecks,
      'status',
      '--porcelain',
      '--untracked-files=all',
      '--ignored',
    ]);
    const kept = new Set(this.#kept);
    const unexpected = status
      .split('\n')
      .filter((line) => line !== '')
      .filter((line) => !((line.startsWith('!! ') || line.startsWith('?? ')) && isKept(line.slice(3), kept)));
    if (head !== commit || unexpected.length > 0) {
      throw new JudgeError(
        JudgeErrorCodes.notClean,
        `the judge checkout at ${path} does not hold exactly ${commit.slice(0, 12)}: ${
          head !== commit ? `HEAD is ${head.slice(0, 12)}` : unexpected.slice(0, 5).join(', ')
        }`,
      );
    }
  }

  /**
   * A committed symbolic link that leads outside the checkout would let the judged tree load code from
   * anywhere — the agent's own worktree, say — while the diff shows one line: nothing is judged then.
   */
  async #assertLinksStayInside(commit: string): Promise<void> {
    const { path } = this.options;
    const index = await this.#index(commit);
    const links = (index && (await linksInIndex(index))) ?? (await linksListed(path));
    const root = await realpath(path);
    for (const link of links) {
      const target = await readlink(join(path, link)).catch(() => undefined);
      if (target === undefined) continue;
      const resolved = await whereLinkLeads(join(root, link), target);
      if (resolved !== root && !resolved.startsWith(`${root}/`)) {
        throw new JudgeError(
          JudgeErrorCodes.notClean,
          `the commit holds a symbolic link that leads outside the repository: ${link} -> ${target}`,
        );
      }
    }
  }

  /** The checkout's git folder, while its `.git` file still reads as git wrote it. */
  async #gitDir(): Promise<string | undefined> {
    if (!this.#gitFile) return undefined;
    const text = await readFile(join(this.options.path, '.git'), 'utf8').catch(() => undefined);
    return text === this.#gitFile.text ? this.#gitFile.gitDir : undefined;
  }

  /** The checkout's index file, in the object format of the commit's id (40 hex digits: SHA-1). */
  async #index(commit: string): Promise<WorktreeIndex | undefined> {
    const gitDir = await this.#gitDir();
    return gitDir ? { file: join(gitDir, 'index'), format: commit.length === 64 ? 'sha256' : 'sha1' } : undefined;
  }

  /** What setup made to keep (or what was borrowed): kept between checks while its fingerprint holds. */
  #rememberKept(kept: string[]): void {
    this.#kept = [...new Set(kept)].sort();
    this.#keptFingerprint = this.#kept.length > 0 ? fingerprintPaths(this.options.path, this.#kept) : undefined;
  }
}

/** Baselines are worktrees of their own: unregister each before the folder goes. */
async function removeBaselines(repoRoot: string, folder: string): Promise<void> {
  const entries = await readdir(folder).catch(() => [] as string[]);
  for (const entry of entries) {
    const path = join(folder, entry);
    if (await isCheckout(path)) await removeWorktree(repoRoot, path, { force: true }).catch(() => {});
  }
  await rm(folder, { recursive: true, force: true });
}

/** Clear assume-unchanged and skip-worktree bits, which would make git skip files on reset and status. */
async function clearIndexBits(path: string): Promise<void> {
  const listing = await runGitChecked(path, ['ls-files', '-v', '-z']);
  const flagged = listing
    .split('\0')
    .filter((entry) => entry.length > 2 && (/^[a-z]/.test(entry) || entry.startsWith('S ')))
    .map((entry) => entry.slice(2));
  if (flagged.length === 0) return;
  // One flag per call: given both, git applies only the first (2.39).
  for (const flag of ['--no-assume-unchanged', '--no-skip-worktree']) {
    await runGitChecked(path, ['update-index', flag, '-z', '--stdin'], { input: `${flagged.join('\0')}\0` });
  }
}

/** The `.git` file of a worktree git just made, when it is in git's own form (`gitdir: <absolute path>`). */
async function readGitFile(path: string): Promise<{ text: string; gitDir: string } | undefined> {
  const text = await readFile(join(path, '.git'), 'utf8').catch(() => undefined);
  const gitDir = text === undefined ? undefined : /^gitdir: (\/[^\n\r]*)\n$/.exec(text)?.[1];
  return text !== undefined && gitDir ? { text, gitDir } : undefined;
}

/**
 * Where a link leads as the kernel follows it, through every link on the way: after a committed link to a
 * shallower folder, `..` climbs from where that link leads, not from where it stands (`t -> a/b/up/../../x`
 * with `a/b/up -> ../..` reads as inside and leads out). A target not there yet is placed from the link's
 * folder as the kernel finds it.
 */
async function whereLinkLeads(link: string, target: string): Promise<string> {
  const followed = await realpath(link).catch(() => undefined);
  if (followed !== undefined) return followed;
  const folder = await realpath(dirname(link)).catch(() => dirname(link));
  return resolve(folder, target);
}

/** The symbolic links the index holds (mode 120000), read from the file; undefined when it cannot be read whole. */
async function linksInIndex(index: WorktreeIndex): Promise<string[] | undefined> {
  const data = await readFile(index.file).catch(() => undefined);
  if (data === undefined) return undefined;
  const links: string[] = [];
  try {
    visitGitIndex(data, index.format, (entry) => {
      if (entry.mode === '120000') links.push(entry.path);
    });
  } catch {
    return undefined; // a split or sparse index, or bytes this reader cannot walk: git lists it
  }
  return links;
}

/** The symbolic links the index holds, as git lists them. */
async function linksListed(path: string): Promise<string[]> {
  const listing = await runGitChecked(path, ['ls-files', '-s', '-z']);
  return listing
    .split('\0')
    .filter((entry) => entry.startsWith('120000 '))
    .map((entry) => entry.slice(entry.indexOf('\t') + 1));
}

function isKept(entry: string, kept: Set<string>): boolean {
  const trimmed = entry.replace(/\/$/, '');
  if (kept.has(trimmed)) return true;
  for (const prefix of kept) if (trimmed.startsWith(`${prefix}/`)) return true;
  return false;
}

async function isCheckout(path: string): Promise<boolean> {
  return exists(join(path, '.git'));
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
