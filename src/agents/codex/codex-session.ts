import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type CodexTokenUsage, readTokenUsage } from './codex-events.ts';
import { addCodexTokens, noCodexTokens } from './codex-usage.ts';

/*
 * Codex records every session in CODEX_HOME/sessions/YYYY/MM/DD/rollout-<time>-<session id>.jsonl, and
 * `codex exec resume` appends to the same file. Each model response adds a `token_usage_record` line whose
 * `payload.usage` is that one request's tokens. Reading it gives what the event stream cannot: the tokens of a
 * turn that was killed or failed before `turn.completed`, the number of model requests, and the session's
 * total before a resumed turn (whose `turn.completed` reports the thread's running total). Checked with
 * @openai/codex 0.169.0; when the file or its format is not there, the adapter falls back to the events.
 */

/** What a session file records so far. */
export interface CodexSessionSnapshot {
  /** Model requests (responses) recorded. */
  requests: number;
  /** Their tokens, summed. */
  usage: CodexTokenUsage;
  /** The model of the latest turn, when recorded. */
  model?: string;
}

export const emptySessionSnapshot: CodexSessionSnapshot = { requests: 0, usage: noCodexTokens };

/** CODEX_HOME for a turn: the turn's env, then the adapter's option, then Sluice's environment, then ~/.codex. */
export function codexHomeFor(turnEnv: Record<string, string> | undefined, option: string | undefined): string {
  return turnEnv?.CODEX_HOME ?? option ?? process.env.CODEX_HOME ?? join(homedir(), '.codex');
}

/** The session file of `sessionId` under `codexHome`; undefined when there is none. */
export function findSessionFile(codexHome: string, sessionId: string): string | undefined {
  const sessions = join(codexHome, 'sessions');
  let names: string[];
  try {
    names = readdirSync(sessions, { recursive: true, encoding: 'utf8' });
  } catch {
    return undefined;
  }
  const suffix = `-${sessionId}.jsonl`;
  const found = names.filter((name) => name.endsWith(suffix)).sort();
  const newest = found.at(-1);
  return newest === undefined ? undefined : join(sessions, newest);
}

/** Read a session file; undefined when it cannot be read. A torn last line (a killed writer) is skipped. */
export function readSessionSnapshot(file: string): CodexSessionSnapshot | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let snapshot = emptySessionSnapshot;
  for (const line of text.split('\n')) {
    const record = parseLine(line);
    if (record?.type === 'token_usage_record') {
      snapshot = {
        ...snapshot,
        requests: snapshot.requests + 1,
        usage: addCodexTokens(snapshot.usage, readTokenUsage(record.payload?.usage)),
      };
    } else if (record?.type === 'turn_context' && typeof record.payload?.model === 'string') {
      snapshot = { ...snapshot, model: record.payload.model };
    }
  }
  return snapshot;
}

interface RolloutLine {
  type?: unknown;
  payload?: { usage?: unknown; model?: unknown };
}

function parseLine(line: string): RolloutLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as RolloutLine) : undefined;
  } catch {
    return undefined;
  }
}
