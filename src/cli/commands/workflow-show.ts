import type { RunStore } from '../../store/run-store.ts';
import type { StepRecord, WorkflowRunRecord } from '../../store/workflow-records.ts';
import { approvalMaterial } from '../../workflow/approval-material.ts';
import { recordedShow } from '../../workflow/approve-step.ts';
import { stepOrder } from '../../workflow/workflow-graph.ts';
import type { WorkflowDefinition } from '../../workflow/workflow-schema.ts';
import { commandHint } from '../output/command-hint.ts';

/** `sluice workflow show`: the run, then each step of its definition in order (or as JSON). */
export async function describeWorkflowRun(store: RunStore, record: WorkflowRunRecord, json: boolean): Promise<string> {
  const steps = new Map((await store.workflows.listSteps(record.id)).map((step) => [step.stepId, step]));
  const definition = record.definition as WorkflowDefinition;
  const order = stepOrder(definition.steps, record.name);
  if (json) {
    const { definition: _definition, ...rest } = record;
    return JSON.stringify(
      { ...rest, steps: order.map((id) => steps.get(id) ?? { stepId: id, status: 'pending' }) },
      null,
      2,
    );
  }
  const lines = [
    `workflow ${record.name} ${record.id}: ${record.status}${record.reason ? ` — ${record.reason}` : ''}`,
    ...(record.parentId ? [`nested in ${record.parentId} (step ${record.parentStep})`] : []),
    ...(Object.keys(record.inputs).length > 0
      ? [
          `inputs: ${Object.entries(record.inputs)
            .map(([key, value]) => `${key}=${value}`)
            .join(', ')}`,
        ]
      : []),
  ];
  for (const id of order) {
    const step = steps.get(id);
    if (!step) {
      lines.push(`  ${id}: pending`);
      continue;
    }
    lines.push(`  ${stepLine(step)}`);
    for (const [key, value] of Object.entries(step.outputs)) {
      if (key === 'stdout' || key === 'feedback' || key === 'until_feedback') continue;
      lines.push(`      ${key}=${oneLine(value)}`);
    }
    if (step.status === 'waiting' && step.kind === 'approve') {
      const material = await approvalMaterial(record.repoRoot, recordedShow(step));
      if (material)
        lines.push(
          ...material
            .trimEnd()
            .split('\n')
            .map((line) => `      │ ${line}`.trimEnd()),
        );
      lines.push(`      approve: ${commandHint(`approve ${record.id} ${id}`, record.repoRoot)}`);
    }
  }
  return lines.join('\n');
}

function stepLine(step: StepRecord): string {
  const extra = [
    step.round > 1 ? `round ${step.round}` : '',
    step.attempt > 1 ? `attempt ${step.attempt}` : '',
    step.runId ? `run ${step.runId}` : '',
    step.childId ? `workflow ${step.childId}` : '',
    step.decision ? `${step.decision}${step.decisionReason ? `: ${step.decisionReason}` : ''}` : '',
  ].filter(Boolean);
  return `${step.stepId} [${step.kind}]: ${step.status}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}${step.reason ? ` — ${step.reason}` : ''}`;
}

function oneLine(value: string): string {
  const first = value.split('\n')[0] ?? '';
  return first.length > 120 || value.includes('\n') ? `${first.slice(0, 120)}…` : first;
}
