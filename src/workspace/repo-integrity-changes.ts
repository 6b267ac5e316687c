import { relative } from 'node:path';
import { changedConfigKeys, isSluiceBranchTracking, parseConfigSettings } from './config-settings.ts';
import type { WatchedEntry } from './watched-files.ts';

/** What a watched path is to git: where it runs hooks from, its config, info/ (exclude, attributes...). */
export type WatchedScopeKind =
  | 'hooks'
  | 'info'
  | 'hooks-path'
  | 'config'
  | 'worktree-config'
  | 'global-config'
  | 'included-config';

/** A file, or a folder with everything beneath it (`tree`), that the snapshot watches. */
export interface WatchedScope {
  kind: WatchedScopeKind;
  path: string;
  tree: boolean;
  /** False for the user's own files outside the repository (global config): reported, never rewritten. */
  restorable: boolean;
}

/** A watched path that is not as the snapshot holds it. */
export interface RepositoryChange {
  /** Absolute path. */
  path: string;
  change: 'added' | 'changed' | 'removed';
  restorable: boolean;
  /** Short and human, e.g. "hook post-commit added", "config: filter.x.clean set". */
  description: string;
}

const configKinds = new Set<WatchedScopeKind>(['config', 'worktree-config', 'global-config', 'included-config']);
const listedKeys = 4;

/**
 * The change of a single watched file, or null when a config file was only rewritten (comments, layout,
 * Sluice's own branch tracking) and holds the same settings in the same order.
 */
export async function describeFileScopeChange(
  scope: WatchedScope,
  before: WatchedEntry | null,
  after: WatchedEntry | null,
  commonDir: string,
): Promise<RepositoryChange | null> {
  const change = before === null ? 'added' : after === null ? 'removed' : 'changed';
  const label = scopeLabel(scope, scope.path, commonDir);
  const result = { path: scope.path, change, restorable: scope.restorable } as const;
  if (!configKinds.has(scope.kind)) return { ...result, description: `${label} ${change}` };
  const [old, now] = await Promise.all([settingsOf(before), settingsOf(after)]);
  if (old === null || now === null) return { ...result, description: `${label} ${change}` };
  const ownFiltered = (settings: typeof old) => settings.filter((setting) => !isSluiceBranchTracking(setting));
  const same = JSON.stringify(ownFiltered(old)) === JSON.stringify(ownFiltered(now));
  if (change === 'changed' && same && sameMode(before, after)) return null;
  const keys = changedConfigKeys(old, now);
  const listed = keys.slice(0, listedKeys).join(', ');
  const more = keys.length > listedKeys ? ` and ${keys.length - listedKeys} more` : '';
  if (change === 'removed') return { ...result, description: `${label} removed` };
  if (change === 'added')
    return { ...result, description: `${label} added${keys.length > 0 ? `: ${listed}${more}` : ''}` };
  const what = keys.length > 0 ? `${listed}${more}` : same ? 'mode changed' : 'settings reordered';
  return { ...result, description: `${label}: ${what}` };
}

/** How a path reads in a change: "hook post-commit", "info/exclude", "config", "global git config ~/.gitconfig". */
export function scopeLabel(scope: WatchedScope, path: string, commonDir: string): string {
  const inside = relative(scope.path, path);
  switch (scope.kind) {
    case 'hooks':
      return inside === '' ? 'hooks folder' : `hook ${inside}`;
    case 'hooks-path':
      return inside === '' ? `core.hooksPath folder ${scope.path}` : `hook ${inside} in core.hooksPath ${scope.path}`;
    case 'info':
      return inside === '' ? 'info folder' : `info/${inside}`;
    case 'config':
    case 'worktree-config':
      return relative(commonDir, path);
    case 'global-config':
      return `global git config ${path}`;
    case 'included-config':
      return `included git config ${path}`;
  }
}

/** The settings of a config file entry; an absent file holds none; null when it is not readable as config. */
async function settingsOf(entry: WatchedEntry | null) {
  if (entry === null) return [];
  // A file too large to hold, or unreadable, was captured without its bytes: not comparable as config.
  if (entry.type !== 'file' || (entry.content === '' && entry.size > 0)) return null;
  return parseConfigSettings(Buffer.from(entry.content, 'base64'));
}

function sameMode(before: WatchedEntry | null, after: WatchedEntry | null): boolean {
  return before?.type === 'file' && after?.type === 'file' && before.mode === after.mode;
}
