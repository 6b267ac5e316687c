import type { ProcessResult } from '../../process/run-process.ts';
import type { AgentTurnStatus } from '../agent-adapter.ts';
import type { CodexEvent, CodexTokenUsage } from './codex-events.ts';

/** What the event stream of one `codex exec` run has told so far. */
export interface CodexStreamState {
  threadId?: string;
  finalMessage?: string;
  completedTurns: number;
  /** The thread's running token total from the latest turn.completed. */
  lastTotal?: CodexTokenUsage;
  /** The message of a turn.failed event. */
  failure?: string;
  /** The latest error event not followed by a completed turn (a retry notice is followed by one). */
  pendingError?: string;
}

export const initialStreamState: CodexStreamState = { completedTurns: 0 };

/** Fold one event into the state. */
export function applyCodexEvent(state: CodexStreamState, event: CodexEvent): CodexStreamState {
  switch (event.type) {
    case 'thread.started':
      return { ...state, threadId: event.threadId };
    case 'turn.completed':
      return { ...state, completedTurns: state.completedTurns + 1, lastTotal: event.usage, pendingError: undefined };
    case 'turn.failed':
      return { ...state, failure: event.message };
    case 'error':
      return { ...state, pendingError: event.message };
    case 'item.completed':
      return event.item.kind === 'agent_message' && event.item.text !== undefined
        ? { ...state, finalMessage: event.item.text }
        : state;
    default:
      return state;
  }
}

export interface TurnOutcome {
  status: AgentTurnStatus;
  exitCode?: number;
  reason?: string;
}

/** The turn's status from how the process ended and what its events said; `finished` needs a completed turn. */
export function decideOutcome(
  result: ProcessResult,
  state: CodexStreamState,
  context: { timeoutMs: number; signal?: AbortSignal; binary: string },
): TurnOutcome {
  switch (result.status) {
    case 'cancelled':
      return { status: 'killed', reason: oneLine(`aborted${abortDetail(context.signal)}`) };
    case 'timed-out':
      return { status: 'timed-out', reason: `codex gave no result within ${context.timeoutMs} ms` };
    case 'spawn-failed':
      return { status: 'failed', reason: oneLine(`could not start ${context.binary}: ${result.message}`) };
    case 'signalled':
      return { status: 'failed', reason: oneLine(eventReason(state) ?? `codex was killed by ${result.signal}`) };
    case 'exited': {
      const { exitCode } = result;
      if (exitCode !== 0) {
        return {
          status: 'failed',
          exitCode,
          reason: oneLine(eventReason(state) ?? `codex exited with code ${exitCode}`),
        };
      }
      const reason = eventReason(state) ?? (state.completedTurns === 0 ? 'codex ended without completing a turn' : '');
      return reason ? { status: 'failed', exitCode, reason: oneLine(reason) } : { status: 'finished', exitCode };
    }
  }
}

function eventReason(state: CodexStreamState): string | undefined {
  return state.failure ?? state.pendingError;
}

function abortDetail(signal: AbortSignal | undefined): string {
  const why: unknown = signal?.reason;
  if (typeof why === 'string') return `: ${why}`;
  // AbortController.abort() without a reason gives a DOMException named AbortError: nothing worth repeating.
  if (why instanceof Error && why.name !== 'AbortError') return `: ${why.message}`;
  return '';
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
