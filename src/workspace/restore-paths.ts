import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runGitChecked } from './git.ts';

/**
 * Put `paths` back as they are at `commit` in the working tree of `repoRoot`: files that exist there are
 * checked out from it, files that do not (added since) are deleted. The index is left alone.
 */
export async function restorePaths(repoRoot: string, commit: string, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  const listed = await runGitChecked(repoRoot, ['ls-tree', '-z', '--name-only', commit, '--', ...paths]);
  const atBase = new Set(listed.split('\0').filter(Boolean));
  const existing = paths.filter((path) => atBase.has(path));
  const added = paths.filter((path) => !atBase.has(path));
  if (existing.length > 0) {
    await runGitChecked(repoRoot, ['restore', `--source=${commit}`, '--worktree', '--', ...existing]);
  }
  await Promise.all(added.map((path) => rm(join(repoRoot, path), { force: true })));
}
