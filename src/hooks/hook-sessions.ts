import { realpathSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { readRegularFileSync } from '../gates/cache/read-regular-file.ts';
import { sweepDeadTempFiles, writeFileAtomically } from '../process/scratch-dir.ts';
import type { IgnoredEntries } from './ignored-runner-files.ts';

export const hookSessionStatuses = ['open', 'done', 'not-done'] as const;
export type HookSessionStatus = (typeof hookSessionStatuses)[number];

/** What Sluice remembers of one agent session across its Stop hook calls (`hookSessionsDir`/<id>.json). */
export interface HookSession {
  session_id: string;
  /** `open` while it is being blocked, `done` once a stop was allowed on passing gates,
   * `not-done` when the block cap let it stop with failing gates. */
  status: HookSessionStatus;
  /** Blocks since the last allowed stop: what the cap counts. */
  blocks: number;
  /** Blocks over the whole session. */
  total_blocks: number;
  /** The commit the session's change is measured from: HEAD when its hooks first ran. */
  base_commit?: string;
  /**
   * What git ignored at the session's first hook call of what a runner could load (`ignoredEntries`): the
   * Stop hook's guard reports what is new or rewritten since.
   */
  ignored_at_start?: IgnoredEntries;
  /** Why the last stop was blocked, or why the session is not done. */
  reason?: string;
  updated_at: string;
}

/**
 * Where a project's hook sessions are kept: in the user's state folder (`$XDG_STATE_HOME/sluice`, else
 * `~/.local/state/sluice`), one folder per project, never in the repository. A session's base commit is
 * what its change is measured from: in `.sluice/` an agent could commit a weakened test and then delete
 * or rewrite the record, so the guard would measure from its own commit and see nothing.
 */
export function hookSessionsDir(projectRoot: string): string {
  const state = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  let real = projectRoot;
  try {
    real = realpathSync.native(projectRoot);
  } catch {
    // a folder that is gone has no sessions to find; its name still keys the folder
  }
  return join(state, 'sluice', 'hook-sessions', `${basename(real) || 'root'}-${folderKey(real)}`);
}

/**
 * 64-bit FNV-1a of the project's path, in hex: it only keeps two projects' folders apart (sessions and their
 * caches are keyed by the session's id within), so no cryptographic hash (and no load of node:crypto) is needed.
 */
function folderKey(path: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(path, 'utf8')) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  return hash.toString(16).padStart(16, '0');
}

/** The file of a session; ids are sanitized so a crafted id cannot leave `sessionsDir`. */
export function hookSessionPath(sessionsDir: string, sessionId: string): string {
  return join(sessionsDir, `${fileSafe(sessionId)}.json`);
}

/**
 * Where the Stop hook remembers a session's passing gates (and its hashes of their inputs): beside the
 * session's record, one folder per session. The hook answers only from passes it recorded itself in this
 * session. `.sluice/cache` in the working tree is the agent's to write: it could run `sluice check` with a
 * fake `node` first on PATH, or with a test runner patched for the moment, to record a pass of a broken
 * tree, and the hook would take it.
 */
export function hookGateCacheDir(sessionsDir: string, sessionId: string): string {
  return join(sessionsDir, 'gate-cache', fileSafe(sessionId));
}

/** Sessions untouched this long lose their gate cache (their record stays). */
const staleGateCacheMs = 14 * 24 * 60 * 60 * 1000;

/** Remove the gate caches of sessions untouched for two weeks; called when a session starts its own. */
export async function sweepStaleGateCaches(sessionsDir: string, now = Date.now()): Promise<void> {
  const folder = join(sessionsDir, 'gate-cache');
  const names = await readdir(folder).catch(() => [] as string[]);
  await Promise.all(
    names.map(async (name) => {
      const path = join(folder, name);
      const modified = await stat(path).then(
        (info) => info.mtimeMs,
        () => now,
      );
      if (now - modified > staleGateCacheMs) await rm(path, { recursive: true, force: true });
    }),
  );
}

/**
 * The session's record, or a fresh one when it has none (or it is unreadable). Read at once (a few hundred
 * bytes; see readRegularFileSync): an asynchronous read would wait its turn behind the hook's git calls.
 */
export async function readHookSession(sessionsDir: string, sessionId: string): Promise<HookSession> {
  try {
    const parsed = JSON.parse(
      readRegularFileSync(hookSessionPath(sessionsDir, sessionId))?.toString('utf8') ?? '',
    ) as Partial<HookSession>;
    if (typeof parsed.blocks === 'number' && typeof parsed.total_blocks === 'number') {
      return { ...freshSession(sessionId), ...parsed, session_id: sessionId };
    }
  } catch {
    // no record yet, or a torn one: start counting again rather than fail the hook
  }
  return freshSession(sessionId);
}

/** Write the record atomically (temp file + rename), so a killed hook never leaves half a file. */
export async function writeHookSession(sessionsDir: string, session: HookSession): Promise<void> {
  const path = hookSessionPath(sessionsDir, session.session_id);
  await mkdir(sessionsDir, { recursive: true, mode: 0o700 });
  await sweepDeadTempFiles(sessionsDir);
  await writeFileAtomically(path, `${JSON.stringify(session, null, 2)}\n`);
}

function freshSession(sessionId: string): HookSession {
  return { session_id: sessionId, status: 'open', blocks: 0, total_blocks: 0, updated_at: new Date().toISOString() };
}

/** A session id as a file name: anything but letters, digits, `_` and `-` becomes `_`, so none can leave its folder. */
function fileSafe(sessionId: string): string {
  return sessionId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 128);
}
