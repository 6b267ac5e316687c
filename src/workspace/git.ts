import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runProcess } from '../process/run-process.ts';
import { makeScratchDir } from '../process/scratch-dir.ts';
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
  // (status) must not take index.lock, which concurrent runs would then trip over.
  return { ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' };
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
  // Both run gpg.program (or gpg.ssh.program), which the config names: to verify on merge, to show on log.
  'merge.verifySignatures=false',
  'log.showSignature=false',
  // Signing runs gpg.program too; Sluice's commits are checkpoints, never signed (and no prompt may wait).
  'commit.gpgSign=false',
  'tag.gpgSign=false',
];

/** Render argv as a copy-pasteable command for error messages. */
export function formatGitCommand(args: readonly string[]): string {
  const quoted = args.map((arg) => (/^[\w@%+=:,./^~-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`));
  return ['git', ...quoted].join(' ');
}

/**
 * Run `git <args>` in `cwd` through the process module (own process group, timeout). Returns whatever
 * exit code git ends with; throws `GitError` only when git did not run to its end.
 */
export async function runGit(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<GitResult> {
  const command = formatGitCommand(args);
  const scratch = await makeScratchDir('git');
  const stdoutPath = join(scratch, 'stdout');
  const stderrPath = join(scratch, 'stderr');
  try {
    // runProcess writes one log with stdout and stderr interleaved, and streams stdout only as lines (CRs
    // and the final newline are lost). A tiny `sh` trampoline that execs git keeps the exact argv (nothing
    // is interpolated: the args arrive as "$@") and sends stderr to a file of its own: both stay exact.
    const outcome = await runProcess({
      command: { file: '/bin/sh', args: ['-c', 'exec git "$@" 2>"$0"', stderrPath, ...hardened(args, options)] },
      cwd,
      env: gitEnvironment(),
      replaceEnv: true,
      timeoutMs: options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS,
      outputPath: stdoutPath,
      ...(options.input === undefined ? {} : { input: options.input }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const stderr = await readFile(stderrPath, 'utf8').catch(() => '');
    switch (outcome.status) {
      case 'exited': {
        if (outcome.exitCode === 127 && /git.*not found/i.test(stderr)) {
          throw new GitError(GitErrorCodes.unavailable, 'git is not installed or not on PATH', {
            command,
            cwd,
            stderr,
          });
        }
        const stdoutBytes = await readFile(stdoutPath);
        const stdout = stdoutBytes.toString('utf8');
        return { command, exitCode: outcome.exitCode, stdout, stdoutBytes, stderr, durationMs: outcome.durationMs };
      }
      case 'timed-out':
        throw new GitError(GitErrorCodes.timedOut, `git timed out after ${outcome.durationMs} ms`, {
          command,
          cwd,
          stderr,
        });
      case 'cancelled':
        throw new GitError(GitErrorCodes.cancelled, 'git was cancelled', { command, cwd, stderr });
      case 'signalled':
        throw new GitError(GitErrorCodes.failed, `git was killed by ${outcome.signal}`, { command, cwd, stderr });
      case 'spawn-failed': {
        const cwdExists = await stat(cwd).then(
          (stats) => stats.isDirectory(),
          () => false,
        );
        if (!cwdExists) throw new GitError(GitErrorCodes.notARepository, `${cwd} is not a folder`, { command, cwd });
        throw new GitError(GitErrorCodes.unavailable, `git could not start: ${outcome.message}`, { command, cwd });
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
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
