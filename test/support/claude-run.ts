import { randomUUID } from 'node:crypto';
import { expect, onTestFinished } from 'vitest';
import { claudeTestEnv, pidsWithEnv } from './claude-code.ts';
import {
  type FakeAnthropicServer,
  type FakeReply,
  type FakeUsage,
  type MessagesRequest,
  startFakeAnthropicServer,
} from './fake-anthropic-server.ts';
import { waitFor } from './process-state.ts';
import { brokenAdderRepo } from './run-fixtures.ts';
import { tempDir } from './temp-dir.ts';

/** The model sluice.yaml asks for: one Claude Code and Sluice's price table both know. */
export const model = 'claude-sonnet-4-5';

/** A request's whole conversation as text: prompt, system reminders, tool calls and their results. */
export function conversation(request: MessagesRequest): string {
  return JSON.stringify(request.messages);
}

/** How many tool results the conversation holds: 0 on the first request of a turn. */
export function toolResults(request: MessagesRequest): number {
  return conversation(request).split('"type":"tool_result"').length - 1;
}

export interface ClaudeRun {
  server: FakeAnthropicServer;
  repo: string;
  /** In the environment of every Claude Code process (and what it runs), to find them by. */
  marker: string;
}

/** How the fake model answers each request. */
export type ModelReply = (request: MessagesRequest, usage: FakeUsage | undefined) => FakeReply;

/**
 * A repository with a wrong `add` whose sluice.yaml runs Claude Code against a scripted fake model.
 * The fake plays an agent fixing src/add.js, as a function of each request: a turn's first request
 * reads the file (Claude Code's Write refuses a file it has not read), the second writes it, the
 * third ends the turn with a text reply. It writes `wrongAdd`, or `rightAdd` once the turn's prompt
 * carries Sluice's feedback about that attempt. Request i reports `usages[i]` (the last one past
 * the end). `agent.base_url` points Claude Code at the fake, as a user would configure a gateway;
 * `agent.env` keeps it out of the user's ~/.claude and off the network.
 */
export async function claudeRun(usages: FakeUsage[], reply: ModelReply): Promise<ClaudeRun> {
  let answered = 0;
  const server = await startFakeAnthropicServer([], {
    fallback: (request) => {
      const usage = usages[Math.min(answered, usages.length - 1)];
      answered += 1;
      return reply(request, usage);
    },
  });
  const marker = randomUUID();
  onTestFinished(async () => {
    await server.close();
    await waitFor(() => pidsWithEnv('SLUICE_TEST_MARKER', marker).length === 0, 2000);
    expect(pidsWithEnv('SLUICE_TEST_MARKER', marker)).toEqual([]);
  });
  const { ANTHROPIC_BASE_URL: _fromBaseUrl, ...env } = claudeTestEnv(server.url, tempDir('sluice-claude-home-'));
  const repo = await brokenAdderRepo(
    `agent:
  name: claude-code
  model: ${model}
  base_url: ${server.url}
  env: ${JSON.stringify({ ...env, SLUICE_TEST_MARKER: marker })}
`,
  );
  return { server, repo, marker };
}
