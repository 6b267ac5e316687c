import { runGit, runGitChecked } from './git.ts';
import { GitError, GitErrorCodes } from './git-error.ts';
import { resolveCommit } from './refs.ts';

export const FileChangeStatuses = {
  added: 'added',
  modified: 'modified',
  deleted: 'deleted',
  renamed: 'renamed',
  copied: 'copied',
  typeChanged: 'type-changed',
} as const;

export type FileChangeStatus = (typeof FileChangeStatuses)[keyof typeof FileChangeStatuses];

export interface FileDiffStats {
  path: string;
  /** The path before a rename or copy. */
  oldPath?: string;
  status: FileChangeStatus;
  insertions: number;
  deletions: number;
  /** Binary files count as changed files with 0 insertions and 0 deletions. */
  binary: boolean;
}

export interface DiffStats {
  filesChanged: number;
  insertions: number;
  deletions: number;
  files: FileDiffStats[];
}

/** Stats of a change that touches nothing. */
export function emptyDiffStats(): DiffStats {
  return { filesChanged: 0, insertions: 0, deletions: 0, files: [] };
}

// Plumbing (diff-tree, diff-index) rather than `git diff`: the user's diff.renames, color, external diff
// and textconv settings do not reach it. Renames are detected explicitly, so a moved test reads as a move.
const diffFlags = ['-r', '-z', '-M', '--raw', '--numstat'];

/** What changed from `fromRef` to `toRef` (e.g. the run's base to HEAD), file by file. */
export async function diffStats(worktreePath: string, fromRef: string, toRef: string): Promise<DiffStats> {
  // One git call where both refs name commits; only when it fails are they resolved one by one, for the
  // error that names the ref that does not. (A ref starting with '-' would be read as an option.)
  if (![fromRef, toRef].some((ref) => ref === '' || ref.startsWith('-'))) {
    const direct = await runGit(worktreePath, ['diff-tree', ...diffFlags, `${fromRef}^{commit}`, `${toRef}^{commit}`]);
    if (direct.exitCode === 0) return parseDiffOutput(direct.stdout, worktreePath);
  }
  const [from, to] = await Promise.all([resolveCommit(worktreePath, fromRef), resolveCommit(worktreePath, toRef)]);
  const output = await runGitChecked(worktreePath, ['diff-tree', ...diffFlags, from, to]);
  return parseDiffOutput(output, worktreePath);
}

/** What the index holds against HEAD: the diff the next commit will have. */
export async function stagedDiffStats(worktreePath: string): Promise<DiffStats> {
  const output = await runGitChecked(worktreePath, ['diff-index', '--cached', ...diffFlags, 'HEAD']);
  return parseDiffOutput(output, worktreePath);
}

const statusByLetter: Record<string, FileChangeStatus> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type-changed',
};

/**
 * Parse `--raw --numstat -z`: first one raw record per file (`:modes shas STATUS\0path\0[newpath\0]`), then
 * one numstat record (`ins\tdel\tpath\0`, or `ins\tdel\t\0old\0new\0` for a rename or copy).
 */
function parseDiffOutput(output: string, cwd: string): DiffStats {
  const tokens = output.split('\0');
  if (tokens.at(-1) === '') tokens.pop();
  const files: FileDiffStats[] = [];
  const malformed = () =>
    new GitError(GitErrorCodes.failed, 'Unexpected git diff output', { command: 'git diff-tree', cwd, stderr: '' });
  let index = 0;
  while (tokens[index]?.startsWith(':')) {
    const letter = tokens[index]?.split(' ').at(-1)?.charAt(0) ?? '';
    const status = statusByLetter[letter] ?? 'modified';
    const twoPaths = status === 'renamed' || status === 'copied';
    const first = tokens[index + 1];
    const second = twoPaths ? tokens[index + 2] : undefined;
    if (first === undefined || (twoPaths && second === undefined)) throw malformed();
    files.push(
      second === undefined
        ? { path: first, status, insertions: 0, deletions: 0, binary: false }
        : { path: second, oldPath: first, status, insertions: 0, deletions: 0, binary: false },
    );
    index += twoPaths ? 3 : 2;
  }
  for (const file of files) {
    const match = /^(\d+|-)\t(\d+|-)\t/.exec(tokens[index] ?? '');
    if (!match) throw malformed();
    index += tokens[index] === match[0] ? 3 : 1;
    file.binary = match[1] === '-';
    file.insertions = file.binary ? 0 : Number(match[1]);
    file.deletions = file.binary ? 0 : Number(match[2]);
  }
  return {
    filesChanged: files.length,
    insertions: files.reduce((sum, file) => sum + file.insertions, 0),
    deletions: files.reduce((sum, file) => sum + file.deletions, 0),
    files,
  };
}
