import type { RunRecord } from '../store/run-records.ts';
import type { RunStore } from '../store/run-store.ts';
import type { ReviewItemRecord } from '../store/task-records.ts';
import { branchTip } from '../workspace/advance-branch.ts';
import { runGitChecked } from '../workspace/git.ts';

/** A review item as a reviewer sees it in the queue: with the run's goal and verdict. */
export interface ReviewListEntry extends ReviewItemRecord {
  goal: string;
  verdict: string;
  branch: string;
}

/** The waiting items, oldest first; with `all`, decided rounds too. */
export async function listReviewEntries(store: RunStore, options: { all: boolean }): Promise<ReviewListEntry[]> {
  const items = await store.queue.listReviewItems(options.all ? undefined : ['waiting']);
  const entries: ReviewListEntry[] = [];
  for (const item of items) {
    const run = await store.getRun(item.runId);
    entries.push({
      ...item,
      goal: run?.goal ?? '(run missing)',
      verdict: run?.status ?? '?',
      branch: run?.branch ?? '',
    });
  }
  return entries;
}

/** The queue as lines: one per item and its cost explanation, then the waiting total in hours. */
export function formatReviewList(entries: readonly ReviewListEntry[], now: Date): string[] {
  const waiting = entries.filter((entry) => entry.status === 'waiting');
  const lines: string[] = [];
  if (entries.length === 0) lines.push('Nothing waiting for review.');
  for (const entry of entries) {
    const goal = entry.goal.length > 60 ? `${entry.goal.slice(0, 59)}…` : entry.goal;
    const state =
      entry.status === 'waiting'
        ? `waiting ${formatAge(now.getTime() - Date.parse(entry.createdAt))}`
        : `${entry.status} ${entry.decidedAt ?? ''}`;
    lines.push(`${entry.runId}  ${state}  ${entry.reviewMinutes} min  ${entry.verdict}  ${goal}`);
    lines.push(`    ${entry.costExplanation}${entry.round > 1 ? ` · round ${entry.round}` : ''}`);
    if (entry.status !== 'waiting' && entry.decisionNote) {
      lines.push(`    ${entry.decisionNote.split('\n')[0]}`);
    }
  }
  const minutes = waiting.reduce((sum, entry) => sum + entry.reviewMinutes, 0);
  lines.push(
    '',
    `review queue ${(minutes / 60).toFixed(1)} h waiting (${waiting.length} item${waiting.length === 1 ? '' : 's'})`,
  );
  return lines;
}

/** "45s", "12m", "3h", "2d": how long an item has waited. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** `git diff --stat` of the run's change: from where its branch left the base branch (or base commit). */
export async function changeStatOf(run: RunRecord): Promise<string> {
  const from = (await branchTip(run.repoRoot, run.baseRef)) ? run.baseRef : run.baseCommit;
  return runGitChecked(run.repoRoot, ['diff', '--stat', '--no-color', `${from}...${run.branch}`]);
}
