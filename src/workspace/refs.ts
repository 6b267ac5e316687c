import { stat } from 'node:fs/promises';
import { formatGitCommand, gitFailure, runGit } from './git.ts';
import { GitError, GitErrorCodes } from './git-error.ts';

const fullObjectName = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** The full commit sha `ref` names (a branch, tag, sha or expression such as `HEAD~1`); a `GitError` naming it if none. */
export async function resolveCommit(repoRoot: string, ref: string): Promise<string> {
  const args = ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`];
  // A ref that starts with '-' would be read as an option; no branch or tag can start with one.
  if (ref === '' || ref.startsWith('-')) throw refNotFound(repoRoot, ref, formatGitCommand(args), '');
  const result = await runGit(repoRoot, args);
  // Exactly one full object name: `^HEAD` (a negated revision) prints `^<sha>` with exit 0.
  const sha = result.stdout.trim();
  if (result.exitCode === 0 && fullObjectName.test(sha)) return sha;
  if (result.exitCode === 0 || (await isGitRepo(repoRoot)))
    throw refNotFound(repoRoot, ref, result.command, result.stderr);
  throw new GitError(GitErrorCodes.notARepository, `${repoRoot} is not a git repository`, {
    command: result.command,
    cwd: repoRoot,
    exitCode: result.exitCode,
    stderr: result.stderr,
  });
}

function refNotFound(repoRoot: string, ref: string, command: string, stderr: string): GitError {
  return new GitError(GitErrorCodes.refNotFound, `Ref '${ref}' does not name a commit in ${repoRoot}`, {
    command,
    cwd: repoRoot,
    stderr,
  });
}

/** The short name of the branch checked out in `repoRoot`, or null on a detached HEAD. */
export async function currentBranch(repoRoot: string): Promise<string | null> {
  const result = await runGit(repoRoot, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  if (result.exitCode === 0) return result.stdout.trim();
  if (result.exitCode === 1) return null;
  throw new GitError(GitErrorCodes.notARepository, `Cannot read the current branch of ${repoRoot}`, {
    command: result.command,
    cwd: repoRoot,
    exitCode: result.exitCode,
    stderr: result.stderr,
  });
}

/** Whether `dir` exists and lies inside a git working tree. */
export async function isGitRepo(dir: string): Promise<boolean> {
  const isDirectory = await stat(dir).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!isDirectory) return false;
  const result = await runGit(dir, ['rev-parse', '--is-inside-work-tree']);
  return result.exitCode === 0 && result.stdout.trim() === 'true';
}

/**
 * The content of `path` (relative to the repository root) as committed at `ref`, decoded as UTF-8, or
 * undefined when no file is there. The loop reads sluice.yaml this way, from the trusted base and never from the agent's worktree.
 */
export async function readFileAtRef(repoRoot: string, ref: string, path: string): Promise<string | undefined> {
  return (await readFilesAtRef(repoRoot, ref, [path])).get(path);
}

const fullSha = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * The contents of `paths` as committed at `ref`, read by one `git cat-file --batch`: a path with no file
 * there (missing, a folder, a name git cannot take) is absent from the map.
 */
export async function readFilesAtRef(
  repoRoot: string,
  ref: string,
  paths: readonly string[],
): Promise<Map<string, string>> {
  const contents = new Map<string, string>();
  const readable = paths.filter((path) => !path.includes('\n'));
  if (readable.length === 0) return contents;
  const commit = fullSha.test(ref) ? ref : await resolveCommit(repoRoot, ref);
  // `<commit>:<path>` is resolved from the repository root whatever the cwd; --batch answers "missing"
  // instead of failing, and names the type, so a folder is told from a file.
  const input = readable.map((path) => `${commit}:${path.replace(/^(\.\/)+/, '')}\n`).join('');
  const result = await runGit(repoRoot, ['cat-file', '--batch'], { input });
  if (result.exitCode !== 0) throw gitFailure(repoRoot, result);
  const output = result.stdoutBytes;
  let offset = 0;
  for (const path of readable) {
    const headerEnd = output.indexOf(0x0a, offset);
    if (headerEnd === -1) break;
    const [, type, size] = output.subarray(offset, headerEnd).toString('utf8').split(' ');
    offset = headerEnd + 1;
    if (type === undefined || size === undefined) continue; // "<name> missing" or "ambiguous"
    const length = Number(size);
    if (type === 'blob') contents.set(path, output.subarray(offset, offset + length).toString('utf8'));
    offset += length + 1;
  }
  return contents;
}
