import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
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
  const result = await runGit(dir, [
    'rev-parse',
    '--absolute-git-dir',
    '--show-toplevel',
    `${ref}^{commit}`,
    '--symbolic-full-name',
    'HEAD',
  ]);
  if (result.exitCode !== 0) return undefined;
  const lines = result.stdout.split('\n');
  const [gitDir, top, commit, head, rest] = lines;
  if (lines.length !== 5 || rest !== '' || !top || !isAbsolute(top) || !commit || !fullSha.test(commit)) {
    return undefined;
  }
  // A redirected worktree goes the long way, whose repoRootOf refuses it.
  if (!gitDir || worktreeRedirect(dir, top, gitDir)) return undefined;
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

/**
 * Why git works on another folder than the one it found its repository in, or undefined when it does not.
 * git finds the repository by walking up from `dir` to the first `.git` that is one (a folder, or a file
 * naming the git dir: a linked worktree, a submodule), and works on the folder holding it, unless
 * `core.worktree` in the repository's config names another. `-c` cannot override that setting (git reads it
 * while it finds the repository), and an agent that points it at a pristine copy would have the guard and
 * the hooks judge that copy instead of its work; Sluice refuses such a repository. `top` and `gitDir` are
 * git's own answers (`--show-toplevel`, `--absolute-git-dir`).
 */
export function worktreeRedirect(dir: string, top: string, gitDir: string): string | undefined {
  const realGitDir = realPath(gitDir);
  let holder: string | undefined;
  for (let current = realPath(dir); ; current = dirname(current)) {
    if (holdsGitDir(current, realGitDir)) {
      holder = current;
      break;
    }
    if (dirname(current) === current) break;
  }
  if (holder !== undefined && holder === realPath(top)) return undefined;
  return `git works on ${top} from ${dir}, not on ${holder ?? 'the folder holding its .git'} (core.worktree in the repository's config sends it there; Sluice judges only the folder that holds .git: unset it with \`git config --unset core.worktree\`)`;
}

/** Whether `folder/.git` is the git dir `realGitDir`, or a file naming it. */
function holdsGitDir(folder: string, realGitDir: string): boolean {
  const dotGit = join(folder, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return realpathSync.native(dotGit) === realGitDir;
    const named = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1];
    return named !== undefined && realPath(resolve(folder, named.trim())) === realGitDir;
  } catch {
    return false;
  }
}

/** `path` with every link on it followed; as given (made absolute) when it cannot be: gone, or not readable. */
export function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return resolve(path);
  }
}
