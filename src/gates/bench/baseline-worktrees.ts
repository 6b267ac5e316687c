import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SluiceError } from '../../errors.ts';
import { runProcess } from '../../process/run-process.ts';
import { gitFailure, isContention, runGit, runGitChecked } from '../../workspace/git.ts';
import { GitError, GitErrorCodes } from '../../workspace/git-error.ts';
import { resolveCommit } from '../../workspace/refs.ts';
import { repoRootOf } from '../../workspace/repo-root.ts';
import { pruneWorktrees, removeWorktree } from '../../workspace/worktrees.ts';
import { withCheckoutLock } from './checkout-lock.ts';

export interface BaselineWorktreesOptions {
  /** Folder of sluice.yaml (inside the repository). */
  root: string;
  sluiceDir: string;
  /** Where the baseline checkouts live; default `<sluiceDir>/baselines`. A judge keeps them outside the tree it resets. */
  baselinesDir?: string;
  /** Commands run once in a new baseline worktree (config `setup`). */
  setup: string[];
  signal?: AbortSignal;
}

export const BaselineErrorCodes = {
  refNotFound: 'BASELINE_REF_NOT_FOUND',
  checkoutFailed: 'BASELINE_CHECKOUT_FAILED',
  setupFailed: 'BASELINE_SETUP_FAILED',
  cancelled: 'BASELINE_CANCELLED',
} as const;

/** A baseline that could not be checked out or set up; the bench gate fails with its message. */
export class BaselineError extends SluiceError {
  override readonly code: (typeof BaselineErrorCodes)[keyof typeof BaselineErrorCodes];

  constructor(code: BaselineError['code'], message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.code = code;
  }
}

/** A baseline ready to measure. */
export interface BaselineCheckout {
  commit: string;
  /** The folder matching the config folder inside the baseline's worktree. */
  root: string;
}

/** Longest a setup command (installing dependencies) may take. */
const setupTimeoutMs = 20 * 60_000;
const checkoutTimeoutMs = 300_000;
const contentionRetries = 6;

/**
 * Checkouts of baseline refs for bench gates: one detached worktree per commit under
 * `<sluiceDir>/baselines/`, set up once and reused by later checks.
 */
export class BaselineWorktrees {
  readonly options: BaselineWorktreesOptions;
  private readonly checkouts = new Map<string, Promise<BaselineCheckout>>();
  private repository: Promise<{ repoRoot: string; prefix: string }> | undefined;

  constructor(options: BaselineWorktreesOptions) {
    this.options = options;
  }

  /** The commit `ref` names and the folder matching `root` inside a worktree checked out at it. */
  async checkout(ref: string): Promise<BaselineCheckout> {
    const { repoRoot } = await this.locateRepository();
    const commit = await resolveCommit(repoRoot, ref).catch((error: unknown) => {
      if (error instanceof GitError && error.code === GitErrorCodes.refNotFound) {
        throw new BaselineError(BaselineErrorCodes.refNotFound, `baseline ref '${ref}' does not name a commit`, {
          cause: error,
        });
      }
      throw error;
    });
    let checkout = this.checkouts.get(commit);
    if (!checkout) {
      checkout = this.prepare(commit);
      this.checkouts.set(commit, checkout);
      // A failed checkout is not remembered: the next gate (or check) tries again.
      checkout.catch(() => this.checkouts.delete(commit));
    }
    return checkout;
  }

  private locateRepository(): Promise<{ repoRoot: string; prefix: string }> {
    this.repository ??= (async () => {
      const repoRoot = await repoRootOf(this.options.root).catch((error: unknown) => {
        const message = `a baseline needs a git repository, and ${this.options.root} is not inside one`;
        throw new BaselineError(BaselineErrorCodes.checkoutFailed, message, { cause: error });
      });
      const prefix = (await runGitChecked(this.options.root, ['rev-parse', '--show-prefix']))
        .trim()
        .replace(/\/+$/, '');
      return { repoRoot, prefix };
    })();
    return this.repository;
  }

  private async prepare(commit: string): Promise<BaselineCheckout> {
    const { repoRoot, prefix } = await this.locateRepository();
    const folder = this.options.baselinesDir ?? join(this.options.sluiceDir, 'baselines');
    const path = join(folder, commit);
    const checkout = { commit, root: join(path, prefix) };
    const marker = `${path}.ready`;
    const stamp = JSON.stringify({ commit, setup: this.options.setup });
    await mkdir(folder, { recursive: true });
    // Ignored even where `.sluice/` carries no .gitignore of its own: a checkout is never part of the change.
    await writeFile(join(folder, '.gitignore'), '*\n');
    return withCheckoutLock(
      path,
      async () => {
        if ((await readFile(marker, 'utf8').catch(() => undefined)) === stamp && (await headOf(path)) === commit) {
          return checkout;
        }
        await rm(marker, { force: true });
        await this.remove(repoRoot, path); // left half-made by a crash, or set up by other commands
        await this.addWorktree(repoRoot, path, commit);
        try {
          await this.runSetup(checkout);
          await writeFile(marker, stamp);
          return checkout;
        } catch (error) {
          await this.remove(repoRoot, path).catch(() => {});
          throw error;
        }
      },
      this.options.signal,
    );
  }

  private async addWorktree(repoRoot: string, path: string, commit: string): Promise<void> {
    const signal = this.options.signal;
    const args = ['worktree', 'add', '--detach', path, commit];
    for (let attempt = 1; ; attempt++) {
      const result = await runGit(repoRoot, args, { timeoutMs: checkoutTimeoutMs, ...(signal ? { signal } : {}) });
      if (result.exitCode === 0) return;
      // Checks starting together race for git's lock files: wait a little and try again.
      if (attempt < contentionRetries && isContention(result.stderr)) {
        await sleep(40 * 2 ** (attempt - 1) * (0.5 + Math.random()));
        continue;
      }
      const failure = gitFailure(repoRoot, result, `could not check out the baseline ${commit.slice(0, 12)}`);
      await this.remove(repoRoot, path).catch(() => {});
      throw new BaselineError(BaselineErrorCodes.checkoutFailed, `${failure.message}: ${result.stderr.trim()}`, {
        cause: failure,
      });
    }
  }

  private async runSetup(checkout: BaselineCheckout): Promise<void> {
    const logDir = join(this.options.sluiceDir, 'logs');
    await mkdir(logDir, { recursive: true });
    const logFile = join(logDir, 'baseline-setup.log');
    for (const [index, command] of this.options.setup.entries()) {
      const result = await runProcess({
        command,
        cwd: checkout.root,
        // Where the user's checkout is, so a setup command can copy files git does not track (`.env`).
        env: { SLUICE_MAIN_CHECKOUT: this.options.root, SLUICE_BASELINE_COMMIT: checkout.commit },
        timeoutMs: setupTimeoutMs,
        outputPath: logFile,
        ...(this.options.signal ? { signal: this.options.signal } : {}),
      });
      if (result.status === 'cancelled') throw new BaselineError(BaselineErrorCodes.cancelled, 'cancelled');
      if (result.status === 'exited' && result.exitCode === 0) continue;
      const how = result.status === 'exited' ? `exit ${result.exitCode}` : result.status;
      const tail = await lastLines(logFile, 3);
      throw new BaselineError(
        BaselineErrorCodes.setupFailed,
        `setup command ${index + 1} (${command}) failed in the baseline worktree at ${checkout.commit.slice(0, 12)}: ${how}` +
          `${tail ? `: ${tail}` : ''} (log: ${relative(this.options.root, logFile)})`,
      );
    }
  }

  private async remove(repoRoot: string, path: string): Promise<void> {
    if (await exists(path)) await removeWorktree(repoRoot, path, { force: true }).catch(() => {});
    await rm(path, { recursive: true, force: true });
    await pruneWorktrees(repoRoot);
  }
}

async function headOf(path: string): Promise<string | undefined> {
  // Without its own `.git` file, git would answer for the repository around the folder.
  if (!(await exists(join(path, '.git')))) return undefined;
  const result = await runGit(path, ['rev-parse', '--verify', '--quiet', 'HEAD']);
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function lastLines(file: string, count: number): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-count)
    .join(' / ');
}
