import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStreamLine } from '../../../src/agents/claude-code/stream-events.ts';
import { ClaudeStreamReader } from '../../../src/agents/claude-code/stream-reader.ts';
import type { ModelUsage } from '../../../src/usage/model-usage.ts';

// Lines captured from the real Claude Code 2.1.331 against test/support/fake-anthropic-server.ts.
function fixtureLines(name: string): string[] {
  const url = new URL(`../../fixtures/agents/claude-code/${name}.jsonl`, import.meta.url);
  return readFileSync(url, 'utf8').split('\n');
}

function readAll(
  lines: string[],
  reader = new ClaudeStreamReader(),
): { reader: ClaudeStreamReader; snapshots: ModelUsage[][] } {
  const snapshots: ModelUsage[][] = [];
  for (const line of lines) if (reader.read(line)) snapshots.push(reader.runningUsage());
  return { reader, snapshots };
}

const total = (usage: ModelUsage[]) =>
  usage.reduce(
    (sum, entry) => sum + entry.inputTokens + entry.outputTokens + entry.cacheReadTokens + entry.cacheWriteTokens,
    0,
  );

describe('Claude Code stream-json', () => {
  it('reads a two-request turn: session, per-model usage, cost, API time, turns and final message', () => {
    const { reader } = readAll(fixtureLines('write-then-answer'));
    expect(reader.sessionId).toBe('d65d9be3-205a-4119-916a-fe90f87eb2c4');
    expect(reader.result?.is_error).toBe(false);
    expect(reader.finalUsage()).toEqual([
      {
        model: 'claude-opus-5-5',
        inputTokens: 300,
        outputTokens: 52,
        cacheReadTokens: 4300,
        cacheWriteTokens: 300,
        costUsd: 0.0046,
        apiMs: 58,
        turns: 2,
      },
    ]);
    expect(reader.finalMessage()).toBe('Created hello.txt.');
  });

  it('keeps a running total that grows message by message and counts a multi-block message once', () => {
    const { snapshots } = readAll(fixtureLines('write-then-answer'));
    const totals = snapshots.map(total);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    // message_start of request 1 (input + cache), its message_delta (+40 output), then request 2 likewise.
    expect(totals).toEqual([2420, 2460, 4940, 4952]);
    const last = snapshots.at(-1)?.[0];
    expect(last).toMatchObject({ inputTokens: 300, outputTokens: 52, turns: 2, costUsd: null, apiMs: 0 });
  });

  it('tolerates garbage, blank and truncated lines anywhere in the stream', () => {
    const lines = fixtureLines('write-then-answer');
    const noisy = lines.flatMap((line, index) => [
      line,
      index % 3 === 0 ? 'Warning: something printed to stdout' : '',
      index % 5 === 0 ? line.slice(0, Math.floor(line.length / 2)) : '   ',
      '[1,2,3]',
      'null',
      '{"type":"assistant","message":"not an object"}',
    ]);
    const { reader } = readAll(noisy);
    expect(reader.finalUsage()).toEqual(readAll(lines).reader.finalUsage());
    expect(reader.finalMessage()).toBe('Created hello.txt.');
  });

  it('gives the running usage when the stream stops before its result (a killed turn)', () => {
    const lines = fixtureLines('write-then-answer');
    const cut = lines.findIndex((line) => line.includes('"msg_fake_2"'));
    const { reader } = readAll(lines.slice(0, cut));
    expect(reader.result).toBeUndefined();
    expect(reader.finalUsage()).toEqual([
      {
        model: 'claude-opus-5-5',
        inputTokens: 120,
        outputTokens: 40,
        cacheReadTokens: 2000,
        cacheWriteTokens: 300,
        costUsd: null,
        apiMs: 0,
        turns: 1,
      },
    ]);
    expect(reader.finalMessage()).toBe('I will create the file.');
  });

  it('reports only this run on a resumed session, where Claude Code totals the whole session', () => {
    let clock = 0;
    const { reader } = readAll(fixtureLines('resumed-session'), new ClaudeStreamReader(() => (clock += 100)));
    // The result's modelUsage, cost and API time include the first run (10 in, 3 out, 61 ms).
    expect(reader.result?.modelUsage['claude-opus-5-5']).toMatchObject({ inputTokens: 30, outputTokens: 7 });
    expect(reader.result?.duration_api_ms).toBe(287);
    expect(reader.finalUsage({ resumed: true })).toEqual([
      {
        model: 'claude-opus-5-5',
        inputTokens: 20,
        outputTokens: 4,
        cacheReadTokens: 100,
        cacheWriteTokens: 0,
        costUsd: 0.00017999999999999998,
        apiMs: 100, // one request, timed from its `requesting` status to its message_stop
        turns: 1,
      },
    ]);
    expect(reader.sessionId).toBe('1bf7e960-85fd-410b-8abc-7abb13f19981');
  });

  it('sums a process that prints two results, because a background command woke the model again', () => {
    const reader = new ClaudeStreamReader();
    const idleAfterEachResult: boolean[] = [];
    for (const line of fixtureLines('background-wake')) {
      reader.read(line);
      if (line.includes('"type":"result"')) idleAfterEachResult.push(reader.idleAfterResult);
      if (line.includes('"status":"requesting"')) expect(reader.idleAfterResult).toBe(false);
    }
    expect(idleAfterEachResult).toEqual([true, true]);
    expect(reader.results.map((result) => result.result)).toEqual(['Waiting for the build.', 'The build is done.']);
    const [usage] = reader.finalUsage();
    expect(usage).toMatchObject({ inputTokens: 60, outputTokens: 18, cacheReadTokens: 330, apiMs: 232, turns: 3 });
    expect(usage?.costUsd).toBeCloseTo(0.000382 + 0.000284, 9);
    expect(reader.finalMessage()).toBe('The build is done.');
  });

  it('falls back to the last modelUsage when the CLI does not report usage since the last result', () => {
    const entry = { inputTokens: 7, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };
    const result = (modelUsage: Record<string, unknown>) =>
      JSON.stringify({ type: 'result', subtype: 'success', is_error: false, modelUsage });
    const reader = new ClaudeStreamReader();
    reader.read(result({ a: { ...entry, costUSD: 0.1 } }));
    reader.read(
      result({ a: { ...entry, inputTokens: 9, costUSD: 0.2 }, b: { ...entry, costUSD: 5, costBasis: 'unknown' } }),
    );
    expect(reader.finalUsage().map((usage) => [usage.model, usage.inputTokens, usage.costUsd])).toEqual([
      ['a', 9, 0.2],
      ['b', 7, null],
    ]);
  });

  it('reads an API error: is_error, the error text, and no usage from the synthetic reply', () => {
    const { reader, snapshots } = readAll(fixtureLines('api-error'));
    expect(snapshots).toEqual([]);
    expect(reader.result).toMatchObject({
      is_error: true,
      api_error_status: 400,
      result: 'API Error: 400 messages: roles must alternate',
    });
    expect(reader.finalUsage()).toEqual([]);
    expect(reader.finalMessage()).toBeUndefined();
  });

  it('reads an execution error that has only an error list', () => {
    const { reader } = readAll(fixtureLines('resume-unknown-session'));
    expect(reader.result).toMatchObject({
      is_error: true,
      subtype: 'error_during_execution',
      errors: ['No conversation found with session ID: 00000000-0000-0000-0000-000000000000'],
    });
  });

  it('reports the cost of a model Claude Code has no price for as unknown, not its guess', () => {
    const { reader } = readAll(fixtureLines('unknown-model'));
    expect(reader.finalUsage()).toEqual([
      {
        model: 'fake-model-1',
        inputTokens: 10,
        outputTokens: 2,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: null,
        apiMs: 28,
        turns: 1,
      },
    ]);
  });

  it('counts the dated model id the API answers with under the alias that was asked for', () => {
    const reader = new ClaudeStreamReader();
    reader.read(JSON.stringify({ type: 'system', subtype: 'init', session_id: 's', model: 'claude-sonnet-4-5' }));
    const message = (id: string, model: string) => ({
      type: 'assistant',
      message: { id, model, content: [], usage: { input_tokens: 5, output_tokens: 1 } },
    });
    reader.read(JSON.stringify(message('m1', 'claude-sonnet-4-5-20250929')));
    reader.read(JSON.stringify(message('m2', 'claude-haiku-4-5-20251001')));
    expect(reader.runningUsage().map((usage) => [usage.model, usage.turns])).toEqual([
      ['claude-sonnet-4-5', 1],
      ['claude-haiku-4-5-20251001', 1],
    ]);
    const usage = { inputTokens: 5, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };
    reader.read(
      JSON.stringify({
        type: 'result',
        subtype: 'success',
        is_error: false,
        duration_api_ms: 90,
        total_cost_usd: 0.5,
        modelUsage: {
          'claude-sonnet-4-5': { ...usage, costUSD: 0.3 },
          'claude-haiku-4-5': { ...usage, costUSD: 0.2 },
        },
      }),
    );
    expect(reader.finalUsage().map((entry) => [entry.model, entry.turns, entry.costUsd, entry.apiMs])).toEqual([
      ['claude-sonnet-4-5', 1, 0.3, 90],
      ['claude-haiku-4-5', 1, 0.2, 0],
    ]);
  });

  it('classifies single lines', () => {
    expect(parseStreamLine('')).toEqual({ kind: 'other' });
    expect(parseStreamLine('not json')).toEqual({ kind: 'garbage', line: 'not json' });
    expect(parseStreamLine('{"type":"user","message":{}}')).toEqual({ kind: 'other' });
    expect(parseStreamLine('{"type":"result"}')).toMatchObject({ kind: 'result', result: { is_error: true } });
  });
});
