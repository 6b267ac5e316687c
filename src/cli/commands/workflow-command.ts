import { dirname, resolve } from 'node:path';
import { findConfigFile } from '../../config/config-file.ts';
import { SluiceError, UsageError } from '../../errors.ts';
import type { RunStore } from '../../store/run-store.ts';
import type { WorkflowRunRecord } from '../../store/workflow-records.ts';
import { driveWorkflow, familyOf, rootWorkflowOf, startWorkflow } from '../../workflow/drive-workflow.ts';
import { listWorkflowNames } from '../../workflow/workflow-file.ts';
import { parseInputFlags } from '../../workflow/workflow-inputs.ts';
import { workflowJsonSchema } from '../../workflow/workflow-schema.ts';
import { repoRootOf } from '../../workspace/repo-root.ts';
import { repositoryDirFlag } from '../command-declaration.ts';
import { type DeclaredCommand, declareCommand, declareFlags, type FlagValues } from '../declare-command.ts';
import { createWorkflowReporter, waitingExitCode, workflowExitCode } from '../output/workflow-reporter.ts';
import { writeOut } from '../output/write.ts';
import { createWorkflowPorts } from '../workflow-ports.ts';
import { withInterruptSignal } from './interrupt.ts';
import { openProjectRunStore } from './open-run-store.ts';
import { describeWorkflowRun } from './workflow-show.ts';

const workflowFlags = declareFlags({
  dir: repositoryDirFlag,
  input: {
    type: 'string',
    placeholder: 'k=v',
    multiple: true,
    description: 'run: an input of the workflow (repeatable)',
  },
  json: { type: 'boolean', description: 'show: as JSON' },
});
type WorkflowFlags = FlagValues<typeof workflowFlags>;

/** `sluice workflow ...`. */
export const command: DeclaredCommand = declareCommand({
  name: 'workflow',
  description: `  run <name> [--input k=v]...   Run .sluice/workflows/<name>.yaml
  list                          The workflow files, and workflow runs newest first
  show <id>                     A workflow run: each step, its status, outputs and reason
  resume <id>                   Continue a workflow run Sluice was stopped in (kill -9, a crash)
  cancel <id>                   Cancel a workflow run (and the workflows it nests)
  schema                        Print the JSON Schema of workflow files`,
  flags: workflowFlags,
  positionals: {
    placeholder: 'command',
    description: 'run <name> | list | show <id> | resume <id> | cancel <id> | schema',
  },
  notes: `Every step's start and result are in the store before the next step acts. A workflow waiting for
"sluice approve" is parked: no process stays running. See docs/workflows.md.
Exit: 0 succeeded, 1 failed, 2 usage or workflow file error, ${waitingExitCode} waiting for approval, 130 cancelled.`,
  run: workflow,
});

export const run = command.run;

async function workflow(values: WorkflowFlags, positionals: string[]): Promise<number> {
  const [sub, target] = positionals;
  if (sub === undefined) {
    writeOut(await command.help());
    return 2;
  }
  if (sub === 'schema') {
    writeOut(JSON.stringify(workflowJsonSchema(), null, 2));
    return 0;
  }
  const configPath = findConfigFile(resolve(values.dir ?? '.'));
  if (!configPath) throw new UsageError('no sluice.yaml here or above; run "sluice init" first');
  const configRoot = dirname(configPath);
  if (sub === 'list') return list(values.dir, configRoot);
  if (!target)
    throw new UsageError(`sluice workflow ${sub} needs ${sub === 'run' ? 'a workflow name' : 'a workflow run id'}`);
  const store = await openProjectRunStore(values.dir);
  try {
    switch (sub) {
      case 'run':
        return await withInterruptSignal(async (signal) => {
          const reporter = createWorkflowReporter(configRoot);
          const { id, outcome } = await startWorkflow(
            { store, ports: createWorkflowPorts(store, configPath), signal, onEvent: reporter.onEvent },
            {
              repoRoot: await repoRootOf(configRoot),
              configRoot,
              name: target,
              inputs: parseInputFlags(values.input ?? []),
            },
          );
          reporter.finished(id, outcome);
          return workflowExitCode(outcome);
        });
      case 'resume':
        return await resumeWorkflow(store, configPath, target);
      case 'show':
        writeOut(await describeWorkflowRun(store, await existing(store, target), values.json === true));
        return 0;
      case 'cancel':
        return await cancel(store, await existing(store, target));
      default:
        throw new UsageError(`unknown workflow command "${sub}"; run, list, show, resume, cancel or schema`);
    }
  } finally {
    await store.close();
  }
}

/** Drive the outermost workflow of `id` on from where it stands (also what `sluice approve` does). */
export async function resumeWorkflow(store: RunStore, configPath: string, id: string): Promise<number> {
  const root = await rootWorkflowOf(store, (await existing(store, id)).id);
  if (!root) throw new SluiceError('RUN_NOT_FOUND', `no workflow run ${id}`);
  if (root.status === 'succeeded' || root.status === 'failed' || root.status === 'cancelled') {
    throw new UsageError(
      `workflow run ${root.id} already ended: ${root.status}${root.reason ? ` (${root.reason})` : ''}`,
    );
  }
  return withInterruptSignal(async (signal) => {
    const reporter = createWorkflowReporter(root.configRoot);
    const outcome = await driveWorkflow(
      { store, ports: createWorkflowPorts(store, configPath), signal, onEvent: reporter.onEvent },
      root.id,
    );
    reporter.finished(root.id, outcome);
    return workflowExitCode(outcome);
  });
}

export async function existing(store: RunStore, id: string): Promise<WorkflowRunRecord> {
  const found = await store.workflows.getRun(id);
  if (!found) throw new SluiceError('RUN_NOT_FOUND', `no workflow run ${id}; "sluice workflow list" lists them`);
  return found;
}

async function list(dir: string | undefined, configRoot: string): Promise<number> {
  const names = await listWorkflowNames(configRoot);
  writeOut(names.length > 0 ? `workflows: ${names.join(', ')}` : 'no workflows in .sluice/workflows');
  const store = await openProjectRunStore(dir);
  try {
    for (const record of await store.workflows.listRuns({ limit: 50 })) {
      const nested = record.parentId ? `  (in ${record.parentId})` : '';
      writeOut(`${record.id}  ${record.status}  ${record.name}${record.reason ? `  ${record.reason}` : ''}${nested}`);
    }
  } finally {
    await store.close();
  }
  return 0;
}

/** Cancel the run and every unfinished workflow nested in it; a process driving one stops before its next step. */
async function cancel(store: RunStore, record: WorkflowRunRecord): Promise<number> {
  const root = (await rootWorkflowOf(store, record.id)) ?? record;
  const family = familyOf(root.id, await store.workflows.listRuns()).map((run) => run.id);
  let cancelled = 0;
  for (const id of family) {
    if (await store.workflows.setRunStatus(id, 'cancelled', 'cancelled by sluice workflow cancel')) cancelled++;
    for (const step of await store.workflows.listSteps(id)) {
      if (step.status === 'waiting')
        await store.workflows.updateStep(id, step.stepId, { status: 'cancelled', reason: 'cancelled' });
    }
  }
  if (cancelled === 0) throw new UsageError(`workflow run ${root.id} already ended: ${root.status}`);
  writeOut(`workflow ${root.id}: cancelled`);
  return 0;
}
