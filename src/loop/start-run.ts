import { join, relative } from 'node:path';
import type { AgentAdapter } from '../agents/agent-adapter.ts';
import type { NotifyConfig } from '../config/run-schema.ts';
import { type SetupStep, setupCommands } from '../config/setup-schema.ts';
import { UsageError } from '../errors.ts';
import { newRunId } from '../store/run-id.ts';
import type { RunStore } from '../store/run-store.ts';
import { createRunWorktree, defaultWorktreesDir, runBranch } from '../workspace/worktrees.ts';
import { type CostKnowledge, refuseBudgets } from './budgets.ts';
import { driveRun, type RunSettings, type RunSummary, runDirOf } from './drive-run.ts';
import type { BaseConfig } from './run-config.ts';
import type { RunLoopEvent } from './run-loop.ts';
import { recordRepositorySnapshot } from './run-ports.ts';
import { runWorktreeSetup } from './worktree-setup.ts';

export interface StartRunInput {
  store: RunStore;
  goal: string;
  base: BaseConfig;
  baseRef: string;
  agent: AgentAdapter;
  agentCost: CostKnowledge;
  model?: string;
  agentEnv?: Record<string, string>;
  settings: Omit<RunSettings, 'configFile' | 'configDir'>;
  notify?: NotifyConfig;
  worktreesDir?: string;
  signal: AbortSignal;
  onEvent?: (event: RunLoopEvent) => void;
  onStarted?: (runId: string, worktreePath: string) => void | Promise<void>;
  /** `setup:` commands run in the new worktree before the agent starts. */
  setup?: readonly SetupStep[];
}

/** Record a new run, give it its own worktree on `sluice/<id>`, and drive it to a verdict. */
export async function startRun(input: StartRunInput): Promise<RunSummary> {
  const refusal = refuseBudgets(input.settings.budgets, input.agentCost);
  if (refusal) throw new UsageError(refusal);
  if (input.goal.trim() === '') throw new UsageError('a run needs a goal');
  const { base } = input;
  const id = newRunId();
  const worktreesDir = input.worktreesDir ?? defaultWorktreesDir(base.repoRoot);
  const settings: RunSettings = {
    ...input.settings,
    agentCost: input.agentCost,
    configDir: base.configDir,
    configFile: relative(base.repoRoot, join(base.repoRoot, base.configDir, 'sluice.yaml')),
  };
  const run = await input.store.createRun({
    id,
    goal: input.goal,
    agent: input.agent.name,
    ...(input.model ? { model: input.model } : {}),
    repoRoot: base.repoRoot,
    baseRef: input.baseRef,
    baseCommit: base.baseCommit,
    branch: runBranch(id),
    worktreePath: join(worktreesDir, id),
    options: settings,
    pid: process.pid,
  });
  try {
    await createRunWorktree({ repoRoot: base.repoRoot, runId: id, baseRef: base.baseCommit, worktreesDir });
  } catch (error) {
    await input.store.finishRun(id, {
      status: 'failed',
      reason: `could not create the worktree: ${(error as Error).message}`,
    });
    throw error;
  }
  // What the shared git dir holds before any agent ran: every turn is compared with it.
  await recordRepositorySnapshot(input.store, id, base.repoRoot);
  await input.onStarted?.(id, run.worktreePath);
  const setupFailure = await runWorktreeSetup(
    setupCommands(input.setup ?? []),
    join(run.worktreePath, base.configDir),
    runDirOf(run, base.configDir),
    input.signal,
    join(base.repoRoot, base.configDir),
  );
  if (setupFailure) {
    const ended = await input.store.finishRun(id, { status: 'failed', reason: setupFailure });
    return {
      run: ended,
      outcome: { verdict: 'failed', reason: setupFailure, iterations: 0, usage: [] },
      reportPath: '',
      notifyProblems: [],
    };
  }
  return driveRun({
    store: input.store,
    run,
    settings,
    base,
    agent: input.agent,
    ...(input.agentEnv ? { agentEnv: input.agentEnv } : {}),
    ...(input.notify ? { notify: input.notify } : {}),
    signal: input.signal,
    ...(input.onEvent ? { onEvent: input.onEvent } : {}),
  });
}
