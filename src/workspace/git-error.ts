import { SluiceError } from '../errors.ts';

/** The stable codes a `GitError` carries; the CLI maps them to messages and exit codes. */
export const GitErrorCodes = {
  failed: 'GIT_FAILED',
  unavailable: 'GIT_UNAVAILABLE',
  timedOut: 'GIT_TIMED_OUT',
  cancelled: 'GIT_CANCELLED',
  refNotFound: 'GIT_REF_NOT_FOUND',
  notARepository: 'GIT_NOT_A_REPOSITORY',
  branchExists: 'GIT_BRANCH_EXISTS',
  invalidName: 'GIT_INVALID_NAME',
  /** git works on another folder than the one holding `.git` (core.worktree). */
  worktreeRedirected: 'GIT_WORKTREE_REDIRECTED',
} as const;

export type GitErrorCode = (typeof GitErrorCodes)[keyof typeof GitErrorCodes];

export interface GitErrorDetails {
  /** The git command as it would be typed, e.g. `git worktree add -b sluice/r1 ...`. */
  command: string;
  cwd: string;
  exitCode?: number;
  stderr?: string;
  cause?: unknown;
}

/** A git command that failed, or a ref, name or repository that is not what the caller needs. */
export class GitError extends SluiceError {
  override readonly code: GitErrorCode;
  readonly command: string;
  readonly cwd: string;
  readonly exitCode: number | undefined;
  readonly stderr: string;

  constructor(code: GitErrorCode, summary: string, details: GitErrorDetails) {
    const stderr = details.stderr?.trim() ?? '';
    const message = `${summary}\n  command: ${details.command}\n  in: ${details.cwd}${stderr ? `\n  ${stderr.replaceAll('\n', '\n  ')}` : ''}`;
    super(code, message, { cause: details.cause });
    this.code = code;
    this.command = details.command;
    this.cwd = details.cwd;
    this.exitCode = details.exitCode;
    this.stderr = stderr;
  }
}
