import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import type { AgentTurn } from '../../src/agents/agent-adapter.ts';
import { findPlatformBinary } from '../../src/agents/claude-code/claude-binary.ts';
import { ClaudeCodeAgent } from '../../src/agents/claude-code/claude-code-agent.ts';
import type { ClaudeCodeOptions } from '../../src/agents/claude-code/claude-command.ts';
import { type FakeAnthropicServer, type FakeStep, startFakeAnthropicServer } from './fake-anthropic-server.ts';
import { waitFor } from './process-state.ts';
import { tempDir } from './temp-dir.ts';

/** The real Claude Code binary installed as a devDependency (the platform package's native file). */
export function claudeBinary(): string {
  const binary = findPlatformBinary();
  if (!binary) throw new Error('@anthropic-ai/claude-code and its platform package are not installed (npm ci)');
  return binary;
}

/** The adapter, running the installed binary. */
export function claudeAgent(options: ClaudeCodeOptions = {}): ClaudeCodeAgent {
  return new ClaudeCodeAgent({ binaryPath: claudeBinary(), ...options });
}

/**
 * Environment that points Claude Code at a fake model server and keeps it off the network and out
 * of the user's `~/.claude`: config, home and temp files all live under `home`.
 */
export function claudeTestEnv(baseUrl: string, home: string): Record<string, string> {
  const tmp = join(home, 'tmp');
  mkdirSync(tmp, { recursive: true });
  return {
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: 'x',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    HOME: home,
    CLAUDE_CODE_TMPDIR: tmp,
    TMPDIR: tmp,
  };
}

export interface ClaudeScenario {
  server: FakeAnthropicServer;
  repo: string;
  home: string;
  /** In the environment of every process of the turn (SLUICE_TEST_MARKER), to find them by. */
  marker: string;
  /** A turn in `repo` against `server`; overrides win. */
  turn: (overrides?: Partial<AgentTurn>) => AgentTurn;
}

/**
 * A scripted fake model server, a temp git repo and a temp home for one test. When the test
 * finishes the server closes, and the test fails if any process of its turns is still alive.
 */
export async function claudeScenario(
  script: FakeStep[],
  options: { fallback?: FakeStep } = {},
): Promise<ClaudeScenario> {
  const server = await startFakeAnthropicServer(script, options);
  const repo = tempGitRepo();
  const home = tempDir('sluice-claude-home-');
  const marker = randomUUID();
  onTestFinished(async () => {
    await server.close();
    await waitFor(() => pidsWithEnv('SLUICE_TEST_MARKER', marker).length === 0, 2000);
    expect(pidsWithEnv('SLUICE_TEST_MARKER', marker)).toEqual([]);
  });
  const turn = (overrides: Partial<AgentTurn> = {}): AgentTurn => ({
    prompt: 'Create hello.txt containing hello.',
    cwd: repo,
    logPath: join(home, 'logs', 'turn.log'),
    timeoutMs: 20_000,
    env: { ...claudeTestEnv(server.url, home), SLUICE_TEST_MARKER: marker },
    ...overrides,
  });
  return { server, repo, home, marker, turn };
}

/** A fresh git repository with one commit in a temp folder, removed when the test finishes. */
export function tempGitRepo(): string {
  const dir = tempDir('sluice-claude-repo-');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-q', '--allow-empty', '-m', 'init');
  return dir;
}

/** Pids of live processes whose environment holds `name=value` (a marker a test passes to the agent). */
export function pidsWithEnv(name: string, value: string): number[] {
  const entry = `${name}=${value}`;
  const pids: number[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (environ.includes(entry)) pids.push(Number(pid));
    } catch {
      // gone already, or not ours to read
    }
  }
  return pids;
}
