import { formatMinutes } from '../../queue/admission.ts';
import { readAdmissionState } from '../../queue/admission-state.ts';
import type { TaskRecord } from '../../store/task-records.ts';
import { repositoryDirFlag } from '../command-declaration.ts';
import { declareCommand } from '../declare-command.ts';
import { writeOut } from '../output/write.ts';
import { openProjectRunStore } from './open-run-store.ts';
import { loadProjectConfig } from './project-config.ts';

const order: Record<TaskRecord['status'], number> = {
  running: 0,
  rework: 1,
  review: 2,
  queued: 3,
  blocked: 4,
  landed: 5,
  rejected: 6,
};

/** `sluice status`: the queue at a glance. */
export const command = declareCommand({
  name: 'status',
  description:
    "Every task with its state (queued, running, review, rework, landed, rejected, blocked) and, for the\nones waiting, why; the runs in flight; the review queue against the reviewers' capacity.",
  flags: {
    dir: repositoryDirFlag,
    json: { type: 'boolean', description: 'Print machine-readable output only' },
  },
  async run(values) {
    const config = await loadProjectConfig(values.dir);
    const store = await openProjectRunStore(values.dir);
    try {
      const tasks = (await store.queue.listTasks()).sort((a, b) => order[a.status] - order[b.status]);
      const running = tasks.filter((task) => task.status === 'running').length;
      const state = await readAdmissionState(store, {
        running,
        now: new Date(),
        ...(config.review.capacity_minutes_per_day !== undefined
          ? { capacityMinutesPerDay: config.review.capacity_minutes_per_day }
          : {}),
      });
      const waitingItems = await store.queue.listReviewItems(['waiting']);
      const workflows = await store.workflows.listRuns({ statuses: ['running', 'waiting'], topLevel: true });
      const limit = (state.capacity.minutesPerDay * config.review.target_latency) / 86_400_000;
      if (values.json) {
        writeOut(
          JSON.stringify(
            {
              review: {
                waiting: waitingItems.length,
                waiting_minutes: state.reviewWaitingMinutes,
                in_flight_minutes: running * state.expectedRunMinutes,
                limit_minutes: limit,
                capacity: state.capacity,
                calibration: state.calibration ?? null,
              },
              runs_in_flight: running,
              tasks,
              workflows: workflows.map(({ definition: _definition, ...workflow }) => workflow),
            },
            null,
            2,
          ),
        );
        return 0;
      }
      writeOut(
        `review queue: ${waitingItems.length} change${waitingItems.length === 1 ? '' : 's'}, ${formatMinutes(state.reviewWaitingMinutes)} waiting` +
          ` + ${formatMinutes(running * state.expectedRunMinutes)} expected from ${running} run${running === 1 ? '' : 's'} in flight` +
          ` · limit ${formatMinutes(limit)} (capacity ${state.capacity.explanation})`,
      );
      if (state.calibration) writeOut(`review time: ${state.calibration.sentence}`);
      if (tasks.length === 0) writeOut('no tasks: sluice add "<goal>"');
      for (const task of tasks) writeOut(taskLine(task));
      for (const workflow of workflows) {
        writeOut(
          `workflow ${workflow.id}  ${workflow.status.padEnd(8)} ${workflow.name}${workflow.reason ? ` — ${workflow.reason}` : ''}`,
        );
      }
      return 0;
    } finally {
      await store.close();
    }
  },
});

export const run = command.run;

function taskLine(task: TaskRecord): string {
  const run = task.runId ? ` run ${task.runId}` : '';
  const why = task.waitReason ? ` — ${task.waitReason}` : '';
  return `${task.id}  ${task.status.padEnd(8)} ${task.goal}${run}${why}`;
}
