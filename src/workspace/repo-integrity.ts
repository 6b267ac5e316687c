import { readdir, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isSluiceBranchTracking, parseConfigSettings } from './config-settings.ts';
import { runGit, runGitChecked } from './git.ts';
import {
  describeFileScopeChange,
  type RepositoryChange,
  scopeLabel,
  type WatchedScope,
} from './repo-integrity-changes.ts';
import {
  captureEntry,
  captureTree,
  entryMatches,
  removeEntry,
  type WatchedEntry,
  writeEntry,
} from './watched-files.ts';
import { listWorktrees } from './worktree-list.ts';

export type { RepositoryChange, WatchedScope } from './repo-integrity-changes.ts';
export type { WatchedEntry } from './watched-files.ts';

/**
 * What an agent could plant in a repository's shared git dir to change what git does there (hooks, config,
 * info/), and the user's global git config, as it was when taken. JSON-serialisable: persisted beside a
 * run, it lets a resumed run compare with the original state. Not watched, because Sluice itself changes
 * them while runs go on: worktrees/ (other runs' worktrees), refs, objects, packed-refs, logs, index,
 * FETCH_HEAD, ORIG_HEAD, and info/refs (written by `git gc`).
 */
export interface RepositorySnapshot {
  version: 1;
  takenAt: string;
  repoRoot: string;
  commonDir: string;
  scopes: WatchedScope[];
  /** Every watched path that existed, by absolute path. */
  entries: Record<string, WatchedEntry>;
}

/** Take the snapshot of the repository that holds `repoRoot` (its main checkout or any of its worktrees). */
export async function snapshotRepository(repoRoot: string): Promise<RepositorySnapshot> {
  const [located, settings] = await Promise.all([
    runGitChecked(repoRoot, ['rev-parse', '--path-format=absolute', '--git-common-dir']),
    effectiveSettings(repoRoot),
  ]);
  const commonDir = located.trim();
  const scopes = await watchedScopes(repoRoot, commonDir, settings);
  const captured = await Promise.all(
    scopes.map(async (scope) => {
      if (scope.tree) return captureTree(scope.path, { skip: notWatched(commonDir), withContent: true });
      const entry = await captureEntry(scope.path);
      return new Map(entry === null ? [] : [[scope.path, entry]]);
    }),
  );
  const entries: Record<string, WatchedEntry> = {};
  for (const tree of captured) for (const [path, entry] of tree) entries[path] = entry;
  return { version: 1, takenAt: new Date().toISOString(), repoRoot, commonDir, scopes, entries };
}

/** Every watched path that differs from the snapshot, sorted by path. */
export async function compareRepository(snapshot: RepositorySnapshot): Promise<RepositoryChange[]> {
  const perScope = await Promise.all(
    snapshot.scopes.map(async (scope): Promise<RepositoryChange[]> => {
      if (scope.tree) return treeChanges(snapshot, scope);
      const before = snapshot.entries[scope.path] ?? null;
      if (await entryMatches(scope.path, before)) return [];
      const after = await captureEntry(scope.path);
      const change = await describeFileScopeChange(scope, before, after, snapshot.commonDir);
      return change === null ? [] : [change];
    }),
  );
  const changes = [...perScope.flat(), ...(await newWorktreeConfigs(snapshot))];
  return changes.sort((one, two) => (one.path < two.path ? -1 : one.path > two.path ? 1 : 0));
}

/**
 * Put every restorable path of `changes` back as the snapshot holds it: content and mode exactly, a path
 * that was added removed, one that was removed recreated; each file atomically (written aside, renamed).
 * Changes that are not restorable (the user's global config) are left alone. Returns the restored changes.
 */
export async function restoreRepository(
  snapshot: RepositorySnapshot,
  changes: readonly RepositoryChange[],
): Promise<RepositoryChange[]> {
  const restorable = changes.filter((change) => change.restorable);
  const byPath = [...restorable].sort((one, two) => (one.path < two.path ? -1 : one.path > two.path ? 1 : 0));
  // First clear what is in the way (files added, a folder or symlink planted where something else was).
  // Parents before children: what lies beneath a removed symlink is not in the repository and stays.
  const cleared: string[] = [];
  for (const change of byPath) {
    if (cleared.some((parent) => change.path.startsWith(`${parent}${sep}`))) continue;
    const before = snapshot.entries[change.path];
    const current = await captureEntry(change.path, false);
    if (before === undefined || (current !== null && current.type !== before.type)) {
      await removeEntry(change.path);
      cleared.push(change.path);
    }
  }
  // ...then put back what was there, folders before the files in them.
  for (const change of byPath) {
    const before = snapshot.entries[change.path];
    if (before === undefined) continue;
    const tracking = before.type === 'file' ? await sluiceTrackingNow(snapshot, change.path) : null;
    await writeEntry(change.path, before);
    if (tracking !== null) await reapplySluiceTracking(change.path, before, tracking);
  }
  return restorable;
}

/** The config git reads in `repoRoot` (every file, includes followed), each setting with the file it came from. */
interface OriginSetting {
  origin: string;
  key: string;
  value: string;
}

async function effectiveSettings(repoRoot: string): Promise<OriginSetting[]> {
  // asConfigured: Sluice's own `-c core.hooksPath=/dev/null` would be listed (and win) otherwise.
  const result = await runGit(repoRoot, ['config', '--list', '--show-origin', '-z'], { asConfigured: true });
  if (result.exitCode !== 0) return [];
  const records = result.stdout.split('\0');
  const settings: OriginSetting[] = [];
  for (let index = 0; index + 1 < records.length; index += 2) {
    const record = records[index + 1] ?? '';
    const newline = record.indexOf('\n');
    const key = newline === -1 ? record : record.slice(0, newline);
    settings.push({ origin: records[index] ?? '', key, value: newline === -1 ? '' : record.slice(newline + 1) });
  }
  return settings;
}

async function watchedScopes(repoRoot: string, commonDir: string, settings: OriginSetting[]): Promise<WatchedScope[]> {
  const scopes: WatchedScope[] = [
    { kind: 'hooks', path: join(commonDir, 'hooks'), tree: true, restorable: true },
    { kind: 'info', path: join(commonDir, 'info'), tree: true, restorable: true },
    { kind: 'config', path: join(commonDir, 'config'), tree: false, restorable: true },
    { kind: 'worktree-config', path: join(commonDir, 'config.worktree'), tree: false, restorable: true },
  ];
  for (const admin of await worktreeAdminDirs(commonDir)) {
    scopes.push({ kind: 'worktree-config', path: join(admin, 'config.worktree'), tree: false, restorable: true });
  }
  const hooksPath = await outsideHooksPath(repoRoot, commonDir, settings);
  if (hooksPath !== null) scopes.push({ kind: 'hooks-path', path: hooksPath, tree: true, restorable: true });
  for (const path of globalConfigPaths()) {
    scopes.push({ kind: 'global-config', path, tree: false, restorable: false });
  }
  const watched = new Set(await Promise.all(scopes.map((scope) => canonical(scope.path))));
  for (const path of includedConfigPaths(repoRoot, settings)) {
    if (watched.has(await canonical(path))) continue;
    scopes.push({ kind: 'included-config', path, tree: false, restorable: isInside(path, commonDir) });
  }
  return scopes;
}

/** The folder core.hooksPath names, when it lies outside the common dir and every work tree; else null. */
async function outsideHooksPath(
  repoRoot: string,
  commonDir: string,
  settings: OriginSetting[],
): Promise<string | null> {
  const value = settings.findLast((setting) => setting.key === 'core.hookspath')?.value ?? '';
  if (value === '') return null;
  const expanded = value.startsWith('~/') ? join(homedir(), value.slice(2)) : value;
  // A relative hooks path is taken from the top of whichever work tree git runs in: inside a work tree.
  if (!isAbsolute(expanded)) return null;
  const path = resolve(expanded);
  if (isInside(path, commonDir)) return null;
  const worktrees = await listWorktrees(repoRoot);
  return worktrees.some((worktree) => isInside(path, worktree.path)) ? null : path;
}

/** The user's global config files git reads, watched whether or not they exist yet. */
function globalConfigPaths(): string[] {
  if (process.env.GIT_CONFIG_GLOBAL) return [resolve(process.env.GIT_CONFIG_GLOBAL)];
  const xdg = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return [join(xdg, 'git', 'config'), join(homedir(), '.gitconfig')];
}

/** Files pulled in by include.path / includeIf (any file git read config from, the system file aside). */
function includedConfigPaths(repoRoot: string, settings: OriginSetting[]): string[] {
  const paths = new Set<string>();
  for (const { origin } of settings) {
    if (!origin.startsWith('file:')) continue;
    const path = resolve(repoRoot, origin.slice('file:'.length));
    if (!path.startsWith('/etc/')) paths.add(path);
  }
  return [...paths];
}

async function worktreeAdminDirs(commonDir: string): Promise<string[]> {
  const names = await readdir(join(commonDir, 'worktrees')).catch(() => [] as string[]);
  return names.sort().map((name) => join(commonDir, 'worktrees', name));
}

async function treeChanges(snapshot: RepositorySnapshot, scope: WatchedScope): Promise<RepositoryChange[]> {
  const now = await captureTree(scope.path, { skip: notWatched(snapshot.commonDir), withContent: false });
  const before = Object.keys(snapshot.entries).filter(
    (path) => path === scope.path || path.startsWith(`${scope.path}${sep}`),
  );
  const paths = [...new Set([...before, ...now.keys()])];
  const changes = await Promise.all(
    paths.map(async (path): Promise<RepositoryChange | null> => {
      const old = snapshot.entries[path] ?? null;
      if (now.has(path) && old !== null && (await entryMatches(path, old))) return null;
      const change = old === null ? 'added' : now.has(path) ? 'changed' : 'removed';
      const label = scopeLabel(scope, path, snapshot.commonDir);
      return { path, change, restorable: scope.restorable, description: `${label} ${change}` };
    }),
  );
  return changes.filter((change) => change !== null);
}

/**
 * config.worktree files in worktree folders made after the snapshot (other runs' worktrees). git copies the
 * main one into a new worktree when extensions.worktreeConfig is on: only a file that differs is a change.
 */
async function newWorktreeConfigs(snapshot: RepositorySnapshot): Promise<RepositoryChange[]> {
  const known = new Set(snapshot.scopes.map((scope) => scope.path));
  const copied = snapshot.entries[join(snapshot.commonDir, 'config.worktree')] ?? null;
  const changes: RepositoryChange[] = [];
  for (const admin of await worktreeAdminDirs(snapshot.commonDir)) {
    const path = join(admin, 'config.worktree');
    if (known.has(path)) continue;
    const entry = await captureEntry(path);
    if (entry === null || (entry.type === 'file' && copied?.type === 'file' && entry.content === copied.content)) {
      continue;
    }
    changes.push({
      path,
      change: 'added',
      restorable: true,
      description: `${relative(snapshot.commonDir, path)} added`,
    });
  }
  return changes;
}

/** info/refs is rewritten by `git gc` (update-server-info): derived data, never a way in. */
function notWatched(commonDir: string): (path: string) => boolean {
  const serverInfo = join(commonDir, 'info', 'refs');
  return (path) => path === serverInfo;
}

/** Sluice's own branch-tracking settings in the config file now, or null when `path` is not a config file. */
async function sluiceTrackingNow(snapshot: RepositorySnapshot, path: string) {
  const scope = snapshot.scopes.find((candidate) => candidate.path === path);
  if (scope?.kind !== 'config') return null;
  const current = await captureEntry(path);
  if (current?.type !== 'file') return [];
  return ((await parseConfigSettings(Buffer.from(current.content, 'base64'))) ?? []).filter(isSluiceBranchTracking);
}

/**
 * Put back the tracking settings of run branches that other runs wrote (or removed) since the snapshot, so
 * restoring the config does not undo Sluice's own `push --set-upstream` or branch deletion.
 */
async function reapplySluiceTracking(
  path: string,
  restored: WatchedEntry,
  now: Array<{ key: string; value: string | null }>,
): Promise<void> {
  if (restored.type !== 'file') return;
  const before = ((await parseConfigSettings(Buffer.from(restored.content, 'base64'))) ?? []).filter(
    isSluiceBranchTracking,
  );
  if (JSON.stringify(before) === JSON.stringify(now)) return;
  const cwd = resolve(path, '..');
  for (const key of new Set([...before, ...now].map((setting) => setting.key))) {
    await runGit(cwd, ['config', '--file', path, '--unset-all', key]);
    for (const setting of now.filter((candidate) => candidate.key === key)) {
      await runGitChecked(cwd, ['config', '--file', path, '--add', key, setting.value ?? 'true']);
    }
  }
}

async function canonical(path: string): Promise<string> {
  return realpath(path).catch(() => path);
}

function isInside(path: string, folder: string): boolean {
  const from = relative(folder, path);
  return from === '' || (!from.startsWith('..') && !isAbsolute(from));
}
