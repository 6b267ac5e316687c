import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { runGitChecked } from '../../src/workspace/git.ts';
import { writeFiles } from './write-files.ts';

export interface GitdirOptions {
  /** Files of the initial commit (default: a README.md). */
  files?: Record<string, string>;
  /** Name of the repository folder; worktrees made beside it stay inside the same temp folder. */
  name?: string;
}

/**
 * A temp git repository on branch `main` with one commit, removed (with every worktree made beside it,
 * e.g. under `defaultWorktreesDir`) when the current test finishes. The identity is set in the repository,
 * so commits work on a machine with no global git config.
 */
export async function gitdir(options: GitdirOptions = {}): Promise<string> {
  const outer = mkdtempSync(join(tmpdir(), 'sluice-gitdir-'));
  onTestFinished(() => rmSync(outer, { recursive: true, force: true }));
  const root = join(outer, options.name ?? 'repo');
  mkdirSync(root);
  await git(root, 'init', '--quiet');
  await git(root, 'symbolic-ref', 'HEAD', 'refs/heads/main');
  await git(root, 'config', 'user.name', 'Sluice Test');
  await git(root, 'config', 'user.email', 'test@sluice.invalid');
  await git(root, 'config', 'commit.gpgSign', 'false');
  writeFiles(root, options.files ?? { 'README.md': '# test repository\n' });
  await git(root, 'add', '-A');
  await git(root, 'commit', '--quiet', '--no-verify', '-m', 'Initial commit');
  return root;
}

/** Run git in `cwd` and return its stdout trimmed; a failure throws with the stderr. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await runGitChecked(cwd, args)).trim();
}
