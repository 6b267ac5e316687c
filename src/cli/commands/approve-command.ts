import { parseArgs } from 'node:util';
import { findConfigFile } from '../../config/config-file.ts';
import { SluiceError, UsageError } from '../../errors.ts';
import { approvalMaterial } from '../../workflow/approval-material.ts';
import { recordedShow } from '../../workflow/approve-step.ts';
import { waitingExitCode } from '../output/workflow-reporter.ts';
import { writeOut } from '../output/write.ts';
import { openProjectRunStore } from './open-run-store.ts';
import { existing, resumeWorkflow } from './workflow-command.ts';

const help = `Usage: sluice approve <workflow-run> <step> [--reject --reason "..."] [--show] [-C <dir>]

Decide a workflow's approval step. It prints what is to be approved (the file, diff or report the
step names), records the decision, then drives the workflow on from there in this process.

Options:
      --reject           Reject instead of approving: the step fails (the workflow too, unless the
                         step has continue_on_error and a later step looks at its decision)
      --reason <text>    Why; kept with the decision and available as steps.<id>.outputs.reason
      --show             Only print what is to be approved; decide nothing
      --no-continue      Record the decision; "sluice workflow resume" drives the workflow later
  -C, --dir <path>       Repository folder (default: current folder)

Exit: as "sluice workflow resume": 0 succeeded, 1 failed, ${waitingExitCode} waiting for another approval.`;

/** `sluice approve <workflow-run> <step>`. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      dir: { type: 'string', short: 'C' },
      reject: { type: 'boolean' },
      reason: { type: 'string' },
      show: { type: 'boolean' },
      'no-continue': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    writeOut(help);
    return 0;
  }
  const [workflowId, stepId] = positionals;
  if (!workflowId || !stepId) throw new UsageError('sluice approve needs a workflow run id and a step id');
  const store = await openProjectRunStore(values.dir);
  try {
    const record = await existing(store, workflowId);
    const step = await store.workflows.getStep(record.id, stepId);
    if (step?.kind !== 'approve') {
      throw new UsageError(`workflow run ${record.id} has no approval step "${stepId}"`);
    }
    if (step.status !== 'waiting' || step.decision !== undefined) {
      throw new SluiceError(
        'WORKFLOW_NOT_WAITING',
        `step ${stepId} of ${record.id} is not waiting for a decision (${step.decision ?? step.status})`,
      );
    }
    if (step.outputs.message) writeOut(step.outputs.message);
    const material = await approvalMaterial(record.repoRoot, recordedShow(step));
    if (material) writeOut(material);
    if (values.show) return 0;
    const decision = values.reject ? 'rejected' : 'approved';
    if (!(await store.workflows.decideStep(record.id, stepId, decision, values.reason))) {
      throw new SluiceError('WORKFLOW_NOT_WAITING', `step ${stepId} of ${record.id} was decided by someone else first`);
    }
    writeOut(`step ${stepId} of ${record.id}: ${decision}${values.reason ? ` (${values.reason})` : ''}`);
    if (values['no-continue']) return 0;
    const configPath = findConfigFile(record.configRoot);
    if (!configPath) throw new UsageError(`no sluice.yaml in ${record.configRoot} any more`);
    return await resumeWorkflow(store, configPath, record.id);
  } finally {
    await store.close();
  }
}
