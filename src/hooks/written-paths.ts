import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import picomatch from 'picomatch';
import { runGit } from '../workspace/git.ts';
import type { Copy } from './bash-write-targets.ts';
import type { GitTreeChange } from './git-command-writes.ts';

/** A repository file a tool call would write: `path` relative to the repository, `named` as the call named it. */
export interface WrittenPath {
  path: string;
  named: string;
  exists: boolean;
}

/**
 * The repository files behind the paths a tool call names: each path as written and, when it goes through
 * a symlink (the file or a folder on the way), the file it reaches; a folder stands for the tracked files
 * in it, a glob for the tracked files it matches. Paths outside the repository are dropped.
 */
export async function writtenPaths(repoRoot: string, cwd: string, targets: readonly string[]): Promise<WrittenPath[]> {
  const realRoot = realPath(repoRoot);
  const found: WrittenPath[] = [];
  let tracked: string[] | undefined;
  const trackedFiles = async () => {
    tracked ??= await gitList(repoRoot, ['ls-files', '-z']);
    return tracked;
  };
  for (const target of targets) {
    const absolute = isAbsolute(target) ? target : resolve(cwd, target);
    const fromRoot = relative(repoRoot, absolute);
    const named = fromRoot.startsWith('..') || isAbsolute(fromRoot) ? target : fromRoot;
    if (/[*?[]/.test(named)) {
      const pattern = relative(repoRoot, absolute);
      if (pattern.startsWith('..')) continue;
      const matches = picomatch(pattern, { dot: true });
      for (const path of await trackedFiles()) if (matches(path)) found.push({ path, named, exists: true });
      continue;
    }
    const real = realPath(absolute);
    // The file a symlink reaches first: that is the one written, and the one the reason should name.
    for (const [root, file] of [
      [realRoot, real],
      [repoRoot, absolute],
    ] as const) {
      const path = relative(root, file);
      if (path.startsWith('..') || isAbsolute(path)) continue;
      if (isDirectory(file)) {
        const inside = path === '' ? '' : `${path}/`;
        for (const each of await trackedFiles())
          if (each.startsWith(inside)) found.push({ path: each, named, exists: true });
      } else found.push({ path, named, exists: existsSync(file) });
    }
  }
  return found;
}

/** The files `cp`/`mv`/`install`/`ln` write: in the destination folder under the sources' names, or the destination. */
export function copyDestinations(cwd: string, copies: readonly Copy[]): string[] {
  return copies.flatMap(({ destination, sources }) => {
    const into = destination.endsWith('/') || isDirectory(resolve(cwd, destination));
    return into ? sources.map((source) => join(destination, basename(source))) : [destination];
  });
}

/** The tracked files a git tree change rewrites; an unknown revision rewrites nothing (git will refuse it too). */
export async function treeChangePaths(repoRoot: string, change: GitTreeChange): Promise<string[]> {
  const revisions = change.to === undefined ? [change.from] : [change.from, change.to];
  return gitList(repoRoot, ['diff', '--name-only', '-z', '--no-renames', ...revisions, '--']);
}

async function gitList(repoRoot: string, args: string[]): Promise<string[]> {
  const result = await runGit(repoRoot, args);
  if (result.exitCode !== 0) return [];
  return result.stdout.split('\0').filter((path) => path !== '');
}

/** The path with every symlink on the way resolved; for a file not there yet, its folder's real path. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realPath(parent), basename(path));
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
