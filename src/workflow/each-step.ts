import { mkdir } from 'node:fs/promises';
import type { RunStore } from '../store/run-store.ts';
import type { StepRecord, WorkflowRunRecord } from '../store/workflow-records.ts';
import { runAgentBody } from './agent-step.ts';
import { type ExpressionContext, substitute } from './expressions.ts';
import { workflowRunDir } from './run-step.ts';
import { StepError } from './step-error.ts';
import type { StepResult, WorkflowDriver } from './workflow-ports.ts';
import type { AgentStepDefinition, StepDefinition } from './workflow-schema.ts';

/** One item of a `for_each` list: strings read as `item.<key>`, and acceptance commands of its own. */
interface EachItem {
  fields: Record<string, string>;
  accept: string[];
}

/**
 * An agent step run once per item of `for_each.items`, in order, each run fresh and started from the
 * branch the item before ended on, so the items build one change. An item whose run ends without
 * `done` is run once more, fresh, with `escalate_model` when there is one; otherwise the step fails.
 *
 * Durable like an `until` loop: `round` counts the runs (each run's marker names its round), and the
 * item index, the branch to start from and each item's result are in the step's outputs, committed
 * before the next run acts. A run Sluice was killed in is continued, never started twice.
 */
export async function eachStep(
  driver: WorkflowDriver,
  workflow: WorkflowRunRecord,
  stepId: string,
  step: StepDefinition,
  previous: StepRecord | undefined,
  context: ExpressionContext,
): Promise<StepResult> {
  const { store } = driver;
  const forEach = step.for_each;
  const agent = step.agent;
  if (!forEach || !agent) throw new StepError(`step ${stepId} is no for_each agent step`);
  await mkdir(workflowRunDir(workflow.configRoot, workflow.id), { recursive: true });
  const itemsText = previous?.outputs.items_json ?? substitute(forEach.items, context);
  const items = parseItems(itemsText, stepId);
  let outputs: Record<string, string> = previous?.outputs ?? { items_json: itemsText, items: String(items.length) };
  let index = Number(outputs.item_index ?? '0');
  let round = previous?.round ?? 1;
  let runId = previous?.status === 'running' ? previous.runId : undefined;
  let resuming = previous?.status === 'running';
  const escalateModel = forEach.escalate_model ? substitute(forEach.escalate_model, context) : undefined;
  while (index < items.length) {
    const item = items[index] as EachItem;
    const number = index + 1;
    const escalated = outputs.escalated === 'yes';
    const started = await store.workflows.startStep(workflow.id, stepId, 'agent', round);
    driver.onEvent?.({
      type: 'step:start',
      workflowId: workflow.id,
      stepId,
      kind: 'agent',
      round,
      attempt: started.attempt,
    });
    const itemContext: ExpressionContext = { ...context, item: { ...item.fields, number: String(number) } };
    const model = escalated ? escalateModel : agent.model ? substitute(agent.model, itemContext) : undefined;
    const base = index === 0 ? agent.base : outputs.next_base;
    const body = await runAgentBody({
      store,
      ports: driver.ports,
      signal: driver.signal,
      workflowId: workflow.id,
      stepId,
      agent: withRunSettings(agent, model, base),
      context: itemContext,
      runId,
      interrupted: resuming,
      round,
      feedback: outputs.escalate_feedback ?? '',
      extraAccept: item.accept,
    });
    resuming = false;
    runId = undefined;
    if (driver.signal.aborted || body.reason === 'cancelled') {
      await store.workflows.updateStep(workflow.id, stepId, { status: 'cancelled', outputs, reason: 'cancelled' });
      return { status: 'cancelled', outputs, reason: 'cancelled' };
    }
    const ran = body.outputs.run_id;
    outputs = { ...outputs, ...body.outputs, ...(await itemRecord(store, number, ran, model, body.outputs.verdict)) };
    delete outputs.escalate_feedback;
    const label = `item ${number}${item.fields.title ? ` (${item.fields.title})` : ''}`;
    if (body.passed && ran) {
      index++;
      outputs = { ...outputs, item_index: String(index), next_base: body.outputs.branch ?? '', escalated: 'no' };
    } else if (ran && escalateModel && !escalated && model !== escalateModel) {
      outputs = {
        ...outputs,
        escalated: 'yes',
        escalate_feedback: `A run of this item with model ${model ?? '(default)'} ended ${body.outputs.verdict}: ${body.outputs.reason}. Start again from the branch as it is.`,
      };
    } else {
      const reason = `${label}: ${body.reason ?? 'no run was started'}`;
      await store.workflows.updateStep(workflow.id, stepId, { status: 'failed', outputs, reason });
      return { status: 'failed', outputs, reason };
    }
    round++;
    // The next run is recorded before it acts: a crash now resumes there, with a fresh run.
    await store.workflows.updateStep(workflow.id, stepId, { round, runId: null, outputs });
  }
  await store.workflows.updateStep(workflow.id, stepId, { status: 'succeeded', outputs, reason: null });
  return { status: 'succeeded', outputs };
}

function withRunSettings(
  agent: AgentStepDefinition,
  model: string | undefined,
  base: string | undefined,
): AgentStepDefinition {
  const { model: _model, base: _base, ...rest } = agent;
  return { ...rest, ...(model ? { model } : {}), ...(base ? { base } : {}) };
}

/** What `workflow show` lists of an item: its run, model, verdict, cost and tokens. */
async function itemRecord(
  store: RunStore,
  number: number,
  runId: string | undefined,
  model: string | undefined,
  verdict: string | undefined,
): Promise<Record<string, string>> {
  if (!runId) return {};
  const usage = await store.runUsage(runId);
  const known = usage.every((entry) => entry.costUsd !== null);
  const cost = usage.reduce((sum, entry) => sum + (entry.costUsd ?? 0), 0);
  const tokens = usage.reduce((sum, entry) => sum + entry.inputTokens + entry.outputTokens, 0);
  const run = await store.getRun(runId);
  return {
    [`item_${number}_run_id`]: runId,
    [`item_${number}_model`]: run?.model ?? model ?? '(default)',
    [`item_${number}_verdict`]: verdict ?? '',
    [`item_${number}_cost_usd`]: known ? cost.toFixed(4) : 'unknown',
    [`item_${number}_tokens`]: String(tokens),
  };
}

/** `for_each.items` resolved: a JSON array of objects of strings (and `accept`, an array of commands). */
function parseItems(text: string, stepId: string): EachItem[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new StepError(`steps.${stepId}.for_each.items is not a JSON array: ${text.slice(0, 80)}`);
  }
  if (!Array.isArray(parsed)) throw new StepError(`steps.${stepId}.for_each.items is not a JSON array`);
  return parsed.map((entry, index) => {
    const where = `steps.${stepId}.for_each.items[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new StepError(`${where} is not an object`);
    }
    const fields: Record<string, string> = {};
    let accept: string[] = [];
    for (const [key, value] of Object.entries(entry)) {
      if (key === 'accept') {
        if (!Array.isArray(value) || !value.every((command) => typeof command === 'string' && command.length > 0)) {
          throw new StepError(`${where}.accept is not an array of commands`);
        }
        accept = value as string[];
      } else if (typeof value === 'string' && key !== '__proto__') {
        fields[key] = value;
      } else if (typeof value !== 'string') {
        throw new StepError(`${where}.${key} is not a string`);
      }
    }
    return { fields, accept };
  });
}
