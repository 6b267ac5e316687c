import type { TaskView } from '../../../src/server/api-types.ts';

/** Why a queued task has not started: the dispatcher's own reason, else what would start it. */
export function waitReasonText(task: TaskView, dispatcherInProcess: boolean): string {
  if (task.waitReason) return task.waitReason;
  return dispatcherInProcess ? 'next when a slot frees' : 'waits for a dispatcher: run sluice work';
}
