import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCodexAdapter } from '../../../src/agents/codex/codex-adapter.ts';
import { type CodexProvider, codexArgs } from '../../../src/agents/codex/codex-command.ts';
import { ConfigError } from '../../../src/errors.ts';
import { tempDir } from '../../support/temp-dir.ts';

const provider: CodexProvider = {
  name: 'fake',
  baseUrl: 'http://127.0.0.1:4010/v1',
  envKey: 'FAKE_KEY',
  wireApi: 'responses',
};

describe('codexArgs', () => {
  it('builds the exact argv of a new turn, the prompt read from stdin', () => {
    expect(codexArgs({ model: 'gpt-5', provider })).toEqual([
      'exec',
      '--json',
      '--skip-git-repo-check',
      '--dangerously-bypass-approvals-and-sandbox',
      '--disable',
      'plugins',
      '-c',
      'model_provider="fake"',
      '-c',
      'model_providers.fake={name="fake",base_url="http://127.0.0.1:4010/v1",env_key="FAKE_KEY",wire_api="responses"}',
      '-m',
      'gpt-5',
      '-',
    ]);
  });

  it('resumes a session with `exec resume <id>`, and leaves the model and provider to Codex when not given', () => {
    expect(codexArgs({ sessionId: '01a20d27-e0ec-7ff0-80f9-3e7f71fe4d8f' })).toEqual([
      'exec',
      'resume',
      '--json',
      '--skip-git-repo-check',
      '--dangerously-bypass-approvals-and-sandbox',
      '--disable',
      'plugins',
      '01a20d27-e0ec-7ff0-80f9-3e7f71fe4d8f',
      '-',
    ]);
  });

  it('quotes provider values as TOML strings', () => {
    const args = codexArgs({ provider: { ...provider, baseUrl: 'http://h/v1?a="b"\\c' } });
    expect(args).toContain(
      'model_providers.fake={name="fake",base_url="http://h/v1?a=\\"b\\"\\\\c",env_key="FAKE_KEY",wire_api="responses"}',
    );
  });

  it('rejects a provider name that is not a bare TOML key, and a session id that reads as a flag', () => {
    expect(() => codexArgs({ provider: { ...provider, name: 'my provider' } })).toThrow(ConfigError);
    expect(() => createCodexAdapter({ provider: { ...provider, name: 'a.b' } })).toThrow(ConfigError);
    expect(() => codexArgs({ sessionId: '--last' })).toThrow(ConfigError);
  });
});

describe('createCodexAdapter', () => {
  it('returns a failed turn, without throwing, when codex cannot start or the session id is bad', async () => {
    const dir = tempDir();
    const turn = { prompt: 'hi', cwd: dir, logPath: join(dir, 'codex.log'), timeoutMs: 5000 };
    const missing = join(dir, 'no-such-codex');
    const result = await createCodexAdapter({ binary: missing }).runTurn(turn);
    expect(result).toMatchObject({ status: 'failed', usage: [] });
    expect(result.reason).toMatch(new RegExp(`^could not start ${missing}: .*ENOENT`));
    const resumed = await createCodexAdapter({ binary: missing }).runTurn({ ...turn, sessionId: '-x' });
    expect(resumed).toMatchObject({ status: 'failed', reason: 'not a codex session id: "-x"' });
  });
});
