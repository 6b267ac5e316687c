import type { RunSummary } from '../loop/drive-run.ts';
import { runSettingsOf } from '../loop/resume-run.ts';
import type { DispatchPorts } from '../queue/dispatcher.ts';
import type { RunStore } from '../store/run-store.ts';

/** Why a task whose run was cancelled from the dashboard waits: a human stopped it. */
const cancelledReason = (runId: string) => `run ${runId} was cancelled in sluice serve`;

/**
 * The dispatcher ports of `sluice serve --work`, with one abort per run so the dashboard can cancel a
 * single run. A run cancelled that way moves its task to `blocked` before the dispatcher settles it,
 * so the dispatcher does not requeue it (it only requeues a task still `running`).
 */
export function cancellablePorts(store: RunStore, ports: DispatchPorts) {
  const controllers = new Map<string, AbortController>();
  const cancelledByUser = new Set<string>();

  const track = async (
    signal: AbortSignal,
    drive: (signal: AbortSignal, onRunId: (runId: string) => void) => Promise<RunSummary>,
  ): Promise<RunSummary> => {
    const own = new AbortController();
    const forward = () => own.abort();
    signal.addEventListener('abort', forward, { once: true });
    let runId = '';
    try {
      const summary = await drive(own.signal, (id) => {
        runId = id;
        controllers.set(id, own);
      });
      const taskId = runSettingsOf(summary.run).taskId;
      if (cancelledByUser.has(summary.run.id) && taskId) {
        await store.queue.moveTask(taskId, ['running'], 'blocked', {
          runId: summary.run.id,
          waitReason: cancelledReason(summary.run.id),
        });
      }
      return summary;
    } finally {
      signal.removeEventListener('abort', forward);
      controllers.delete(runId);
      cancelledByUser.delete(runId);
    }
  };

  const wrapped: DispatchPorts = {
    ...ports,
    startRun: (task, signal, recorded) =>
      track(signal, (own, onRunId) =>
        ports.startRun(task, own, async (runId) => {
          onRunId(runId);
          await recorded(runId);
        }),
      ),
    resumeRun: (runId, signal) =>
      track(signal, (own, onRunId) => {
        onRunId(runId);
        return ports.resumeRun(runId, own);
      }),
  };

  return {
    ports: wrapped,
    /** Abort one run this dispatcher drives; false when it drives no run with this id. */
    cancel(runId: string): boolean {
      const controller = controllers.get(runId);
      if (!controller) return false;
      cancelledByUser.add(runId);
      controller.abort();
      return true;
    },
  };
}
