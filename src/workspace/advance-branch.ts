import { identityArgs } from './commits.ts';
import { runGit, runGitChecked } from './git.ts';
import { listWorktrees } from './worktree-list.ts';

/** The commit a local branch points at, or null when there is no such branch. */
export async function branchTip(repoRoot: string, branch: string): Promise<string | null> {
  if (branch === '' || branch.startsWith('-')) return null;
  const result = await runGit(repoRoot, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/** One new commit on `parent` holding the tree of `treeOf`: a whole change squashed into one. */
export async function squashCommit(
  repoRoot: string,
  change: { treeOf: string; parent: string; message: string },
): Promise<string> {
  const identity = await identityArgs(repoRoot);
  const sha = await runGitChecked(
    repoRoot,
    [...identity, 'commit-tree', '--no-gpg-sign', `${change.treeOf}^{tree}`, '-p', change.parent, '-F', '-'],
    { input: change.message },
  );
  return sha.trim();
}

/** How a branch was moved forward, or why it was not. */
export type AdvanceOutcome =
  | { status: 'advanced'; via: 'checkout'; checkoutPath: string }
  | { status: 'advanced'; via: 'ref' }
  /** `retryable`: nothing is wrong with the change (the branch moved meanwhile, a file was in the way): approve again. */
  | { status: 'refused'; reason: string; retryable: boolean };

/**
 * Move `branch` from `from` to its descendant `to` without disturbing anyone: where the branch is checked
 * out (usually the user's own checkout) by a fast-forward merge there, which git refuses when it would
 * overwrite local changes; elsewhere by a compare-and-swap of the ref. Never forced: a branch that moved
 * meanwhile is refused, not overwritten.
 */
export async function advanceBranch(
  repoRoot: string,
  branch: string,
  move: { from: string; to: string; reason: string },
): Promise<AdvanceOutcome> {
  const checkout = (await listWorktrees(repoRoot)).find((entry) => entry.branch === branch && !entry.prunable);
  if (checkout) {
    if (checkout.head !== move.from) {
      return {
        status: 'refused',
        reason: `${branch} moved to ${checkout.head?.slice(0, 12)} meanwhile`,
        retryable: true,
      };
    }
    // git's merge refuses to overwrite untracked files but silently replaces ignored ones (a local .env).
    const inTheWay = await filesInTheWay(checkout.path, move.from, move.to);
    if (inTheWay.length > 0) {
      const names = inTheWay.slice(0, 5).join(', ') + (inTheWay.length > 5 ? ` and ${inTheWay.length - 5} more` : '');
      return {
        status: 'refused',
        reason: `the change would overwrite ${inTheWay.length === 1 ? 'a file' : 'files'} git does not track in ${checkout.path}: ${names}; move ${inTheWay.length === 1 ? 'it' : 'them'} away and approve again`,
        retryable: true,
      };
    }
    const merge = await runGit(checkout.path, ['merge', '--ff-only', '--no-verify', move.to]);
    if (merge.exitCode === 0) return { status: 'advanced', via: 'checkout', checkoutPath: checkout.path };
    return {
      status: 'refused',
      reason: `git merge --ff-only in ${checkout.path} refused: ${oneLine(merge.stderr)}`,
      retryable: false,
    };
  }
  const update = await runGit(repoRoot, ['update-ref', '-m', move.reason, `refs/heads/${branch}`, move.to, move.from]);
  if (update.exitCode === 0) return { status: 'advanced', via: 'ref' };
  const moved = (await branchTip(repoRoot, branch)) !== move.from;
  return { status: 'refused', reason: `could not move ${branch}: ${oneLine(update.stderr)}`, retryable: moved };
}

/** Files the move from `from` to `to` writes that exist in the checkout without being tracked (untracked or ignored). */
export async function filesInTheWay(checkoutPath: string, from: string, to: string): Promise<string[]> {
  const written = await runGitChecked(checkoutPath, [
    'diff',
    '--name-only',
    '--no-renames',
    '--no-ext-diff',
    '-z',
    '--diff-filter=AT',
    from,
    to,
  ]);
  const paths = written.split('\0').filter((path) => path !== '');
  if (paths.length === 0) return [];
  const present = await runGitChecked(checkoutPath, [
    'ls-files',
    '-z',
    '--others',
    '--ignored',
    '--exclude-standard',
    '--',
    ...paths,
  ]);
  const untracked = await runGitChecked(checkoutPath, [
    'ls-files',
    '-z',
    '--others',
    '--exclude-standard',
    '--',
    ...paths,
  ]);
  return [...new Set([...present.split('\0'), ...untracked.split('\0')])].filter((path) => path !== '').sort();
}

/** git's multi-line complaint as one line: its lines joined, tabs and blanks squeezed. */
function oneLine(stderr: string): string {
  return stderr
    .split('\n')
    .map((line) => line.replace(/^(error|fatal|hint): /, '').trim())
    .filter((line) => line !== '')
    .join(' ');
}
