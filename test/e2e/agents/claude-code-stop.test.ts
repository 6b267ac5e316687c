import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ModelUsage, totalTokens } from '../../../src/usage/model-usage.ts';
import { claudeAgent, claudeScenario, pidsWithEnv } from '../../support/claude-code.ts';
import { lastUserText, textReply, toolUseReply } from '../../support/fake-anthropic-server.ts';
import { isProcessAlive, waitFor } from '../../support/process-state.ts';

// These tests read pids the processes write about themselves ($$, pidfiles); a PID namespace renumbers those,
// so they run with the process-group fallback. test/unit/process/contain-*.test.ts cover the namespace.
process.env.SLUICE_CONTAINMENT = 'process-group';

const sum = (usage: ModelUsage[]) => usage.reduce((total, entry) => total + totalTokens(entry), 0);

describe('Claude Code turns that are stopped, time out, or linger', () => {
  it('is killed on abort while the model is answering, leaving no process behind', async () => {
    const { server, marker, turn } = await claudeScenario([{ ...textReply('late'), delayMs: 60_000 }]);
    const controller = new AbortController();
    const groups: number[] = [];
    const running = claudeAgent().runTurn(
      turn({ signal: controller.signal, onProcessStart: (group) => groups.push(group.pgid) }),
    );
    expect(await waitFor(() => server.messageRequests().length === 1, 15_000)).toBe(true);
    const pids = pidsWithEnv('SLUICE_TEST_MARKER', marker);
    // The group leader is the claude process itself.
    expect(groups).toHaveLength(1);
    expect(pids).toContain(groups[0]);
    controller.abort();
    const result = await running;
    expect(result).toMatchObject({ status: 'killed', reason: 'the turn was aborted' });
    expect(result.durationMs).toBeLessThan(15_000);
    expect(result.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await waitFor(() => pids.every((pid) => !isProcessAlive(pid)))).toBe(true);
  });

  it('is killed on abort while a Bash tool runs, and the tool’s processes die with it', async () => {
    const { repo, marker, turn } = await claudeScenario([
      toolUseReply('Bash', { command: 'echo $$ > tool.pid; tail -f /dev/null', description: 'wait forever' }),
    ]);
    const controller = new AbortController();
    const running = claudeAgent().runTurn(turn({ signal: controller.signal }));
    const pidFile = join(repo, 'tool.pid');
    expect(await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 15_000)).toBe(true);
    // The tool runs in Claude Code's sandbox, in a PID namespace of its own: its `$$` is not the pid
    // the host knows it by, so it is found by its command line among the turn's processes.
    const toolPids = runningTail(marker);
    const pids = pidsWithEnv('SLUICE_TEST_MARKER', marker);
    expect(toolPids).not.toEqual([]);
    expect(pids).toEqual(expect.arrayContaining(toolPids));
    controller.abort();
    expect((await running).status).toBe('killed');
    expect(await waitFor(() => pids.every((pid) => !isProcessAlive(pid)))).toBe(true);
  });

  it('counts the answer Claude Code wakes the model for when a background command ends', async () => {
    const { server, turn } = await claudeScenario([
      toolUseReply(
        'Bash',
        { command: 'sleep 1; echo built', description: 'build', run_in_background: true },
        { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 100 },
      ),
      textReply('Waiting for the build.', { input_tokens: 20, output_tokens: 6, cache_read_input_tokens: 110 }),
      textReply('The build is done.', { input_tokens: 30, output_tokens: 7, cache_read_input_tokens: 120 }),
    ]);
    const result = await claudeAgent({ idleAfterResultMs: 5000 }).runTurn(turn());
    // Two result events in one process; the turn's usage is both together.
    expect(result).toMatchObject({ status: 'finished', exitCode: 0, finalMessage: 'The build is done.' });
    expect(result.usage).toEqual([
      expect.objectContaining({
        inputTokens: 60,
        outputTokens: 18,
        cacheReadTokens: 330,
        cacheWriteTokens: 0,
        turns: 3,
      }),
    ]);
    expect(server.reportedUsage()).toMatchObject({ input_tokens: 60, output_tokens: 18, cache_read_input_tokens: 330 });
  });

  it('ends a turn that a background command would hold open, and kills that command', async () => {
    const { repo, marker, turn } = await claudeScenario([
      toolUseReply('Bash', {
        command: 'echo $$ > bg.pid; tail -f /dev/null',
        description: 'serve',
        run_in_background: true,
      }),
      textReply('Started the server.'),
    ]);
    const running = claudeAgent({ idleAfterResultMs: 300 }).runTurn(turn());
    // Its host pid, found while it runs (its `$$` is its pid in the sandbox's PID namespace).
    let pids: number[] = [];
    expect(
      await waitFor(() => {
        pids = existsSync(join(repo, 'bg.pid')) ? runningTail(marker) : [];
        return pids.length > 0;
      }, 15_000),
    ).toBe(true);
    const result = await running;
    expect(result).toMatchObject({ status: 'finished', finalMessage: 'Started the server.' });
    expect(result.durationMs).toBeLessThan(10_000);
    expect(await waitFor(() => pids.every((pid) => !isProcessAlive(pid)))).toBe(true);
  });

  it('times out when the turn runs past its limit', async () => {
    const { turn } = await claudeScenario([{ ...textReply('late'), delayMs: 60_000 }]);
    const result = await claudeAgent().runTurn(turn({ timeoutMs: 1500 }));
    expect(result.status).toBe('timed-out');
    expect(result.reason).toContain('1500 ms');
  });

  it('reports growing usage while the turn runs, so a budget can stop it mid-way', async () => {
    const seen: number[] = [];
    let seenWhenSecondRequestArrived: number[] = [];
    let secondRequestText = '';
    const controller = new AbortController();
    const { server, turn } = await claudeScenario([
      toolUseReply('Bash', { command: 'echo one', description: 'one' }, { input_tokens: 100, output_tokens: 50 }),
      (request) => {
        seenWhenSecondRequestArrived = [...seen];
        secondRequestText = lastUserText(request);
        return toolUseReply(
          'Bash',
          { command: 'echo two', description: 'two' },
          { input_tokens: 200, output_tokens: 80 },
        );
      },
      { ...textReply('never sent in time'), delayMs: 60_000 },
    ]);
    const result = await claudeAgent().runTurn(
      turn({
        signal: controller.signal,
        onUsage: (usage) => {
          seen.push(sum(usage));
          if (sum(usage) > 400) controller.abort(); // a token budget of 400
        },
      }),
    );
    // The first request's full usage (output tokens included) was known before the second request.
    expect(seenWhenSecondRequestArrived.at(-1)).toBe(150);
    expect(secondRequestText).toContain('one');
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(430);
    expect(result.status).toBe('killed');
    expect(result.usage).toEqual([
      expect.objectContaining({ inputTokens: 300, outputTokens: 130, turns: 2, costUsd: null }),
    ]);
    expect(server.messageRequests().length).toBeGreaterThanOrEqual(2);
  });
});

/** Host pids of the turn's `tail -f /dev/null` processes (the scripted tools' long-running command). */
function runningTail(marker: string): number[] {
  return pidsWithEnv('SLUICE_TEST_MARKER', marker).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').startsWith('tail -f /dev/null');
    } catch {
      return false;
    }
  });
}
