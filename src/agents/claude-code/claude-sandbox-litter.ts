import { readdirSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { sharedGitDir } from '../../process/sandbox/git-writable-paths.ts';

/*
 * To deny writes to paths that do not exist yet, Claude Code's sandbox creates empty files and folders for
 * bubblewrap to mount over (checked with 2.1.331): `config.worktree`, `objects/info/alternates`,
 * `info/.claude-sandbox-noreplace/`, `NOTES_MERGE_WORKTREE/`, ... in the shared git dir and the worktree's
 * admin folder, and `.claude/.cc-writes/` in the worktree and in the user's checkout. It leaves them behind.
 * They change nothing git does, but the user's repository must be left as it was: whatever of them is new
 * and still empty after a turn is removed.
 */

/** Folders of the shared git dir that hold the repository's content: large, and never placeholders. */
const contentFolders = new Set(['objects', 'refs', 'logs', 'lfs', 'modules']);

/** Call before the turn; the function it returns removes the empty placeholders the turn left. */
export function trackSandboxLitter(worktree: string): () => void {
  const roots = litterRoots(worktree);
  const before = new Set(roots.flatMap(listTree));
  return () => {
    const added = roots.flatMap(listTree).filter((path) => !before.has(path));
    // Deepest first, so a folder is empty by the time it is reached.
    for (const path of added.sort((a, b) => b.split('/').length - a.split('/').length)) removeIfEmpty(path);
  };
}

function litterRoots(worktree: string): string[] {
  const common = sharedGitDir(worktree);
  const roots = [join(worktree, '.claude')];
  if (common) {
    roots.push(common, join(common, 'objects', 'info'));
    if (basename(common) === '.git') roots.push(join(dirname(common), '.claude'));
  }
  return roots;
}

/** Every path under `root` (itself included when it exists), not descending into content folders. */
function listTree(root: string): string[] {
  const paths: string[] = [];
  const walk = (path: string, depth: number) => {
    let entries: string[];
    try {
      if (!statSync(path).isDirectory()) return;
      entries = readdirSync(path);
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = join(path, entry);
      paths.push(child);
      if (depth === 0 && contentFolders.has(entry)) continue;
      if (depth < 4) walk(child, depth + 1);
    }
  };
  try {
    statSync(root);
    paths.push(root);
  } catch {
    return paths;
  }
  walk(root, 0);
  return paths;
}

function removeIfEmpty(path: string): void {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      if (readdirSync(path).length === 0) rmdirSync(path);
    } else if (stat.isFile() && stat.size === 0) {
      unlinkSync(path);
    }
  } catch {
    // gone already, or not ours to remove
  }
}
