/**
 * The JSONL event stream of `codex exec --json` (checked with @openai/codex 0.169.0): thread.started,
 * turn.started, item.started/updated/completed, turn.completed with token usage, turn.failed and error.
 */

/** Token counts as Codex reports them; the input count includes the cached and cache-written parts. */
export interface CodexTokenUsage {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  /** Includes the reasoning tokens, which are billed as output. */
  outputTokens: number;
  reasoningOutputTokens: number;
}

export interface CodexItem {
  id: string;
  /** agent_message, command_execution, file_change, reasoning, error, ... */
  kind: string;
  /** The text of an agent_message or reasoning item, the message of an error item. */
  text?: string;
  command?: string;
  exitCode?: number | null;
}

export type CodexEvent =
  | { type: 'thread.started'; threadId: string }
  | { type: 'turn.started' }
  /** `usage` is the thread's running total, not this turn's share: a resumed thread starts from its old total. */
  | { type: 'turn.completed'; usage: CodexTokenUsage }
  | { type: 'turn.failed'; message: string }
  /** A fatal error, or a notice such as "Reconnecting... 1/5": only a turn that never completes failed. */
  | { type: 'error'; message: string }
  | { type: 'item.started' | 'item.updated' | 'item.completed'; item: CodexItem }
  | { type: 'other'; name: string };

type Json = Record<string, unknown>;

/** Parse one stdout line of `codex exec --json`; undefined for a line that is not a JSON event. */
export function parseCodexEvent(line: string): CodexEvent | undefined {
  const event = parseObject(line.trim());
  if (!event || typeof event.type !== 'string') return undefined;
  switch (event.type) {
    case 'thread.started':
      return typeof event.thread_id === 'string' ? { type: 'thread.started', threadId: event.thread_id } : undefined;
    case 'turn.started':
      return { type: 'turn.started' };
    case 'turn.completed':
      return { type: 'turn.completed', usage: readTokenUsage(event.usage) };
    case 'turn.failed':
      return {
        type: 'turn.failed',
        message: readableError(stringAt(objectAt(event.error), 'message') ?? 'turn failed'),
      };
    case 'error':
      return { type: 'error', message: readableError(stringAt(event, 'message') ?? 'error') };
    case 'item.started':
    case 'item.updated':
    case 'item.completed': {
      const item = readItem(event.item);
      return item ? { type: event.type, item } : undefined;
    }
    default:
      return { type: 'other', name: event.type };
  }
}

/** Codex's token usage object (turn.completed, or the token counts of its session files), missing counts as 0. */
export function readTokenUsage(value: unknown): CodexTokenUsage {
  const usage = objectAt(value);
  return {
    inputTokens: countAt(usage, 'input_tokens'),
    cachedInputTokens: countAt(usage, 'cached_input_tokens'),
    cacheWriteInputTokens: countAt(usage, 'cache_write_input_tokens'),
    outputTokens: countAt(usage, 'output_tokens'),
    reasoningOutputTokens: countAt(usage, 'reasoning_output_tokens'),
  };
}

/** The readable part of an error message; Codex often passes the API's JSON error body through as the message. */
export function readableError(message: string): string {
  const body = parseObject(message.trim());
  const inner = stringAt(objectAt(body?.error), 'message') ?? stringAt(body, 'message');
  const text = inner ?? message;
  return text.replace(/\s+/g, ' ').trim();
}

function readItem(value: unknown): CodexItem | undefined {
  const item = objectAt(value);
  if (!item || typeof item.id !== 'string' || typeof item.type !== 'string') return undefined;
  const text = stringAt(item, 'text') ?? stringAt(item, 'message');
  const command = stringAt(item, 'command');
  const exitCode = item.exit_code;
  return {
    id: item.id,
    kind: item.type,
    ...(text !== undefined && { text }),
    ...(command !== undefined && { command }),
    ...((typeof exitCode === 'number' || exitCode === null) && { exitCode }),
  };
}

function parseObject(text: string): Json | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    return objectAt(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function objectAt(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function stringAt(object: Json | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === 'string' ? value : undefined;
}

function countAt(object: Json | undefined, key: string): number {
  const value = object?.[key];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}
