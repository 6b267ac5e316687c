import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentAdapter, AgentTurn } from '../../../src/agents/agent-adapter.ts';
import { parseConfigText } from '../../../src/config/load-config.ts';
import type { LoopPorts } from '../../../src/loop/loop-ports.ts';
import { type LoopInput, runLoop } from '../../../src/loop/run-loop.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { writeFiles } from '../../support/write-files.ts';

/** Ports that keep everything in memory: this tests the loop's decisions, not the store or git. */
function memoryPorts(changes: boolean[], judgeRoot = tempDir()): LoopPorts & { finished: number[] } {
  const finished: number[] = [];
  let turn = 0;
  return {
    finished,
    startIteration: async () => {},
    recordProcessGroup: async () => {},
    recordUsage: async () => {},
    recordGateResults: async () => {},
    finishIteration: async (iteration) => {
      finished.push(iteration);
    },
    commitTurn: async () => {
      const changed = changes[turn++] ?? true;
      return {
        commit: changed ? `c${turn}` : null,
        diff: { filesChanged: changed ? 1 : 0, insertions: 1, deletions: 0 },
      };
    },
    guardChange: async () => ({ baseCommit: 'base', findings: [], reverted: [] }),
    changeLines: async () => 10,
    runChangedAnything: async () => true,
    headCommit: async () => `c${turn}`,
    checkRepository: async () => [],
    prepareJudge: async () => ({ commit: `c${turn}`, root: judgeRoot, notes: [], changedFiles: async () => [] }),
  };
}

function recordingAgent(sessions: Array<string | undefined>, seen: AgentTurn[]): AgentAdapter {
  return {
    name: 'recording',
    runTurn: async (turn) => {
      seen.push(turn);
      const sessionId = sessions[seen.length - 1];
      return { status: 'finished', usage: [], durationMs: 1, ...(sessionId ? { sessionId } : {}) };
    },
  };
}

function loopInput(dir: string, overrides: Partial<LoopInput>): LoopInput {
  return {
    runId: 'r1',
    goal: 'g',
    acceptance: [],
    worktree: dir,
    checkRoot: dir,
    config: parseConfigText('gates:\n  always-red: { run: "exit 1" }\n', 'inline'),
    judgeScratch: { cacheDir: join(dir, 'judge-cache'), baselinesDir: join(dir, 'judge-baselines') },
    agent: recordingAgent([], []),
    turnTimeoutMs: 10_000,
    budgets: { maxIterations: 3 },
    stall: { sameFailure: 10, noDiff: 10 },
    runDir: dir,
    firstIteration: 1,
    history: [],
    usage: [],
    elapsedMs: 0,
    signal: new AbortController().signal,
    ports: memoryPorts([], dir),
    ...overrides,
  };
}

describe('runLoop', () => {
  it('continues the agent session from turn to turn only when asked', async () => {
    const dir = tempDir();
    const kept: AgentTurn[] = [];
    const outcome = await runLoop(
      loopInput(dir, { agent: recordingAgent(['s-1', 's-2', 's-3'], kept), keepSession: true }),
    );
    expect(outcome).toMatchObject({
      verdict: 'budget-exhausted',
      reason: 'reached the limit of 3 iterations',
      iterations: 3,
    });
    expect(kept.map((turn) => turn.sessionId)).toEqual([undefined, 's-1', 's-2']);
    const fresh: AgentTurn[] = [];
    await runLoop(loopInput(dir, { agent: recordingAgent(['s-1', 's-2', 's-3'], fresh) }));
    expect(fresh.map((turn) => turn.sessionId)).toEqual([undefined, undefined, undefined]);
  });

  it('puts the plan progress from the worktree into each prompt', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'PLAN.md': '- [x] one\n- [ ] two\n' });
    const seen: AgentTurn[] = [];
    await runLoop(
      loopInput(dir, { agent: recordingAgent([], seen), planFile: 'PLAN.md', budgets: { maxIterations: 1 } }),
    );
    expect(seen[0]?.prompt).toContain('# Plan progress\n\n1 of 2 steps done.');
  });

  it('ends failed when the agent fails three turns in a row', async () => {
    const dir = tempDir();
    const crashing: AgentAdapter = {
      name: 'crashing',
      runTurn: async () => ({ status: 'failed', reason: 'the agent exited with 1', usage: [], durationMs: 1 }),
    };
    const outcome = await runLoop(loopInput(dir, { agent: crashing, budgets: { maxIterations: 9 } }));
    expect(outcome).toMatchObject({
      verdict: 'failed',
      reason: 'the agent failed 3 turns in a row: the agent exited with 1',
      iterations: 3,
    });
  });

  it('resets the judge checkout while the guard runs, and judges the restored commit when the guard restores files', async () => {
    const dir = tempDir();
    // The gate passes only in the checkout prepared after the guard's restore.
    const [early, restored] = [tempDir(), tempDir()];
    writeFiles(restored, { 'restored.txt': 'yes' });
    const steps: string[] = [];
    const prepared: string[] = [early, restored];
    const ports: LoopPorts = {
      ...memoryPorts([], dir),
      prepareJudge: async () => {
        steps.push('prepare');
        return { commit: `c${steps.length}`, root: prepared.shift() ?? dir, notes: [], changedFiles: async () => [] };
      },
      guardChange: async () => {
        steps.push('guard starts');
        await new Promise((resolve) => setTimeout(resolve, 50));
        steps.push('guard ends');
        const finding = {
          rule: 'assertions-removed',
          path: 't.js',
          line: 1,
          severity: 'revert' as const,
          message: 'm',
        };
        return { baseCommit: 'base', findings: [], reverted: [finding] };
      },
    };
    const outcome = await runLoop(
      loopInput(dir, {
        ports,
        config: parseConfigText('gates:\n  restored: { run: "test -f restored.txt" }\n', 'inline'),
        budgets: { maxIterations: 1 },
      }),
    );
    expect(steps).toEqual(['prepare', 'guard starts', 'guard ends', 'prepare']);
    expect(outcome.lastCheck?.verdict).toBe('passed');
  });

  it('judges the turn as committed when the guard restores nothing, preparing the judge once', async () => {
    const dir = tempDir();
    const judgeRoot = tempDir();
    const steps: string[] = [];
    const ports: LoopPorts = {
      ...memoryPorts([], judgeRoot),
      prepareJudge: async () => {
        steps.push('prepare');
        return { commit: 'c1', root: judgeRoot, notes: [], changedFiles: async () => [] };
      },
      guardChange: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        steps.push('guard ends');
        return { baseCommit: 'base', findings: [], reverted: [] };
      },
    };
    await runLoop(loopInput(dir, { ports, budgets: { maxIterations: 2 } }));
    expect(steps).toEqual(['prepare', 'guard ends', 'prepare', 'guard ends']);
  });

  it('waits for the judge checkout to be ready before a guard failure ends the run', async () => {
    const dir = tempDir();
    let judgeSettled = false;
    const ports: LoopPorts = {
      ...memoryPorts([], dir),
      prepareJudge: async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        judgeSettled = true;
        throw new Error('judge checkout failed');
      },
      guardChange: async () => {
        throw new Error('guard failed');
      },
    };
    await expect(runLoop(loopInput(dir, { ports }))).rejects.toThrow('guard failed');
    expect(judgeSettled).toBe(true);
  });

  it('blocks a run whose agent changes nothing', async () => {
    const dir = tempDir();
    const ports = memoryPorts([false, false, false]);
    const outcome = await runLoop(
      loopInput(dir, { ports, stall: { sameFailure: 10, noDiff: 3 }, budgets: { maxIterations: 9 } }),
    );
    expect(outcome.verdict).toBe('blocked');
    expect(outcome.reason).toContain('changed no file in 3 iterations');
    expect(ports.finished).toEqual([1, 2, 3]);
  });
});
