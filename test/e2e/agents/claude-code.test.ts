import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claudeAgent, claudeScenario } from '../../support/claude-code.ts';
import { type FakeStep, lastUserText, textReply, toolUseReply } from '../../support/fake-anthropic-server.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('Claude Code adapter against the real CLI', () => {
  it('runs a turn that writes a file, reporting exactly the usage the model server reported', async () => {
    const { server, repo, turn } = await claudeScenario([
      toolUseReply(
        'Write',
        { file_path: 'hello.txt', content: 'hello\n' },
        { input_tokens: 120, output_tokens: 40, cache_read_input_tokens: 2000, cache_creation_input_tokens: 300 },
      ),
      textReply('Created hello.txt.', {
        input_tokens: 180,
        output_tokens: 12,
        cache_read_input_tokens: 2300,
        cache_creation_input_tokens: 7,
      }),
    ]);
    const result = await claudeAgent().runTurn(turn());

    expect(result).toMatchObject({ status: 'finished', exitCode: 0, finalMessage: 'Created hello.txt.' });
    expect(result.reason).toBeUndefined();
    expect(readFileSync(join(repo, 'hello.txt'), 'utf8')).toBe('hello\n');
    expect(result.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const reported = server.reportedUsage();
    expect(reported).toEqual({
      input_tokens: 300,
      output_tokens: 52,
      cache_read_input_tokens: 4300,
      cache_creation_input_tokens: 307,
    });
    expect(result.usage).toHaveLength(1);
    const [usage] = result.usage;
    expect(usage).toMatchObject({
      model: server.messageRequests()[0]?.model,
      inputTokens: reported.input_tokens,
      outputTokens: reported.output_tokens,
      cacheReadTokens: reported.cache_read_input_tokens,
      cacheWriteTokens: reported.cache_creation_input_tokens,
      turns: 2,
    });
    expect(usage?.costUsd).toBeGreaterThan(0);
    expect(usage?.apiMs).toBeGreaterThan(0);
    // The second request carries the tool's real result; nothing but /v1/messages was called.
    expect(lastUserText(server.messageRequests()[1] ?? { model: '', messages: [] })).toContain('hello.txt');
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /v1/messages?beta=true',
      'POST /v1/messages?beta=true',
    ]);
    expect(readFileSync(turn().logPath, 'utf8')).toContain('"type":"result"');
  });

  it('runs tools with an allow-list instead of skipping every permission check', async () => {
    const { repo, turn } = await claudeScenario([
      toolUseReply('Bash', { command: 'echo from-bash > bash.txt', description: 'write' }),
      toolUseReply('Write', { file_path: 'write.txt', content: 'from-write\n' }),
      textReply('Both written.'),
    ]);
    const result = await claudeAgent({ allowedTools: ['Bash', 'Write'] }).runTurn(turn());
    expect(result).toMatchObject({ status: 'finished', finalMessage: 'Both written.' });
    expect(readFileSync(join(repo, 'bash.txt'), 'utf8')).toBe('from-bash\n');
    expect(readFileSync(join(repo, 'write.txt'), 'utf8')).toBe('from-write\n');
  });

  it('continues a session with --resume, so the model sees the earlier turn and the new prompt', async () => {
    const { server, turn } = await claudeScenario([
      textReply('First answer.', { input_tokens: 10, output_tokens: 3 }),
      (request) => ({
        ...(lastUserText(request).includes('Gate feedback: test_sum failed')
          ? textReply('Fixing it.', { input_tokens: 20, output_tokens: 4 })
          : textReply('No feedback seen.')),
        delayMs: 150,
      }),
    ]);
    const first = await claudeAgent().runTurn(turn({ prompt: 'Say something.' }));
    expect(first.status).toBe('finished');
    const second = await claudeAgent().runTurn(
      turn({ prompt: 'Gate feedback: test_sum failed', ...(first.sessionId ? { sessionId: first.sessionId } : {}) }),
    );
    expect(second).toMatchObject({ status: 'finished', sessionId: first.sessionId, finalMessage: 'Fixing it.' });
    const texts = JSON.stringify(server.messageRequests()[1]?.messages);
    expect(texts).toContain('Say something.');
    expect(texts).toContain('First answer.');
    // Only this turn's usage, although Claude Code's own totals for a resumed session include the first.
    expect(second.usage[0]).toMatchObject({ inputTokens: 20, outputTokens: 4, turns: 1 });
    expect(second.usage[0]?.costUsd).toBeGreaterThan(0);
    expect(second.usage[0]?.costUsd).toBeLessThan((first.usage[0]?.costUsd ?? 0) + (second.usage[0]?.costUsd ?? 0));
    expect(second.usage[0]?.apiMs).toBeGreaterThanOrEqual(150);
    expect(second.usage[0]?.apiMs).toBeLessThan(second.durationMs);
  });

  it('fails, without throwing, when the model API answers with an error', async () => {
    const error: FakeStep = { error: { status: 400, type: 'invalid_request_error', message: 'roles must alternate' } };
    const { turn } = await claudeScenario([error], { fallback: error });
    const result = await claudeAgent().runTurn(turn());
    expect(result.status).toBe('failed');
    expect(result.exitCode).not.toBe(0);
    expect(result.reason).toContain('API status 400');
    expect(result.reason).toContain('roles must alternate');
    expect(result.reason).not.toContain('\n');
    expect(result.usage).toEqual([]);
  });

  it('fails with Claude Code’s own error when the session to resume does not exist', async () => {
    const { server, turn } = await claudeScenario([]);
    const result = await claudeAgent().runTurn(turn({ sessionId: '00000000-0000-0000-0000-000000000000' }));
    expect(result).toMatchObject({ status: 'failed', exitCode: 1 });
    expect(result.reason).toContain('No conversation found with session ID');
    expect(server.requests).toEqual([]);
  });

  it('fails with a reason when the binary dies without a result, or cannot start', async () => {
    const { turn } = await claudeScenario([]);
    const dir = tempDir();
    const broken = join(dir, 'claude');
    writeFileSync(
      broken,
      '#!/bin/sh\necho "{\\"type\\":\\"system\\",\\"subtype\\":\\"init\\""\necho "segfault in module x" >&2\nexit 3\n',
    );
    chmodSync(broken, 0o755);
    const died = await claudeAgent({ binaryPath: broken }).runTurn(turn());
    expect(died).toMatchObject({ status: 'failed', exitCode: 3, usage: [] });
    expect(died.reason).toBe('Claude Code exited with code 3 without a result event: segfault in module x');

    const missing = await claudeAgent({ binaryPath: join(dir, 'no-such-claude') }).runTurn(turn());
    expect(missing.status).toBe('failed');
    expect(missing.reason).toContain('could not start');
  });
});
