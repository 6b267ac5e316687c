import { readFile, stat } from 'node:fs/promises';
import type { ObjectFormat } from '../gates/cache/git-blob-id.ts';
import { visitGitIndex } from '../gates/cache/git-index.ts';
import { runGit, runGitChecked } from './git.ts';

/** The index bits that make `git add -A` pass over a tracked file's changes. */
export const IndexBits = {
  assumeUnchanged: 'assume-unchanged',
  skipWorktree: 'skip-worktree',
} as const;

export type IndexBit = (typeof IndexBits)[keyof typeof IndexBits];

/** A tracked path whose hiding bits were cleared, and which bits they were. */
export interface ClearedIndexBits {
  path: string;
  bits: IndexBit[];
}

/**
 * Clear the `assume-unchanged` and `skip-worktree` bits of every tracked file in the worktree, so the
 * next `git add -A` sees what is really on disk: an agent can set either bit (`git update-index`) to
 * keep an edit out of the commit that is judged. Where sparse checkout is really in use, skip-worktree
 * is how git marks the files left out of the checkout, and clearing it would commit them as deleted:
 * only assume-unchanged is cleared then. Returns the paths that had a bit cleared, sorted.
 */
export async function clearHidingIndexBits(
  worktreePath: string,
  /** The worktree's index file and object format, when the caller knows them: read without a git call. */
  index?: WorktreeIndex,
): Promise<ClearedIndexBits[]> {
  if (index && (await noHidingBits(index))) return [];
  // -v tags assume-unchanged entries in lower case, -t (implied) tags skip-worktree entries 'S'.
  const listing = await runGitChecked(worktreePath, ['ls-files', '-z', '-v']);
  const assumeUnchanged: string[] = [];
  const skipWorktree: string[] = [];
  for (const record of listing.split('\0')) {
    if (record.length < 3) continue;
    const tag = record.charAt(0);
    const path = record.slice(2);
    if (tag !== tag.toUpperCase()) assumeUnchanged.push(path);
    if (tag.toUpperCase() === 'S') skipWorktree.push(path);
  }
  if (assumeUnchanged.length === 0 && skipWorktree.length === 0) return [];
  const clearSkipWorktree = skipWorktree.length > 0 && !(await sparseCheckoutInUse(worktreePath));
  // update-index applies only the first of these flags to a path, so each bit has its own call.
  await clearBit(worktreePath, '--no-assume-unchanged', assumeUnchanged);
  if (clearSkipWorktree) await clearBit(worktreePath, '--no-skip-worktree', skipWorktree);
  const cleared = new Map<string, IndexBit[]>();
  for (const path of assumeUnchanged) cleared.set(path, [IndexBits.assumeUnchanged]);
  if (clearSkipWorktree) {
    for (const path of skipWorktree) cleared.set(path, [...(cleared.get(path) ?? []), IndexBits.skipWorktree]);
  }
  return [...cleared.entries()]
    .sort(([one], [two]) => (one < two ? -1 : one > two ? 1 : 0))
    .map(([path, bits]) => ({ path, bits }));
}

/** Where a worktree's index is (`<git dir>/index`) and the object format its ids are in. */
export interface WorktreeIndex {
  file: string;
  format: ObjectFormat;
}

/**
 * True when the index file decodes and no entry has either hiding bit; false when one has, or when the
 * file is not one this reader takes whole (a split or sparse index, another version): git is asked then.
 * A missing file is false too: git has its own answer for a worktree without an index.
 */
export async function noHidingBits(index: WorktreeIndex): Promise<boolean> {
  const data = await readFile(index.file).catch(() => undefined);
  if (data === undefined) return false;
  let hidden = false;
  try {
    visitGitIndex(data, index.format, (entry) => {
      if (entry.assumeUnchanged || entry.skipWorktree) hidden = true;
    });
  } catch {
    // UnsupportedIndexError, or bytes this reader cannot walk: git reads the index its own way.
    return false;
  }
  return !hidden;
}

async function clearBit(worktreePath: string, flag: string, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  await runGitChecked(worktreePath, ['update-index', flag, '-z', '--stdin'], { input: `${paths.join('\0')}\0` });
}

/** core.sparseCheckout is on in this worktree and its patterns file exists (without it git checks out all). */
async function sparseCheckoutInUse(worktreePath: string): Promise<boolean> {
  const setting = await runGit(worktreePath, ['config', '--bool', 'core.sparseCheckout']);
  if (setting.stdout.trim() !== 'true') return false;
  const patterns = await runGitChecked(worktreePath, [
    'rev-parse',
    '--path-format=absolute',
    '--git-path',
    'info/sparse-checkout',
  ]);
  return stat(patterns.trim()).then(
    (stats) => stats.isFile(),
    () => false,
  );
}
