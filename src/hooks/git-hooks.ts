import type { Stats } from 'node:fs';
import { chmod, lstat, mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { ConfigError } from '../errors.ts';
import { runGit } from '../workspace/git.ts';
import {
  chainedHookSuffix,
  createdDirOf,
  type GitHookName,
  type GitHookScriptOptions,
  gitHookNames,
  gitHookScript,
  isSluiceGitHook,
} from './git-hook-script.ts';

/** Where git runs a working tree's hooks from: `core.hooksPath` when set (husky), else `.git/hooks`. */
export interface GitHooksLocation {
  /** The top folder of the working tree. */
  top: string;
  hooksDir: string;
}

/** `installed` new, `chained` to a hook that was there (moved aside), `updated` Sluice's own, `unchanged`. */
export type GitHookInstallOutcome = 'installed' | 'chained' | 'updated' | 'unchanged';
/** `replaced` means someone put another hook in place of Sluice's since: both are left alone. */
export type GitHookUninstallOutcome = 'removed' | 'restored' | 'not-installed' | 'replaced';

export interface GitHookResult<Outcome> {
  name: GitHookName;
  path: string;
  outcome: Outcome;
}

/** The working tree and hooks folder of `cwd`, or undefined when `cwd` is not inside a git working tree. */
export async function locateGitHooks(cwd: string): Promise<GitHooksLocation | undefined> {
  const result = await runGit(cwd, ['rev-parse', '--show-toplevel', '--path-format=absolute', '--git-path', 'hooks'], {
    asConfigured: true, // --git-path hooks answers core.hooksPath, which Sluice's own commands override
  });
  const [top, hooksDir] = result.stdout.trim().split('\n');
  if (result.exitCode !== 0 || !top || !hooksDir) return undefined;
  return { top, hooksDir };
}

/**
 * Install Sluice's pre-commit and pre-push hooks. A hook that is already there (the user's, lefthook's,
 * husky's) is moved aside and run first by Sluice's; running install again only refreshes Sluice's scripts.
 */
export async function installGitHooks(
  location: GitHooksLocation,
  options: Omit<GitHookScriptOptions, 'createdDir'>,
): Promise<Array<GitHookResult<GitHookInstallOutcome>>> {
  const createdDir = await createHooksDir(location.hooksDir);
  const results: Array<GitHookResult<GitHookInstallOutcome>> = [];
  for (const name of gitHookNames) {
    const path = join(location.hooksDir, name);
    const current = await readHook(path);
    // A folder created by an earlier install stays recorded in the scripts, for uninstall.
    const created = createdDir ?? (current.kind === 'sluice' ? createdDirOf(current.text) : undefined);
    const script = gitHookScript(name, { ...options, createdDir: created });
    results.push({ name, path, outcome: await placeHook(path, current, script) });
  }
  return results;
}

/**
 * Remove Sluice's hooks and put back, by rename, the hooks they had moved aside: content and mode as they
 * were. Folders install created go too, when nothing else has been put in them.
 */
export async function uninstallGitHooks(
  location: GitHooksLocation,
): Promise<Array<GitHookResult<GitHookUninstallOutcome>>> {
  const results: Array<GitHookResult<GitHookUninstallOutcome>> = [];
  let createdDir: string | undefined;
  for (const name of gitHookNames) {
    const path = join(location.hooksDir, name);
    const chained = `${path}${chainedHookSuffix}`;
    const current = await readHook(path);
    const hasChained = (await lstatOrUndefined(chained)) !== undefined;
    let outcome: GitHookUninstallOutcome;
    if (current.kind === 'other') {
      outcome = hasChained ? 'replaced' : 'not-installed';
    } else {
      if (current.kind === 'sluice') createdDir ??= createdDirOf(current.text);
      if (hasChained) await rename(chained, path);
      else if (current.kind === 'sluice') await rm(path);
      outcome = hasChained ? 'restored' : current.kind === 'sluice' ? 'removed' : 'not-installed';
    }
    results.push({ name, path, outcome });
  }
  if (createdDir !== undefined) await removeEmptyDirs(location.hooksDir, createdDir);
  return results;
}

type HookFile = { kind: 'missing' } | { kind: 'sluice'; text: string } | { kind: 'other' };

async function readHook(path: string): Promise<HookFile> {
  const stats = await lstatOrUndefined(path);
  if (stats === undefined) return { kind: 'missing' };
  if (stats.isFile()) {
    const text = await readFile(path, 'utf8');
    if (isSluiceGitHook(text)) return { kind: 'sluice', text };
  }
  return { kind: 'other' };
}

async function placeHook(path: string, current: HookFile, script: string): Promise<GitHookInstallOutcome> {
  switch (current.kind) {
    case 'sluice':
      if (current.text === script) return 'unchanged';
      await writeScript(path, script);
      return 'updated';
    case 'missing':
      await writeScript(path, script);
      return 'installed';
    case 'other': {
      const chained = `${path}${chainedHookSuffix}`;
      if ((await lstatOrUndefined(chained)) !== undefined) {
        throw new ConfigError(
          `${path} is not Sluice's, and ${chained} (the hook Sluice chained to before) is still there; move one of them away, then install again`,
        );
      }
      await rename(path, chained);
      try {
        await writeScript(path, script);
      } catch (error) {
        await rename(chained, path);
        throw error;
      }
      return 'chained';
    }
  }
}

/** Written beside and renamed over, so git never runs half a script. */
async function writeScript(path: string, script: string): Promise<void> {
  const temp = `${path}.sluice-tmp`;
  await writeFile(temp, script, { mode: 0o755 });
  await chmod(temp, 0o755);
  await rename(temp, path);
}

/** Create the hooks folder if needed; returns the topmost folder created, if any. */
async function createHooksDir(hooksDir: string): Promise<string | undefined> {
  let topmost: string | undefined;
  for (let dir = hooksDir; (await lstatOrUndefined(dir)) === undefined; dir = dirname(dir)) topmost = dir;
  await mkdir(hooksDir, { recursive: true });
  return topmost;
}

/** Remove `hooksDir` and its parents up to `createdDir`, as long as they are empty. */
async function removeEmptyDirs(hooksDir: string, createdDir: string): Promise<void> {
  if (relative(createdDir, hooksDir).startsWith('..')) return;
  for (let dir = hooksDir; ; dir = dirname(dir)) {
    const entries = await readdir(dir).catch(() => undefined);
    if (entries === undefined || entries.length > 0) return;
    await rmdir(dir);
    if (dir === createdDir) return;
  }
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
