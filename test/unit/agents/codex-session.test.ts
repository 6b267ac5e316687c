import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  codexHomeFor,
  emptySessionSnapshot,
  findSessionFile,
  readSessionSnapshot,
} from '../../../src/agents/codex/codex-session.ts';
import { codexTokensSince, toModelUsage } from '../../../src/agents/codex/codex-usage.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { writeFiles } from '../../support/write-files.ts';

const sessionId = '01a20d27-e0ec-7ff0-80f9-3e7f71fe4d8f';
const rollout = readFileSync(new URL('../../fixtures/agents/codex/session-rollout.jsonl', import.meta.url), 'utf8');
const lines = rollout.split('\n').filter((line) => line !== '');
// The first run ends at its task_complete line; the resumed run's lines follow.
const firstRunEnd = lines.findIndex((line) => line.includes('"type":"task_complete"')) + 1;

function codexHomeWith(text: string): string {
  const home = tempDir();
  writeFiles(home, {
    [`sessions/2026/11/24/rollout-2026-11-24T10-44-07-${sessionId}.jsonl`]: text,
    'sessions/2026/11/24/rollout-2026-11-24T10-40-00-01a20d27-0000-7000-8000-000000000000.jsonl': '',
  });
  return home;
}

describe('the session file Codex writes', () => {
  it('finds the file of a session and sums the tokens of every model request in it', () => {
    const home = codexHomeWith(rollout);
    const file = findSessionFile(home, sessionId);
    expect(file).toBe(join(home, `sessions/2026/11/24/rollout-2026-11-24T10-44-07-${sessionId}.jsonl`));
    expect(readSessionSnapshot(file ?? '')).toEqual({
      requests: 3,
      model: 'gpt-5',
      usage: {
        inputTokens: 5700,
        cachedInputTokens: 4600,
        cacheWriteInputTokens: 64,
        outputTokens: 62,
        reasoningOutputTokens: 6,
      },
    });
  });

  it('gives the resumed turn only what it added to the session', () => {
    const home = codexHomeWith(`${lines.slice(0, firstRunEnd).join('\n')}\n`);
    const file = findSessionFile(home, sessionId) ?? '';
    const first = readSessionSnapshot(file) ?? emptySessionSnapshot;
    expect(first).toMatchObject({ requests: 2, usage: { inputTokens: 2700, cachedInputTokens: 2100 } });
    appendFileSync(file, `${lines.slice(firstRunEnd).join('\n')}\n`);
    const after = readSessionSnapshot(file) ?? emptySessionSnapshot;
    const since = codexTokensSince(after.usage, first.usage);
    expect(toModelUsage('gpt-5', since, after.requests - first.requests)).toEqual({
      model: 'gpt-5',
      inputTokens: 500,
      cacheReadTokens: 2500,
      cacheWriteTokens: 0,
      outputTokens: 20,
      apiMs: 0,
      turns: 1,
    });
  });

  it('skips a torn last line of a killed writer, and knows no session it cannot find', () => {
    const home = codexHomeWith(`${rollout}{"type":"token_usage_record","payload":{"usage":{"input_tok`);
    expect(readSessionSnapshot(findSessionFile(home, sessionId) ?? '')?.requests).toBe(3);
    expect(findSessionFile(home, '01a20d27-ffff-7000-8000-000000000000')).toBeUndefined();
    expect(findSessionFile(join(home, 'nowhere'), sessionId)).toBeUndefined();
    expect(readSessionSnapshot(join(home, 'missing.jsonl'))).toBeUndefined();
  });

  it('takes CODEX_HOME from the turn, then the adapter, then the environment', () => {
    expect(codexHomeFor({ CODEX_HOME: '/a' }, '/b')).toBe('/a');
    expect(codexHomeFor({}, '/b')).toBe('/b');
    expect(codexHomeFor(undefined, undefined)).toMatch(/codex/i);
  });
});

describe('toModelUsage', () => {
  it('splits the input Codex reports into uncached, cache-read and cache-written parts that add up', () => {
    const usage = toModelUsage(
      'gpt-5',
      {
        inputTokens: 2700,
        cachedInputTokens: 2100,
        cacheWriteInputTokens: 64,
        outputTokens: 42,
        reasoningOutputTokens: 6,
      },
      2,
    );
    expect(usage).toEqual({
      model: 'gpt-5',
      inputTokens: 536,
      cacheReadTokens: 2100,
      cacheWriteTokens: 64,
      outputTokens: 42,
      apiMs: 0,
      turns: 2,
    });
    expect(usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens).toBe(2700);
  });

  it('never reports a negative part when the counts disagree', () => {
    const usage = toModelUsage(
      'm',
      { inputTokens: 10, cachedInputTokens: 8, cacheWriteInputTokens: 5, outputTokens: 1, reasoningOutputTokens: 0 },
      1,
    );
    expect(usage).toMatchObject({ inputTokens: 0, cacheReadTokens: 8, cacheWriteTokens: 2 });
  });
});
