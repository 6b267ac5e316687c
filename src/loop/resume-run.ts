import { join } from 'node:path';
import type { AgentAdapter } from '../agents/agent-adapter.ts';
import type { NotifyConfig } from '../config/run-schema.ts';
import { SluiceError, UsageError } from '../errors.ts';
import { killLeftoverGroup } from '../process/process-groups.ts';
import { pendingReviewerFeedback } from '../review/reviewer-feedback.ts';
import type { RunRecord } from '../store/run-records.ts';
import type { RunStore } from '../store/run-store.ts';
import { worktreeState } from '../workspace/worktree-list.ts';
import { driveRun, type RunSettings, type RunSummary } from './drive-run.ts';
import { loadBaseConfig } from './run-config.ts';
import type { RunLoopEvent } from './run-loop.ts';
import { processGroupEvent } from './run-ports.ts';

export interface ResumeRunInput {
  store: RunStore;
  runId: string;
  agent: AgentAdapter;
  agentEnv?: Record<string, string>;
  notify?: NotifyConfig;
  signal: AbortSignal;
  onEvent?: (event: RunLoopEvent) => void;
  /** A reviewer's words for the next iteration; by default those of a review "changes" not acted on yet. */
  humanFeedback?: string;
}

/** The settings a run was started with. */
export function runSettingsOf(run: RunRecord): RunSettings {
  return run.options as unknown as RunSettings;
}

/**
 * Continue a run that a crash or `kill -9` interrupted, from its last finished iteration, in its own
 * worktree, judged by the same base commit.
 */
export async function resumeRun(input: ResumeRunInput): Promise<RunSummary> {
  const run = await input.store.getRun(input.runId);
  if (!run) throw new SluiceError('RUN_NOT_FOUND', `no run ${input.runId}; "sluice runs" lists them`);
  if (run.status !== 'running') throw new UsageError(`run ${run.id} already ended: ${run.status}`);
  if (run.pid !== undefined && run.pid !== process.pid && isAlive(run.pid)) {
    throw new SluiceError('RUN_BUSY', `run ${run.id} is still being driven by process ${run.pid}`);
  }
  const state = await worktreeState(run.worktreePath);
  if (state.status !== 'present') {
    throw new SluiceError(
      'RUN_WORKTREE_MISSING',
      `the worktree of run ${run.id} is gone (${run.worktreePath}); its branch ${run.branch} keeps the work`,
    );
  }
  await reapLeftoverProcesses(input.store, run.id);
  const settings = runSettingsOf(run);
  const base = await loadBaseConfig(join(run.repoRoot, settings.configFile), run.baseCommit);
  const humanFeedback = input.humanFeedback ?? (await pendingReviewerFeedback(input.store, run.id));
  await input.store.appendEvent(run.id, 'run:resume', { pid: process.pid });
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
    ...(humanFeedback ? { humanFeedback } : {}),
  });
}

/** Kill the process groups (agent, gates) a crashed predecessor left running (verified by start time). */
async function reapLeftoverProcesses(store: RunStore, runId: string): Promise<void> {
  for (const event of await store.events(runId)) {
    if (event.type !== processGroupEvent) continue;
    const group = event.payload as { pgid?: number; startTime?: string };
    if (typeof group.pgid === 'number' && killLeftoverGroup(group.pgid, group.startTime)) {
      await store.appendEvent(runId, 'run:process:reaped', { pgid: group.pgid });
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
