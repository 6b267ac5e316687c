import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SluiceError } from '../errors.ts';
import { checklistItems } from '../loop/plan-progress.ts';
import { resumeRun, runSettingsOf } from '../loop/resume-run.ts';
import { loadBaseConfig } from '../loop/run-config.ts';
import { followUpFile, type RunLoopEvent } from '../loop/run-loop.ts';
import { startRun } from '../loop/start-run.ts';
import type { DispatchPorts } from '../queue/dispatcher.ts';
import { enqueueForReview, queueDueReviews } from '../review/review-queue.ts';
import type { RunStore } from '../store/run-store.ts';
import { agentOfRun } from './create-agent.ts';
import { writeError } from './output/write.ts';
import { prepareRun, type RunOverrides } from './prepare-run.ts';

/**
 * Every command that opens the queue first queues the runs a killed Sluice left `done` without their
 * review item; what cannot be queued stays due and is said on stderr (the command itself goes on).
 */
export async function queueReviewsLeftDue(store: RunStore): Promise<void> {
  const { problems } = await queueDueReviews(store);
  for (const problem of problems) writeError(`sluice: ${problem}`);
}

/** The event that records which follow-up tasks of a run were queued, so they are queued once. */
const followUpsEvent = 'queue:follow-ups';

export interface WorkPortsInput {
  store: RunStore;
  /** sluice.yaml in the main checkout. */
  configPath: string;
  /** The branch new runs start from (and land on). */
  baseRef: string;
  overrides: RunOverrides;
  onRunEvent?: (runId: string, event: RunLoopEvent) => void;
}

/** The dispatcher's ports: runs started and resumed exactly as `sluice run` and `sluice resume` do. */
export function createWorkPorts(input: WorkPortsInput): DispatchPorts {
  const { store } = input;
  return {
    async startRun(task, signal, recorded) {
      // The base is read again for every task: new runs start from the branch as it is now.
      const base = await loadBaseConfig(input.configPath, input.baseRef);
      const prepared = prepareRun(base.config, { ...input.overrides, accept: task.accept });
      let runId = '';
      return startRun({
        store,
        goal: task.goal,
        base,
        baseRef: input.baseRef,
        agent: prepared.agent,
        agentCost: prepared.agentCost,
        ...(prepared.model ? { model: prepared.model } : {}),
        agentEnv: prepared.agentEnv,
        settings: { ...prepared.settings, taskId: task.id },
        setup: base.config.setup,
        ...(base.config.notify ? { notify: base.config.notify } : {}),
        signal,
        onStarted: async (id) => {
          runId = id;
          await recorded(id);
        },
        onEvent: (event) => input.onRunEvent?.(runId, event),
      });
    },
    async resumeRun(runId, signal) {
      const run = await store.getRun(runId);
      if (!run) throw new SluiceError('RUN_NOT_FOUND', `no run ${runId}`);
      const settings = runSettingsOf(run);
      const base = await loadBaseConfig(join(run.repoRoot, settings.configFile), run.baseCommit);
      const agent = agentOfRun(run, base.config, input.overrides.agentCommand);
      return resumeRun({
        store,
        runId,
        agent,
        agentEnv: base.config.agent?.env ?? {},
        ...(base.config.notify ? { notify: base.config.notify } : {}),
        signal,
        onEvent: (event) => input.onRunEvent?.(runId, event),
      });
    },
    async enqueueForReview(summary, task) {
      const base = await loadBaseConfig(input.configPath, summary.run.baseCommit);
      await enqueueForReview(store, summary.run, {
        taskId: task.id,
        cost: base.config.review.cost,
        evidencePath: summary.reportPath,
      });
    },
    queueDueReviews: () => queueReviewsLeftDue(store),
    async importFollowUps(runId) {
      const run = await store.getRun(runId);
      if (!run) return 0;
      const text = await readFile(join(run.worktreePath, followUpFile), 'utf8').catch(() => undefined);
      if (text === undefined) return 0;
      const seen = new Set(
        (await store.events(runId))
          .filter((event) => event.type === followUpsEvent)
          .flatMap((event) => (event.payload as { goals: string[] }).goals),
      );
      const goals = checklistItems(text)
        .filter((item) => !item.done && !seen.has(item.title))
        .map((item) => item.title);
      if (goals.length === 0) return 0;
      await store.queue.addTasks(goals.map((goal) => ({ goal, accept: [], priority: 0, source: `run ${runId}` })));
      await store.appendEvent(runId, followUpsEvent, { goals });
      return goals.length;
    },
  };
}
