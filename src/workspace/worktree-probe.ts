import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { repositoryTopOf } from '../config/config-paths.ts';
import { runGit } from './git.ts';

/** What one `git rev-parse` tells about the working tree that holds a folder. */
export interface WorktreeProbe {
  /** Top folder of the working tree, as `repoRootOf` gives it. */
  top: string;
  /** The branch checked out (`main`, `sluice/<id>`); null on a detached HEAD. */
  branch: string | null;
  /** The full sha of the commit the probed ref names. */
  commit: string;
}

const fullSha = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * The top folder, the current branch and the commit `ref` names, asked of one `git rev-parse` where
 * `repoRootOf`, `currentBranch` and `resolveCommit` ask three. Undefined whenever the answer is not plainly
 * those three: not a repository, no commit yet (an unborn HEAD), a ref that names no single commit, HEAD on
 * something other than a branch. The caller then asks the long way, whose errors say what is wrong.
 */
export async function probeWorktree(dir: string, ref: string): Promise<WorktreeProbe | undefined> {
  // A ref that starts with '-' would be read as an option.
  if (ref === '' || ref.startsWith('-')) return undefined;
  // --symbolic-full-name applies to the revisions after it, so the ref comes first. Without --verify,
  // rev-parse prints a range as two lines and a word it cannot resolve as itself: only exactly one sha
  // line passes, which is what `rev-parse --verify <ref>^{commit}` would have printed.
  const result = await runGit(dir, ['rev-parse', '--show-toplevel', `${ref}^{commit}`, '--symbolic-full-name', 'HEAD']);
  if (result.exitCode !== 0) return undefined;
  const lines = result.stdout.split('\n');
  const [top, commit, head, rest] = lines;
  if (lines.length !== 4 || rest !== '' || !top || !isAbsolute(top) || !commit || !fullSha.test(commit)) {
    return undefined;
  }
  if (head === 'HEAD') return { top, branch: null, commit };
  if (!head?.startsWith('refs/heads/')) return undefined;
  return { top, branch: head.slice('refs/heads/'.length), commit };
}

/**
 * The nearest folder at or above `dir` that holds a `.git`: where git finds the working tree unless told
 * otherwise. Only a guess, to start a command there before `probeWorktree` answers; compare it with `top`.
 */
export function nearestGitFolder(dir: string): string | undefined {
  let real: string;
  try {
    real = realpathSync.native(dir);
  } catch {
    return undefined;
  }
  const top = repositoryTopOf(real);
  return existsSync(join(top, '.git')) ? top : undefined;
}
