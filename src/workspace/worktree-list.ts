import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runGit, runGitChecked } from './git.ts';

export interface WorktreeEntry {
  path: string;
  /** Null in a worktree whose branch has no commit yet. */
  head: string | null;
  /** Short branch name, or null when detached. */
  branch: string | null;
  /** The worktree's folder is gone; `pruneWorktrees` drops it. */
  prunable: boolean;
}

/** The worktrees git knows for this repository, the main one first. */
export async function listWorktrees(repoRoot: string): Promise<WorktreeEntry[]> {
  const output = await runGitChecked(repoRoot, ['worktree', 'list', '--porcelain']);
  const entries: WorktreeEntry[] = [];
  for (const block of output.split('\n\n')) {
    const lines = block.split('\n').filter((line) => line !== '');
    const path = fieldValue(lines, 'worktree');
    if (path === undefined) continue;
    const head = fieldValue(lines, 'HEAD');
    const branch = fieldValue(lines, 'branch')?.replace(/^refs\/heads\//, '') ?? null;
    // git before 2.31 does not print `prunable`: a folder that is gone is the same thing.
    const prunable =
      lines.some((line) => line === 'prunable' || line.startsWith('prunable ')) || !(await isDirectory(path));
    entries.push({ path, head: head && !/^0+$/.test(head) ? head : null, branch, prunable });
  }
  return entries;
}

function fieldValue(lines: string[], key: string): string | undefined {
  const line = lines.find((candidate) => candidate.startsWith(`${key} `));
  return line?.slice(key.length + 1);
}

/** The registered worktree at `path`, if any (paths compared after resolving symlinks). */
export async function findWorktree(repoRoot: string, path: string): Promise<WorktreeEntry | undefined> {
  const wanted = await canonical(path);
  for (const entry of await listWorktrees(repoRoot)) {
    if ((await canonical(entry.path)) === wanted) return entry;
  }
  return undefined;
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
}

async function canonical(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

export type WorktreeState =
  | { status: 'missing' }
  | { status: 'not-a-worktree' }
  | { status: 'present'; clean: boolean; head: string | null; branch: string | null; changedFiles: number };

/** Whether `path` is the top of a git worktree, and if so its HEAD, branch and whether it is clean. */
export async function worktreeState(path: string): Promise<WorktreeState> {
  if (!(await isDirectory(path))) return { status: 'missing' };
  const top = await runGit(path, ['rev-parse', '--show-toplevel']);
  if (top.exitCode !== 0 || (await canonical(top.stdout.trim())) !== (await canonical(path))) {
    return { status: 'not-a-worktree' };
  }
  // Ignored files (build output, .sluice/) do not make a worktree dirty; untracked ones do.
  const status = await runGitChecked(path, ['status', '--porcelain=v2', '--branch', '-z', '--untracked-files=all']);
  let head: string | null = null;
  let branch: string | null = null;
  let changedFiles = 0;
  const records = status.split('\0');
  for (let index = 0; index < records.length; index++) {
    const record = records[index] ?? '';
    if (record.startsWith('# branch.oid ')) head = record.slice('# branch.oid '.length);
    else if (record.startsWith('# branch.head ')) branch = record.slice('# branch.head '.length);
    else if (/^[12u?] /.test(record)) changedFiles++;
    if (record.startsWith('2 ')) index++; // a rename's original path follows as a record of its own
  }
  return {
    status: 'present',
    clean: changedFiles === 0,
    head: head === '(initial)' ? null : head,
    branch: branch === '(detached)' ? null : branch,
    changedFiles,
  };
}
