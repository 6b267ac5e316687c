import { enqueueEndedRun, isWorkflowRun } from '../review/review-queue.ts';
import type { RunRecord } from '../store/run-records.ts';
import type { RunStore } from '../store/run-store.ts';
import type { ReviewItemRecord } from '../store/task-records.ts';
import { runGit } from '../workspace/git.ts';
import { resolveCommit } from '../workspace/refs.ts';
import type { ExpressionContext } from './expressions.ts';
import type { StepDefinition, WorkflowDefinition } from './workflow-schema.ts';

/**
 * When a workflow succeeds, its changes go to the review queue: the last run of each agent step that
 * ended done — unless a `pull_request` step proposes it (that step decides: a PR or the queue), or its
 * branch is contained in another such run's (the phases of one line of commits, or a plan the phases
 * built on: only the last, which holds them all, is one item). A run that waits already keeps its item.
 */
export async function queueWorkflowChanges(
  store: RunStore,
  definition: WorkflowDefinition,
  context: ExpressionContext,
): Promise<void> {
  const proposed = new Set(
    Object.values(definition.steps).flatMap((step: StepDefinition) =>
      step.pull_request ? [step.pull_request.of] : [],
    ),
  );
  const runs: Array<{ run: RunRecord; head: string; proposed: boolean }> = [];
  for (const [id, step] of Object.entries(definition.steps)) {
    const runId = context.steps[id]?.outputs.run_id;
    if (step.agent === undefined || !runId) continue;
    const run = await store.getRun(runId);
    if (run?.status !== 'done' || runs.some((known) => known.run.id === run.id)) continue;
    runs.push({ run, head: await resolveCommit(run.repoRoot, run.branch), proposed: proposed.has(id) });
  }
  const waiting = new Set((await store.queue.listReviewItems(['waiting'])).map((item) => item.runId));
  for (const candidate of runs) {
    if (candidate.proposed || waiting.has(candidate.run.id)) continue;
    const others = runs.filter((other) => other !== candidate);
    if (await containedInAny(candidate, others)) continue;
    await queueWholeChange(store, candidate.run);
  }
}

/**
 * Queue a workflow run's change for review as one item: measured from, and landed on, where its line of
 * runs started. A run that started from another workflow run's branch (a phase from the phase before, the
 * first from the plan's run) would otherwise show only its own part and land on that branch.
 */
export async function queueWholeChange(store: RunStore, run: RunRecord): Promise<ReviewItemRecord> {
  const byBranch = new Map((await store.listRuns()).map((each) => [each.branch, each]));
  let root = run;
  const seen = new Set([run.id]);
  for (let base = byBranch.get(root.baseRef); base && isWorkflowRun(base) && !seen.has(base.id); ) {
    seen.add(base.id);
    root = base;
    base = byBranch.get(root.baseRef);
  }
  if (root === run) return enqueueEndedRun(store, run);
  // Only when the root's base is an ancestor of the head: the line of commits really starts there.
  const head = await resolveCommit(run.repoRoot, run.branch);
  const ancestor = await runGit(run.repoRoot, ['merge-base', '--is-ancestor', root.baseCommit, head]);
  if (ancestor.exitCode !== 0) return enqueueEndedRun(store, run);
  if (run.baseCommit !== root.baseCommit || run.baseRef !== root.baseRef) {
    await store.moveRunBase(run.id, root.baseCommit, root.baseRef);
  }
  const moved = await store.getRun(run.id);
  return enqueueEndedRun(store, moved ?? run);
}

/** Another run's branch holds this one's head: that run's item shows this change too. */
async function containedInAny(
  candidate: { run: RunRecord; head: string },
  others: Array<{ run: RunRecord; head: string }>,
): Promise<boolean> {
  for (const other of others) {
    if (other.head === candidate.head) {
      // The same commit on two branches: the later run is the one queued.
      if (other.run.createdAt > candidate.run.createdAt) return true;
      continue;
    }
    const ancestor = await runGit(candidate.run.repoRoot, ['merge-base', '--is-ancestor', candidate.head, other.head]);
    if (ancestor.exitCode === 0) return true;
  }
  return false;
}
