import { stat } from 'node:fs/promises';
import { captureProcess } from '../process/capture-process.ts';
import { sweepDeadScratch } from '../process/scratch-dir.ts';
import { GitError, GitErrorCodes } from './git-error.ts';

export const DEFAULT_GIT_TIMEOUT_MS = 60_000;

export interface GitOptions {
  timeoutMs?: number;
  /** Written to git's stdin (a commit message for `commit -F -`, object names for `cat-file --batch-check`). */
  input?: string;
  signal?: AbortSignal;
  /**
   * Run git as the repository is configured, hooks, fsmonitor and signature checks included, instead of
   * with `HARDENING_CONFIG`. Only for the user's own commands (as a test types them) and for asking where
   * the configured hooks live; never for a command that reads or writes a worktree an agent has touched.
   */
  asConfigured?: boolean;
}

/** A git command that ran to its end; a non-zero `exitCode` is the caller's to judge. */
export interface GitResult {
  command: string;
  exitCode: number;
  stdout: string;
  /** stdout as bytes, for output that counts bytes (`cat-file --batch`). */
  stdoutBytes: Buffer;
  stderr: string;
  durationMs: number;
}

// Variables git sets for its hooks (and users set by hand) that point git at another repository or index.
// Sluice may itself run inside a git hook; inherited, they would make every command below act on the wrong repo.
const repositoryLocators = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
];

function gitEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !repositoryLocators.includes(name)) env[name] = value;
  }
  // Never wait for a password nobody will type; parseable, untranslated output; and read-only commands
  // (status) must not take index.lock, which concurrent runs would then trip over. Replace refs
  // (`git replace <base> <other>`) would make a commit id read as another commit's content: never honoured.
  return { ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0', GIT_NO_REPLACE_OBJECTS: '1' };
}

/**
 * Passed as `-c` before every command Sluice runs. An agent without a sandbox can write the repository's
 * shared git dir (hooks, config, config.worktree); `-c` outranks every config file, so none of these can
 * make Sluice's own git run a program the agent put there. Clean/smudge filters and merge drivers are not
 * here: switching them off would corrupt git-lfs checkouts and commits; `restoreRepository` puts the
 * config back before Sluice's next command instead.
 */
export const HARDENING_CONFIG: readonly string[] = [
  // No hook of any kind runs (pre-commit, prepare-commit-msg, post-commit, post-checkout, post-merge,
  // post-rewrite, reference-transaction, post-index-change, pre-auto-gc...): /dev/null/<hook> never exists.
  'core.hooksPath=/dev/null',
  // A core.fsmonitor hook program would run on every status, add and commit.
  'core.fsmonitor=false',
  // Laxer stat checks would have diff-index, status and add take a rewritten file for unchanged: one of the
  // same size with its mtime set back (checkStat=minimal, trustctime=false), or any file (ignoreStat).
  'core.ignoreStat=false',
  'core.checkStat=default',
  'core.trustctime=true',
  // Both run gpg.program (or gpg.ssh.program), which the config names: to verify on merge, to show on log.
  'merge.verifySignatures=false',
  'log.showSignature=false',
  // Signing runs gpg.program too; Sluice's commits are checkpoints, never signed (and no prompt may wait).
  'commit.gpgSign=false',
  'tag.gpgSign=false',
  // A commit would start `git maintenance run --auto` (gc, repack) after it: seconds at a random turn, and
  // packs written mid-run that the object check must then verify. Your own git runs it when it is due.
  'maintenance.auto=false',
  'gc.auto=0',
];

let sweptOnce: Promise<unknown> | undefined;

/** Render argv as a copy-pasteable command for error messages. */
export function formatGitCommand(args: readonly string[]): string {
  const quoted = args.map((arg) => (/^[\w@%+=:,./^~-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`));
  return ['git', ...quoted].join(' ');
}

/**
 * Run `git <args>` in `cwd`, spawned directly (exact argv, no shell) in its own process group with a
 * timeout; stdout is kept as bytes, stderr apart as text. Returns whatever exit code git ends with;
 * throws `GitError` only when git did not run to its end.
 */
export async function runGit(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<GitResult> {
  const command = formatGitCommand(args);
  // git calls once made scratch folders, and every command runs git: the first call of each process still
  // removes the scratch a Sluice killed with -9 left (its own git calls leave none now). Git needs none of
  // it, so the sweep runs while git does, and is over before the call returns.
  sweptOnce ??= sweepDeadScratch().catch(() => []);
  const outcome = await captureProcess({
    file: 'git',
    args: hardened(args, options),
    cwd,
    env: gitEnvironment(),
    timeoutMs: options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS,
    ...(options.input === undefined ? {} : { input: options.input }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  await sweptOnce;
  switch (outcome.status) {
    case 'exited': {
      const { exitCode, stdout: stdoutBytes, stderr, durationMs } = outcome;
      return { command, exitCode, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr, durationMs };
    }
    case 'timed-out':
      throw new GitError(GitErrorCodes.timedOut, `git timed out after ${outcome.durationMs} ms`, {
        command,
        cwd,
        stderr: outcome.stderr,
      });
    case 'cancelled':
      throw new GitError(GitErrorCodes.cancelled, 'git was cancelled', { command, cwd, stderr: outcome.stderr });
    case 'signalled':
      throw new GitError(GitErrorCodes.failed, `git was killed by ${outcome.signal}`, {
        command,
        cwd,
        stderr: outcome.stderr,
      });
    case 'spawn-failed': {
      // ENOENT names either a missing git or a missing cwd: ask the folder.
      const cwdExists = await stat(cwd).then(
        (stats) => stats.isDirectory(),
        () => false,
      );
      if (!cwdExists) throw new GitError(GitErrorCodes.notARepository, `${cwd} is not a folder`, { command, cwd });
      const why =
        outcome.code === 'ENOENT' ? 'git is not installed or not on PATH' : `git could not start: ${outcome.message}`;
      throw new GitError(GitErrorCodes.unavailable, why, { command, cwd });
    }
  }
}

function hardened(args: readonly string[], options: GitOptions): readonly string[] {
  if (options.asConfigured) return args;
  return [...HARDENING_CONFIG.flatMap((setting) => ['-c', setting]), ...args];
}

/** Run git and return its stdout; a non-zero exit is a `GitError` carrying the command and stderr. */
export async function runGitChecked(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<string> {
  const result = await runGit(cwd, args, options);
  if (result.exitCode !== 0) throw gitFailure(cwd, result);
  return result.stdout;
}

/** The `GitError` for a command that exited non-zero. */
export function gitFailure(cwd: string, result: GitResult, summary?: string): GitError {
  const code = /not a git repository/i.test(result.stderr) ? GitErrorCodes.notARepository : GitErrorCodes.failed;
  return new GitError(code, summary ?? `git failed with exit code ${result.exitCode}`, {
    command: result.command,
    cwd,
    exitCode: result.exitCode,
    stderr: result.stderr,
  });
}

/**
 * True when git failed only because another git process was busy in the same repository: a lock file it
 * held (`index.lock`, `config.lock`, a ref's lock), or a worktree it was half-way through registering.
 */
export function isContention(stderr: string): boolean {
  return /\.lock'?:? File exists|could not lock config file|(failed|unable) to read .*worktrees\//i.test(stderr);
}
