import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { AgentTurn } from '../../../src/agents/agent-adapter.ts';
import { createCodexAdapter } from '../../../src/agents/codex/codex-adapter.ts';
import { resolveCodexBinary } from '../../../src/agents/codex/codex-command.ts';
import type { ModelUsage } from '../../../src/usage/model-usage.ts';
import { costOf, pricesFor } from '../../../src/usage/pricing.ts';
import { type FakeScript, startFakeResponsesServer } from '../../support/fake-openai-responses-server.ts';
import { isProcessAlive, waitFor } from '../../support/process-state.ts';
import { tempDir } from '../../support/temp-dir.ts';

/** A fake model server, a temp git repo, a temp CODEX_HOME and an adapter wired to them. */
async function setUp(script: FakeScript) {
  const fake = await startFakeResponsesServer(script);
  onTestFinished(() => fake.close());
  const repo = tempDir('sluice-codex-repo-');
  execFileSync('git', ['init', '-q'], { cwd: repo });
  const codexHome = tempDir('sluice-codex-home-');
  const logs = tempDir('sluice-codex-logs-');
  // HOME without the machine's dotfiles: Codex runs its commands in a login shell, and a login shell
  // killed while ~/.bashrc runs `pyenv init` leaves pyenv's lock behind, stalling every later shell a minute.
  const shellHome = tempDir('sluice-codex-shell-home-');
  const adapter = createCodexAdapter({
    codexHome,
    provider: { name: 'fake', baseUrl: fake.baseUrl, envKey: 'FAKE_KEY', wireApi: 'responses' },
  });
  let runs = 0;
  const turn = (prompt: string, extra: Partial<AgentTurn> = {}): AgentTurn => ({
    prompt,
    cwd: repo,
    logPath: join(logs, `turn-${++runs}.log`),
    timeoutMs: 20_000,
    model: 'gpt-5',
    env: { FAKE_KEY: 'x', HOME: shellHome },
    ...extra,
  });
  return { fake, repo, codexHome, adapter, turn };
}

/** Live processes whose environment carries this CODEX_HOME: codex and whatever it started. */
function processesOf(codexHome: string): number[] {
  const marker = `CODEX_HOME=${codexHome}`;
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function inputText(body: unknown): string {
  return JSON.stringify((body as { input?: unknown }).input);
}

describe('codex adapter against the real codex binary', () => {
  it('finds the native binary of the installed @openai/codex', () => {
    expect(resolveCodexBinary()).toMatch(/vendor\/[^/]+\/bin\/codex$/);
  });

  it('runs a tool call for real, then reports the exact usage, cost, session and final message', async () => {
    const { fake, repo, adapter, turn } = await setUp([
      { kind: 'exec', cmd: 'echo made > made.txt', usage: { inputTokens: 1200, cachedTokens: 1000, outputTokens: 30 } },
      { kind: 'text', text: 'Wrote made.txt.', usage: { inputTokens: 1500, cachedTokens: 1100, outputTokens: 12 } },
    ]);
    const usageCalls: Array<{ usage: ModelUsage[]; settled: boolean }> = [];
    let settled = false;
    const makeFile = turn('make a file', { onUsage: (usage) => usageCalls.push({ usage, settled }) });
    const result = await adapter.runTurn(makeFile);
    settled = true;

    expect(readFileSync(join(repo, 'made.txt'), 'utf8')).toBe('made\n');
    expect(result).toMatchObject({ status: 'finished', exitCode: 0, finalMessage: 'Wrote made.txt.' });
    expect(result.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const expected = {
      model: 'gpt-5',
      inputTokens: 2700 - 2100,
      cacheReadTokens: 2100,
      cacheWriteTokens: 0,
      outputTokens: 42,
      apiMs: 0,
      turns: 2,
    };
    expect(result.usage).toEqual([{ ...expected, costUsd: costOf(expected, pricesFor('gpt-5')) }]);
    expect(result.usage[0]?.costUsd).toBeCloseTo((600 * 1.25 + 2100 * 0.125 + 42 * 10) / 1e6, 12);
    // The command's output went back to the model in the second request.
    expect(inputText(fake.responseRequests()[1]?.body)).toContain('function_call_output');
    // onUsage ran while the turn was still running, with what the result reports.
    expect(usageCalls).toHaveLength(1);
    expect(usageCalls[0]).toEqual({ usage: result.usage, settled: false });
    expect(readFileSync(makeFile.logPath, 'utf8')).toContain('"thread.started"');
  });

  it('leaves the cost unknown (null, not 0) for a model missing from the pricing table', async () => {
    const { adapter, turn } = await setUp([{ kind: 'text', text: 'hi', usage: { inputTokens: 50, outputTokens: 5 } }]);
    const result = await adapter.runTurn(turn('hello', { model: 'house-model-7' }));
    expect(result.status).toBe('finished');
    expect(result.usage).toEqual([
      expect.objectContaining({ model: 'house-model-7', inputTokens: 50, outputTokens: 5, costUsd: null, turns: 1 }),
    ]);
  });

  it('resumes the session and counts only the new turn, with the feedback in the next request', async () => {
    // The fake answers by what the request holds: Sluice's feedback gets the second answer.
    const { fake, adapter, turn } = await setUp((request) =>
      inputText(request.body).includes('gate \\"test\\" failed')
        ? { kind: 'text', text: 'fixed', usage: { inputTokens: 300, cachedTokens: 200, outputTokens: 30 } }
        : { kind: 'text', text: 'done', usage: { inputTokens: 100, cachedTokens: 40, outputTokens: 10 } },
    );
    const first = await adapter.runTurn(turn('write the feature'));
    const feedback = 'Sluice: gate "test" failed: expected 2, got 3';
    const second = await adapter.runTurn(turn(feedback, { sessionId: first.sessionId }));

    expect(first).toMatchObject({ status: 'finished', finalMessage: 'done' });
    expect(second).toMatchObject({ status: 'finished', sessionId: first.sessionId, finalMessage: 'fixed' });
    // Codex reports the thread's running total (400 / 240 / 40): the adapter keeps only this turn's share.
    expect(second.usage).toEqual([
      expect.objectContaining({ inputTokens: 100, cacheReadTokens: 200, outputTokens: 30, turns: 1 }),
    ]);
    const lastRequest = inputText(fake.responseRequests()[1]?.body);
    expect(lastRequest).toContain('write the feature');
    expect(lastRequest).toContain(JSON.stringify(feedback).slice(1, -1));
  });

  it('reports an error from the model as failed with the reason, without throwing', async () => {
    const { adapter, turn } = await setUp([{ kind: 'http-error', status: 400, message: 'model gpt-5 is not enabled' }]);
    const result = await adapter.runTurn(turn('hello'));
    expect(result).toMatchObject({ status: 'failed', exitCode: 1, reason: 'model gpt-5 is not enabled', usage: [] });
    expect(result.sessionId).toBeDefined();
  });

  it('kills codex and the command it runs on abort, and still counts the request made before', async () => {
    const { repo, codexHome, adapter, turn } = await setUp([
      { kind: 'exec', cmd: 'touch started && sleep 60', usage: { inputTokens: 80, outputTokens: 8 } },
    ]);
    const controller = new AbortController();
    const pending = adapter.runTurn(turn('wait', { signal: controller.signal }));
    expect(await waitFor(() => existsSync(join(repo, 'started')), 15_000)).toBe(true);
    const pids = processesOf(codexHome);
    expect(pids.length).toBeGreaterThanOrEqual(2); // codex and the shell command
    controller.abort('budget exceeded');

    const result = await pending;
    expect(result).toMatchObject({ status: 'killed', reason: 'aborted: budget exceeded' });
    expect(result.usage).toEqual([expect.objectContaining({ inputTokens: 80, outputTokens: 8, turns: 1 })]);
    expect(await waitFor(() => pids.every((pid) => !isProcessAlive(pid)), 5000)).toBe(true);
  });

  it('stops a turn that runs past its time limit', async () => {
    const { adapter, codexHome, turn } = await setUp([{ kind: 'hang' }]);
    const result = await adapter.runTurn(turn('hello', { timeoutMs: 1500 }));
    expect(result).toMatchObject({ status: 'timed-out', usage: [] });
    expect(result.durationMs).toBeLessThan(10_000);
    expect(processesOf(codexHome)).toEqual([]);
  });
});
