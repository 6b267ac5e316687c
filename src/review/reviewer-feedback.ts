import type { RunStore } from '../store/run-store.ts';

/**
 * The reviewer's words a reopened run has not acted on yet: the note of its latest `changes-requested`
 * decision, until an iteration that started after that decision has finished. An iteration lost to a
 * crash does not count, so a resume after it gives the agent the words again.
 */
export async function pendingReviewerFeedback(store: RunStore, runId: string): Promise<string | undefined> {
  const requests = (await store.queue.listReviewItems(['changes-requested']))
    .filter((item) => item.runId === runId)
    .sort((a, b) => a.round - b.round);
  const latest = requests.at(-1);
  if (!latest?.decisionNote || !latest.decidedAt) return undefined;
  const decidedAt = latest.decidedAt;
  const acted = (await store.listIterations(runId)).some(
    (iteration) => iteration.status === 'finished' && iteration.startedAt >= decidedAt,
  );
  return acted ? undefined : latest.decisionNote;
}
