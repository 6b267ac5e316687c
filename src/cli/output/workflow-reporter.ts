import type { WorkflowOutcome } from '../../workflow/drive-workflow.ts';
import type { WorkflowEvent } from '../../workflow/workflow-ports.ts';
import { commandHint } from './command-hint.ts';
import { writeOut } from './write.ts';

/** Exit code of a workflow command: a parked workflow is neither done nor failed. */
export function workflowExitCode(outcome: WorkflowOutcome): number {
  return { succeeded: 0, failed: 1, cancelled: 130, waiting: waitingExitCode }[outcome.status];
}

/** "Try again later" (EX_TEMPFAIL): the workflow waits for a human; `&&` must not go on as if it passed. */
export const waitingExitCode = 75;

/** Lines for a workflow's steps as they start, finish and park. */
export function createWorkflowReporter(repositoryDir: string) {
  return {
    onEvent(event: WorkflowEvent): void {
      switch (event.type) {
        case 'workflow:start':
          writeOut(`workflow ${event.name} ${event.workflowId}${event.resumed ? ' (resumed)' : ''}`);
          return;
        case 'step:start': {
          const round = event.round > 1 ? ` round ${event.round}` : '';
          const attempt = event.attempt > 1 ? ` (attempt ${event.attempt})` : '';
          writeOut(`step ${event.stepId} [${event.kind}]${round}: started${attempt}`);
          return;
        }
        case 'step:finish':
          if (event.status !== 'waiting') {
            writeOut(`step ${event.stepId}: ${event.status}${event.reason ? ` — ${event.reason}` : ''}`);
          }
          return;
        case 'step:waiting':
          writeOut(`step ${event.stepId}: waiting for approval${event.message ? ` — ${event.message}` : ''}`);
          if (event.material) writeOut(indent(event.material));
          writeOut(
            `  approve: ${commandHint(`approve ${event.workflowId} ${event.stepId}`, repositoryDir)}` +
              `  ·  reject: ${commandHint(`approve ${event.workflowId} ${event.stepId} --reject --reason "..."`, repositoryDir)}`,
          );
          return;
      }
    },

    finished(id: string, outcome: WorkflowOutcome): void {
      if (outcome.status === 'succeeded') {
        const outputs = Object.entries(outcome.outputs).map(([key, value]) => `${key}=${value}`);
        writeOut(`workflow ${id}: succeeded${outputs.length > 0 ? ` (${outputs.join(', ')})` : ''}`);
      } else if (outcome.status === 'waiting') {
        const steps = outcome.waiting.map((entry) => `${entry.workflowId} ${entry.stepId}`).join(', ');
        writeOut(`workflow ${id}: waiting for approval (${steps}); no process stays running`);
      } else {
        writeOut(`workflow ${id}: ${outcome.status} — ${outcome.reason}`);
      }
    },
  };
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `  │ ${line}`.trimEnd())
    .join('\n');
}
