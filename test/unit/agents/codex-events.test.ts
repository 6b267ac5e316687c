import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CodexEvent, parseCodexEvent, readableError } from '../../../src/agents/codex/codex-events.ts';
import {
  applyCodexEvent,
  type CodexStreamState,
  decideOutcome,
  initialStreamState,
} from '../../../src/agents/codex/codex-turn-state.ts';
import type { ProcessResult } from '../../../src/process/run-process.ts';

const fixtures = new URL('../../fixtures/agents/codex/', import.meta.url);

function events(name: string): CodexEvent[] {
  return readFileSync(new URL(`${name}.jsonl`, fixtures), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const event = parseCodexEvent(line);
      if (!event) throw new Error(`not parsed: ${line}`);
      return event;
    });
}

function fold(name: string): CodexStreamState {
  return events(name).reduce(applyCodexEvent, initialStreamState);
}

const exited = (exitCode: number): ProcessResult => ({ status: 'exited', exitCode, durationMs: 5 });
const context = { timeoutMs: 60_000, binary: 'codex' };

describe('parseCodexEvent on captured codex exec --json lines', () => {
  it('reads the session id, items, and the usage of turn.completed', () => {
    const parsed = events('exec-then-text');
    expect(parsed[0]).toEqual({ type: 'thread.started', threadId: '01a20d27-e0ec-7ff0-80f9-3e7f71fe4d8f' });
    expect(parsed.map((event) => event.type)).toEqual([
      'thread.started',
      'item.completed',
      'turn.started',
      'item.started',
      'item.completed',
      'item.completed',
      'turn.completed',
    ]);
    expect(parsed[4]).toEqual({
      type: 'item.completed',
      item: { id: 'item_1', kind: 'command_execution', command: "/bin/bash -lc 'echo made > made.txt'", exitCode: 0 },
    });
    expect(parsed.at(-1)).toEqual({
      type: 'turn.completed',
      usage: {
        inputTokens: 2700,
        cachedInputTokens: 2100,
        cacheWriteInputTokens: 64,
        outputTokens: 42,
        reasoningOutputTokens: 6,
      },
    });
  });

  it('unwraps the API error body that Codex passes through as the message', () => {
    expect(events('http-error').slice(-2)).toEqual([
      { type: 'error', message: 'model gpt-5 is not enabled' },
      { type: 'turn.failed', message: 'model gpt-5 is not enabled' },
    ]);
    expect(readableError('Reconnecting... 1/5 (stream disconnected)')).toBe(
      'Reconnecting... 1/5 (stream disconnected)',
    );
  });

  it('skips what is not a JSON event, and names events it does not use', () => {
    expect(parseCodexEvent('Reading additional input from stdin...')).toBeUndefined();
    expect(parseCodexEvent('{"type":"turn.completed"')).toBeUndefined();
    expect(parseCodexEvent('{"no":"type"}')).toBeUndefined();
    expect(parseCodexEvent('{"type":"item.completed","item":{"id":3}}')).toBeUndefined();
    expect(parseCodexEvent('{"type":"thread.archived"}')).toEqual({ type: 'other', name: 'thread.archived' });
    expect(parseCodexEvent('{"type":"turn.completed","usage":{"input_tokens":-4,"output_tokens":"7"}}')).toEqual({
      type: 'turn.completed',
      usage: {
        inputTokens: 0,
        cachedInputTokens: 0,
        cacheWriteInputTokens: 0,
        outputTokens: 0,
        reasoningOutputTokens: 0,
      },
    });
  });
});

describe('the turn outcome from the stream and the exit', () => {
  it('finishes a completed turn, keeping the last agent message', () => {
    const state = fold('exec-then-text');
    expect(state).toMatchObject({ completedTurns: 1, finalMessage: 'Wrote made.txt.' });
    expect(decideOutcome(exited(0), state, context)).toEqual({ status: 'finished', exitCode: 0 });
  });

  it('does not count an error item (a warning) or a retry notice followed by a completed turn as failure', () => {
    const state = fold('reconnect-then-text');
    expect(decideOutcome(exited(0), state, context)).toEqual({ status: 'finished', exitCode: 0 });
  });

  it('fails with the reason of turn.failed', () => {
    expect(decideOutcome(exited(1), fold('stream-failed-then-error'), context)).toEqual({
      status: 'failed',
      exitCode: 1,
      reason: 'quota exhausted',
    });
  });

  it('fails a clean exit without a completed turn, or with an error after it', () => {
    const started = events('exec-then-text').slice(0, 3).reduce(applyCodexEvent, initialStreamState);
    expect(decideOutcome(exited(0), started, context)).toMatchObject({
      status: 'failed',
      reason: 'codex ended without completing a turn',
    });
    const late = applyCodexEvent(fold('exec-then-text'), { type: 'error', message: 'could not save the session' });
    expect(decideOutcome(exited(0), late, context)).toMatchObject({
      status: 'failed',
      reason: 'could not save the session',
    });
  });

  it('tells a non-zero exit, a crash, a timeout, an abort and a binary that cannot start apart', () => {
    const state = fold('exec-then-text');
    expect(decideOutcome(exited(3), initialStreamState, context)).toEqual({
      status: 'failed',
      exitCode: 3,
      reason: 'codex exited with code 3',
    });
    expect(decideOutcome({ status: 'signalled', signal: 'SIGSEGV', durationMs: 1 }, state, context)).toEqual({
      status: 'failed',
      reason: 'codex was killed by SIGSEGV',
    });
    expect(decideOutcome({ status: 'timed-out', durationMs: 1 }, state, context)).toEqual({
      status: 'timed-out',
      reason: 'codex gave no result within 60000 ms',
    });
    const controller = new AbortController();
    controller.abort();
    expect(
      decideOutcome({ status: 'cancelled', durationMs: 1 }, state, { ...context, signal: controller.signal }),
    ).toEqual({ status: 'killed', reason: 'aborted' });
    const spawnFailed: ProcessResult = { status: 'spawn-failed', message: 'spawn codex ENOENT', durationMs: 1 };
    expect(decideOutcome(spawnFailed, initialStreamState, context)).toEqual({
      status: 'failed',
      reason: 'could not start codex: spawn codex ENOENT',
    });
  });
});
