import { findConfigFile } from '../../config/config-file.ts';
import { SluiceError, UsageError } from '../../errors.ts';
import { approvalMaterial } from '../../workflow/approval-material.ts';
import { decideApproval, recordedShow } from '../../workflow/approve-step.ts';
import { repositoryDirFlag } from '../command-declaration.ts';
import { declareCommand } from '../declare-command.ts';
import { waitingExitCode } from '../output/workflow-reporter.ts';
import { writeOut } from '../output/write.ts';
import { openProjectRunStore } from './open-run-store.ts';
import { existing, resumeWorkflow } from './workflow-command.ts';

/** `sluice approve <workflow-run> <step>`. */
export const command = declareCommand({
  name: 'approve',
  description: `Usage: sluice approve <workflow-run> <step> [--reject --reason "..."] [--show] [-C <dir>]

Decide a workflow's approval step. It prints what is to be approved (the file, diff or report the
step names), records the decision, then drives the workflow on from there in this process.`,
  flags: {
    reject: {
      type: 'boolean',
      description:
        'Reject instead of approving: the step fails (the workflow too, unless the step has continue_on_error and a later step looks at its decision)',
    },
    reason: {
      type: 'string',
      placeholder: 'text',
      description: 'Why; kept with the decision and available as steps.<id>.outputs.reason',
    },
    show: { type: 'boolean', description: 'Only print what is to be approved; decide nothing' },
    'no-continue': {
      type: 'boolean',
      description: 'Record the decision; "sluice workflow resume" drives the workflow later',
    },
    dir: repositoryDirFlag,
  },
  positionals: { placeholder: 'workflow-run step', description: 'The workflow run id and the id of its approval step' },
  notes: `Exit: as "sluice workflow resume": 0 succeeded, 1 failed, ${waitingExitCode} waiting for another approval.`,
  async run(values, positionals) {
    const [workflowId, stepId] = positionals;
    if (!workflowId || !stepId)
      throw new UsageError(
        'sluice approve needs a workflow run id and a step id; "sluice workflow list" shows the workflow runs and their state',
      );
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
      const decided = await decideApproval(store, {
        workflowId: record.id,
        stepId,
        decision,
        ...(values.reason ? { reason: values.reason } : {}),
      });
      if (decided.status === 'refused') {
        if (decided.refusal === 'unknown') throw new UsageError(decided.message);
        if (decided.refusal !== 'expired') throw new SluiceError('WORKFLOW_NOT_WAITING', decided.message);
        // Too late: say so, and let the workflow record the expiry (it fails, exit 1), as a resume would.
        writeOut(decided.message);
        return await resumeWorkflow(store, requireConfig(record.configRoot), record.id);
      }
      writeOut(`step ${stepId} of ${record.id}: ${decision}${values.reason ? ` (${values.reason})` : ''}`);
      if (values['no-continue']) return 0;
      return await resumeWorkflow(store, requireConfig(record.configRoot), record.id);
    } finally {
      await store.close();
    }
  },
});

export const run = command.run;

function requireConfig(configRoot: string): string {
  const configPath = findConfigFile(configRoot);
  if (!configPath) throw new UsageError(`no sluice.yaml in ${configRoot} any more`);
  return configPath;
}
