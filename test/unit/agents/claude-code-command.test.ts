import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AgentTurn } from '../../../src/agents/agent-adapter.ts';
import { findPlatformBinary, platformKey, resolveClaudeBinary } from '../../../src/agents/claude-code/claude-binary.ts';
import { ClaudeCodeAgent } from '../../../src/agents/claude-code/claude-code-agent.ts';
import { buildClaudeCommand } from '../../../src/agents/claude-code/claude-command.ts';
import { tempDir } from '../../support/temp-dir.ts';

const turn: AgentTurn = { prompt: '-x fix the tests', cwd: '/repo', logPath: '/logs/turn.log', timeoutMs: 1000 };

describe('Claude Code command', () => {
  it('builds the headless argv with the prompt last, after --', () => {
    const command = buildClaudeCommand(turn, {}, '/bin/claude', false);
    expect(command).toEqual({
      file: '/bin/claude',
      args: [
        '-p',
        '--output-format',
        'stream-json',
        '--verbose',
        '--include-partial-messages',
        '--dangerously-skip-permissions',
        '--',
        '-x fix the tests',
      ],
      env: {},
    });
  });

  it('adds IS_SANDBOX=1 as root, since Claude Code refuses to skip permissions as root otherwise', () => {
    expect(buildClaudeCommand(turn, {}, 'claude', true).env).toEqual({ IS_SANDBOX: '1' });
  });

  it('passes model, session, settings, allowed tools and env, the turn env winning', () => {
    const command = buildClaudeCommand(
      { ...turn, model: 'claude-sonnet-4-5', sessionId: 'abc', env: { A: 'turn' } },
      {
        allowedTools: ['Bash', 'Write', 'Edit', 'Read'],
        settingsPath: '/tmp/settings.json',
        extraArgs: ['--include-hook-events'],
        env: { A: 'agent', B: 'agent' },
      },
      'claude',
      true,
    );
    expect(command.args).toEqual([
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
      '--include-partial-messages',
      '--allowedTools',
      'Bash,Write,Edit,Read',
      '--model',
      'claude-sonnet-4-5',
      '--resume',
      'abc',
      '--settings',
      '/tmp/settings.json',
      '--include-hook-events',
      '--',
      '-x fix the tests',
    ]);
    // No IS_SANDBOX: with an allow-list nothing is skipped.
    expect(command.env).toEqual({ A: 'turn', B: 'agent' });
  });

  it('refuses --bare, which would turn off the hooks that gate the agent', () => {
    expect(() => new ClaudeCodeAgent({ extraArgs: ['--bare'] })).toThrow(/--bare/);
  });
});

describe('Claude Code binary', () => {
  it('finds the native binary of the installed platform package', () => {
    const binary = findPlatformBinary();
    expect(binary).toMatch(new RegExp(`node_modules/@anthropic-ai/claude-code-${platformKey()}/claude$`));
    expect(binary && existsSync(binary)).toBe(true);
    expect(resolveClaudeBinary()).toBe(binary);
    expect(new ClaudeCodeAgent().binary).toBe(binary);
    expect(new ClaudeCodeAgent({ binaryPath: '/opt/claude' }).binary).toBe('/opt/claude');
  });

  it('falls back to claude on PATH where @anthropic-ai/claude-code is not installed', () => {
    const outside = pathToFileURL(`${tempDir()}/`).href;
    expect(findPlatformBinary(outside)).toBeUndefined();
    expect(resolveClaudeBinary(outside)).toBe('claude');
  });
});
