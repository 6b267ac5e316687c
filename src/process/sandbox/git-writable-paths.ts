import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** What an agent's own `git commit` in its worktree needs to write, and what must stay read-only. */
export interface GitWritableParts {
  writable: string[];
  readOnly: string[];
  /** One phrase for the evidence: what of the git dir the agent may write. */
  summary: string;
}

const none: GitWritableParts = { writable: [], readOnly: [], summary: 'no git metadata' };

/**
 * For a linked worktree (`.git` is a file): its admin folder (`.git/worktrees/<name>`: HEAD, index, its
 * reflog), the shared object store (minus `objects/info`, where alternates live), and the folder of its
 * branch's ref and reflog (`refs/heads/sluice/`), so the agent can commit on its branch but cannot move
 * `main`, install hooks, change `config` or `info/`. For a repository whose `.git` folder is inside the
 * worktree it is already writable: its hooks, config and info/ are made read-only.
 */
export function gitWritableParts(worktree: string): GitWritableParts {
  const dotGit = join(worktree, '.git');
  let isFile: boolean;
  try {
    isFile = statSync(dotGit).isFile();
  } catch {
    return none;
  }
  if (!isFile) return repositoryFolderParts(dotGit);
  const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
  if (!pointer) return none;
  const admin = resolve(worktree, pointer);
  const commondirFile = join(admin, 'commondir');
  if (!existsSync(commondirFile)) return none;
  const common = resolve(admin, readFileSync(commondirFile, 'utf8').trim());
  const writable = [admin, join(common, 'objects')];
  const readOnly = existingPaths([join(common, 'objects', 'info')]);
  const branchRef = /^ref:\s*(refs\/heads\/.+)$/m.exec(readIfExists(join(admin, 'HEAD')))?.[1]?.trim();
  const refFolder = branchRef === undefined ? undefined : dirname(branchRef);
  // Only a branch in a folder of its own (sluice/<run>): a top-level branch's folder also holds main.
  const ownFolder = refFolder !== undefined && refFolder !== 'refs/heads';
  if (ownFolder) {
    for (const folder of [join(common, refFolder), join(common, 'logs', refFolder)]) {
      mkdirSync(folder, { recursive: true });
      writable.push(folder);
    }
  }
  const refs = ownFolder ? ` and ${refFolder}/` : '';
  return { writable, readOnly, summary: `its worktree's git admin folder, the git object store${refs}` };
}

/** The shared git dir of a linked worktree (`.git` a file); undefined for anything else. */
export function sharedGitDir(worktree: string): string | undefined {
  try {
    const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(join(worktree, '.git'), 'utf8'))?.[1]?.trim();
    if (!pointer) return undefined;
    const admin = resolve(worktree, pointer);
    return resolve(admin, readFileSync(join(admin, 'commondir'), 'utf8').trim());
  } catch {
    return undefined;
  }
}

function repositoryFolderParts(gitDir: string): GitWritableParts {
  // Made if missing, so the agent cannot create them either (a mount point cannot be replaced).
  for (const folder of ['hooks', 'info']) mkdirSync(join(gitDir, folder), { recursive: true });
  const readOnly = existingPaths(['hooks', 'info', 'config', 'objects/info'].map((part) => join(gitDir, part)));
  return { writable: [], readOnly, summary: 'its .git folder except hooks, config and info/' };
}

function existingPaths(paths: string[]): string[] {
  return paths.filter((path) => existsSync(path));
}

function readIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
