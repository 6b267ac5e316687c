import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { findConfigFile, loadConfig } from '../config/load-config.ts';
import { ConfigError } from '../errors.ts';
import { compactFeedback } from '../gates/feedback/compact-feedback.ts';
import { runGateGraph } from '../gates/run-gate-graph.ts';
import { ensureSluiceDir } from '../gates/sluice-dir.ts';
import { type HookSession, hookSessionPath, readHookSession, writeHookSession } from './hook-sessions.ts';
import type { StopHookInput } from './stop-hook-input.ts';

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
}

/** What the Stop hook decided; the CLI turns it into the agent's protocol (exit code + stderr). */
export type StopHookOutcome =
  /** Nothing to judge (no sluice.yaml, no such folder): let it stop. */
  | { decision: 'ignored'; note: string }
  /** Every blocking gate passed. */
  | { decision: 'allowed'; summary: string }
  /** A blocking gate failed: keep the agent working; `feedback` is what it reads. */
  | { decision: 'blocked'; feedback: string; blocks: number; maxBlocks: number }
  /** Failing, but the cap is reached: let it stop, the session is recorded as not done. */
  | { decision: 'capped'; reason: string; blocks: number; sessionPath: string };

/**
 * Judge a stop: find sluice.yaml from the hook's cwd, run the gates (an unchanged tree answers from
 * the cache), and block with the compact feedback while a blocking gate fails, at most `maxBlocks`
 * times in a row per session.
 */
export async function runStopHook(input: StopHookInput, options: StopHookOptions = {}): Promise<StopHookOutcome> {
  const maxBlocks = options.maxBlocks ?? defaultMaxBlocks;
  if (!existsSync(input.cwd)) return { decision: 'ignored', note: `the hook's cwd does not exist: ${input.cwd}` };
  const configPath = options.judge?.configPath ?? findConfigFile(input.cwd);
  if (!configPath) return { decision: 'ignored', note: `no sluice.yaml in ${input.cwd} or above; nothing to check` };

  let failure: string | undefined;
  let summary = '';
  let root: string;
  try {
    const loaded = await loadConfig(configPath);
    root = options.judge?.root ?? loaded.root;
    const result = await runGateGraph({
      config: loaded.config,
      root,
      useCache: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const feedback = compactFeedback(result, { budget: loaded.config.feedback.budget });
    if (result.verdict === 'passed' && !result.cancelled) summary = feedback;
    else failure = feedback;
  } catch (error) {
    // A config the agent broke must not wave its work through: it is told, like a failing gate.
    if (!(error instanceof ConfigError)) throw error;
    root = options.judge?.root ?? dirname(configPath);
    failure = `sluice.yaml is invalid, so the gates cannot judge this change:\n${error.message}`;
  }

  const sluiceDir = await ensureSluiceDir(root);
  const session = await readHookSession(sluiceDir, input.sessionId);
  const now = new Date().toISOString();
  if (failure === undefined) {
    await writeHookSession(sluiceDir, { ...withoutReason(session), status: 'done', blocks: 0, updated_at: now });
    return { decision: 'allowed', summary };
  }
  if (session.blocks >= maxBlocks) {
    const reason = `blocking gates still fail after ${session.blocks} blocked stops (cap ${maxBlocks})`;
    await writeHookSession(sluiceDir, {
      ...session,
      status: 'not-done',
      blocks: 0,
      reason: `${reason}\n${failure}`,
      updated_at: now,
    });
    return {
      decision: 'capped',
      reason,
      blocks: session.blocks,
      sessionPath: hookSessionPath(sluiceDir, input.sessionId),
    };
  }
  const blocks = session.blocks + 1;
  await writeHookSession(sluiceDir, {
    ...session,
    status: 'open',
    blocks,
    total_blocks: session.total_blocks + 1,
    reason: failure,
    updated_at: now,
  });
  return { decision: 'blocked', feedback: failure, blocks, maxBlocks };
}

function withoutReason(session: HookSession): HookSession {
  const { reason: _reason, ...rest } = session;
  return rest;
}
