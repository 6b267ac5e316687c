import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findConfigFile, type LoadedConfig, loadConfig } from '../config/config-file.ts';
import type { GuardConfig } from '../config/guard-schema.ts';
import { ConfigError } from '../errors.ts';
import type { InputHasher } from '../gates/cache/hash-inputs.ts';
import { compactFeedback } from '../gates/feedback/compact-feedback.ts';
import { lookAtInputs, runGateGraph, startInputHashing } from '../gates/run-gate-graph.ts';
import { ensureSluiceDir } from '../gates/sluice-dir.ts';
import { changedPaths } from '../guard/changed-files.ts';
import { blockingFindings, guardFeedback, guardWorktree } from '../guard/guard-worktree.ts';
import { repoRootOf } from '../workspace/repo-root.ts';
import { type HookGround, hookGround } from './hook-ground.ts';
import {
  type HookSession,
  hookGateCacheDir,
  hookSessionPath,
  hookSessionsDir,
  readHookSession,
  sweepStaleGateCaches,
  writeHookSession,
} from './hook-sessions.ts';
import {
  ignoredEntries,
  ignoredRunnerFindings,
  ignoredRunnerPolicy,
  listIgnored,
  unlistedIgnored,
} from './ignored-runner-files.ts';
import { lostConfig } from './lost-config.ts';
import { sessionBase } from './session-base.ts';
import type { StopHookInput } from './stop-hook-input.ts';
import { wholeTreeInputs } from './whole-tree-inputs.ts';

/** Default block cap per session: one under Claude Code's own override after 9 consecutive blocks. */
export const defaultMaxBlocks = 8;

export interface StopHookOptions {
  /** Blocks in a row after which the agent may stop anyway (its session recorded as not done). */
  maxBlocks?: number;
  signal?: AbortSignal;
  /**
   * Judge with this config, run in `root`, instead of the sluice.yaml found from the hook's cwd: how a
   * run hands its agent the base commit's gates, which the agent cannot edit.
   */
  judge?: { configPath: string; root: string };
  /** The ref the guard measures the change from (a run passes its base); default: the session's first HEAD. */
  base?: string;
  /**
   * The agent's project (Claude Code tells it to its hooks as CLAUDE_PROJECT_DIR): the sluice.yaml found
   * from there judges the stop, not one found from the hook's cwd, which is wherever the agent's shell
   * last moved to: a folder with a sluice.yaml (or a .git) of the agent's own must not pick the judge.
   */
  projectDir?: string;
}

/** What the Stop hook decided; the CLI turns it into the agent's protocol (exit code + stderr). */
export type StopHookOutcome =
  /** Nothing to judge (no sluice.yaml, no such folder): let it stop. */
  | { decision: 'ignored'; note: string }
  /** The guard found nothing blocking and every blocking gate passed. */
  | { decision: 'allowed'; summary: string }
  /** The guard or a blocking gate failed: keep the agent working; `feedback` is what it reads. */
  | { decision: 'blocked'; feedback: string; blocks: number; maxBlocks: number }
  /** Failing, but the cap is reached: let it stop, the session is recorded as not done. */
  | { decision: 'capped'; reason: string; blocks: number; sessionPath: string };

/**
 * Judge a stop: guard the change since the session's base (weakened tests, protected files), run the
 * gates (an unchanged tree answers from the cache), and block with the compact feedback while either
 * fails, at most `maxBlocks` times in a row per session.
 */
export async function runStopHook(input: StopHookInput, options: StopHookOptions = {}): Promise<StopHookOutcome> {
  const maxBlocks = options.maxBlocks ?? defaultMaxBlocks;
  const from = options.projectDir ?? input.cwd;
  const named = options.projectDir ? 'project folder' : 'cwd';
  if (!existsSync(from)) return { decision: 'ignored', note: `the hook's ${named} does not exist: ${from}` };
  const configPath = options.judge?.configPath ?? findConfigFile(from);
  if (!configPath) {
    const lost = await lostConfig(from, input.sessionId);
    if (!lost) return { decision: 'ignored', note: `no sluice.yaml in ${from} or above; nothing to check` };
    return settle(input, maxBlocks, lost.sessionsDir, { failure: lost.failure, summary: '', session: lost.session });
  }
  const root = options.judge?.root ?? dirname(configPath);
  if (!existsSync(root)) return { decision: 'ignored', note: `the folder to judge does not exist: ${root}` };
  // A named base (a run's) is checked where it is resolved; otherwise HEAD must exist to measure from.
  // Git's look at the gates' input files, and the config, start now, while the hook asks git where it stands.
  const sessionsDir = hookSessionsDir(root);
  const cacheDir = hookGateCacheDir(sessionsDir, input.sessionId);
  const inputHasher = lookAtInputs(root, cacheDir);
  // What git ignores of what a runner loads, listed from the start too: the guard compares it with the session's start.
  const listingIgnored = listIgnored(root);
  listingIgnored.catch(() => {});
  const loading = loadConfig(configPath);
  loading.catch(() => {}); // judged (an invalid config blocks) where it is awaited
  // The session's record is read while git answers (reading creates nothing: an ignored stop leaves no trace).
  const [ground, session] = await Promise.all([
    options.base ? undefined : groundFromLook(inputHasher, root),
    readHookSession(sessionsDir, input.sessionId),
  ]);
  if (ground && 'missing' in ground) {
    // A session that started in a repository is judged in one: with its .git moved away or broken, the
    // agent would otherwise stop unjudged.
    if (session.base_commit === undefined) return { decision: 'ignored', note: ground.missing };
    return settle(input, maxBlocks, sessionsDir, { failure: lostRepository(ground.missing), summary: '', session });
  }
  await ensureSluiceDir(root);
  // A session's first stop: the caches of sessions long gone are removed.
  if (session.total_blocks === 0 && session.status === 'open') await sweepStaleGateCaches(sessionsDir);
  const judged = await judge(
    options,
    { configPath, loading, cacheDir, listingIgnored },
    root,
    session,
    ground,
    inputHasher,
  );
  return settle(input, maxBlocks, sessionsDir, judged, session);
}

/** Record the judgement in the session and turn it into the outcome: allowed, blocked, or capped. */
async function settle(
  input: StopHookInput,
  maxBlocks: number,
  sessionsDir: string,
  judged: Judgement,
  /** The session's record as it was read, when there was one to read. */
  recorded?: HookSession,
): Promise<StopHookOutcome> {
  const now = new Date().toISOString();
  if (judged.failure === undefined) {
    const done: HookSession = { ...withoutReason(judged.session), status: 'done', blocks: 0, updated_at: now };
    // Another allowed stop of a session already done, with nothing new to remember: the record stays as it is.
    if (!recorded || !sameBut(recorded, done, 'updated_at')) await writeHookSession(sessionsDir, done);
    return { decision: 'allowed', summary: judged.summary };
  }
  // A stop that does not follow one of our blocks (a new prompt, a new turn) starts the count again.
  const blocksInARow = input.stopHookActive ? judged.session.blocks : 0;
  if (blocksInARow >= maxBlocks) {
    const reason = `the guard or a blocking gate still fails after ${blocksInARow} blocked stops (cap ${maxBlocks})`;
    await writeHookSession(sessionsDir, {
      ...judged.session,
      status: 'not-done',
      blocks: 0,
      reason: `${reason}\n${judged.failure}`,
      updated_at: now,
    });
    return {
      decision: 'capped',
      reason,
      blocks: blocksInARow,
      sessionPath: hookSessionPath(sessionsDir, input.sessionId),
    };
  }
  const blocks = blocksInARow + 1;
  await writeHookSession(sessionsDir, {
    ...judged.session,
    status: 'open',
    blocks,
    total_blocks: judged.session.total_blocks + 1,
    reason: judged.failure,
    updated_at: now,
  });
  return { decision: 'blocked', feedback: judged.failure, blocks, maxBlocks };
}

interface Judgement {
  failure: string | undefined;
  summary: string;
  session: HookSession;
}

async function judge(
  options: StopHookOptions,
  {
    configPath,
    loading,
    cacheDir,
    listingIgnored,
  }: {
    configPath: string;
    loading: Promise<LoadedConfig>;
    cacheDir: string;
    listingIgnored: Promise<string[] | undefined>;
  },
  root: string,
  session: HookSession,
  ground: Exclude<HookGround, { missing: string }> | undefined,
  inputHasher: InputHasher,
): Promise<Judgement> {
  const repoRoot = ground?.repoRoot ?? (await repoRootOf(root));
  // What git ignores of what a runner loads: listed while the guard and the gates work.
  const ignoredNow = listingIgnored.then((listed) => listed && ignoredEntries(repoRoot, listed));
  ignoredNow.catch(() => {});
  const base = await sessionBase(repoRoot, session, options.base, ground?.head);
  // A recorded base the repository no longer has (its .git replaced, the object removed) cannot be measured
  // from; HEAD would be, and the agent's own commit would then hide every change it made.
  if (!options.base && session.base_commit !== undefined && base !== session.base_commit) {
    return { failure: lostBase(session.base_commit), summary: '', session };
  }
  // The change since the base, asked of git now, while the config loads and the gates' look goes on. At the
  // top of the work tree the untracked files that look lists are the guard's too (changedPaths also reads the
  // tracked files git takes the index's word for: assume-unchanged, skip-worktree...).
  const untrackedListing =
    repoRoot === root ? inputHasher.worktree().then((where) => where?.untrackedAtTop) : undefined;
  const changes = changedPaths(repoRoot, base, untrackedListing);
  changes.catch(() => {}); // awaited below, or moot when the config is invalid
  const atStart = session.ignored_at_start ?? (await ignoredNow);
  const withBase = { ...session, base_commit: base, ...(atStart ? { ignored_at_start: atStart } : {}) };
  try {
    const loaded = await loading;
    // The policies as committed at the base: read (a git call and the config's reader) only when something changed.
    // (Asked once: the ignored files' findings below need the same policies.)
    let atBaseConfig: Promise<GuardConfig> | undefined;
    const guardConfig = options.judge
      ? loaded.config.guard
      : () => {
          atBaseConfig ??= import('../guard/guard-config-at.ts').then(({ guardConfigAt }) =>
            guardConfigAt(repoRoot, base, configPath),
          );
          return atBaseConfig;
        };
    // The gates' inputs are hashed while the guard asks git about the change: every file, whatever a gate declares.
    const gatesConfig = wholeTreeInputs(loaded.config);
    startInputHashing(root, gatesConfig, inputHasher);
    const paths = await changes;
    const guard = await guardWorktree({ repoRoot, base, config: guardConfig, paths });
    // Files the guard put back are not what was hashed: the gates look again.
    if (guard.reverted.length > 0) inputHasher.invalidate();
    // Python takes the bytecode in a folder's __pycache__ for its source when the time and size it recorded
    // match, and git ignores __pycache__: a fixed copy compiled, then the broken bytes put back with their time,
    // would pass for the committed code. The gates' bytecode is kept beside the session's cache instead.
    process.env.PYTHONPYCACHEPREFIX = join(cacheDir, 'pycache');
    const result = await runGateGraph({
      config: gatesConfig,
      root,
      useCache: true,
      cacheDir,
      inputHasher,
      baseRef: base,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const gates = compactFeedback(result, { budget: loaded.config.feedback.budget });
    // The gates ran in this working tree, so what git hides from the guard's diff is judged too.
    const now = await ignoredNow;
    const hidden = now && atStart ? await ignoredRunnerFindings(repoRoot, now, atStart) : [];
    if (now === undefined) hidden.push(unlistedIgnored);
    if (hidden.length > 0) {
      const { rules } = typeof guardConfig === 'function' ? await guardConfig() : guardConfig;
      guard.findings.push(...ignoredRunnerPolicy(hidden, rules));
    }
    const guardText = guardFeedback(guard);
    const passed = result.verdict === 'passed' && !result.cancelled;
    if (passed && blockingFindings(guard).length === 0)
      return { failure: undefined, summary: gates, session: withBase };
    return { failure: [guardText, passed ? '' : gates].filter(Boolean).join('\n\n'), summary: '', session: withBase };
  } catch (error) {
    // A config the agent broke must not wave its work through: it is told, like a failing gate.
    if (!(error instanceof ConfigError)) throw error;
    return {
      failure: `sluice.yaml is invalid, so the gates cannot judge this change:\n${error.message}`,
      summary: '',
      session: withBase,
    };
  }
}

/**
 * Where the hook stands, from the gates' look at the folder (its `rev-parse` also names the top and HEAD):
 * no git call of its own when HEAD has a commit; otherwise `hookGround` asks, and says why not.
 */
async function groundFromLook(inputHasher: InputHasher, root: string): Promise<HookGround> {
  const worktree = await inputHasher.worktree();
  if (worktree?.head) return { repoRoot: worktree.top, head: worktree.head };
  return hookGround(root);
}

function lostRepository(missing: string): string {
  return `Sluice: this session started in a git repository, but now ${missing.replace(/;.*$/s, '')}. Put the repository back as it was (its .git); Sluice will not judge this session otherwise.`;
}

function lostBase(commit: string): string {
  return `Sluice: the commit this session started from (${commit}) is no longer in this repository, so the change since then cannot be measured. Put the repository's history back as it was (its .git, the objects, no replace refs); Sluice will not judge this session otherwise.`;
}

/** The two records hold the same, `field` aside. */
function sameBut(a: HookSession, b: HookSession, field: keyof HookSession): boolean {
  return JSON.stringify({ ...a, [field]: undefined }) === JSON.stringify({ ...b, [field]: undefined });
}

function withoutReason(session: HookSession): HookSession {
  const { reason: _reason, ...rest } = session;
  return rest;
}
