import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseYamlText } from '../config/load-config.ts';
import { ConfigError, SluiceError } from '../errors.ts';
import { ExpressionError, readsItem, referencedSteps } from './expressions.ts';
import { stepOrder, transitiveNeeds } from './workflow-graph.ts';
import { type StepDefinition, type WorkflowDefinition, workflowKeysAt, workflowSchema } from './workflow-schema.ts';

/** A workflow file read and checked: schema, DAG, expressions, nested workflows. */
export interface LoadedWorkflow {
  name: string;
  path: string;
  definition: WorkflowDefinition;
  /** Steps in the order they run (a topological order that keeps the file's order where it can). */
  order: string[];
}

/** `.sluice/workflows` beside sluice.yaml. */
export function workflowsDir(configRoot: string): string {
  return join(configRoot, '.sluice', 'workflows');
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The file of workflow `name`: `<name>.yaml` (or `.yml`). */
export function workflowFile(configRoot: string, name: string): string {
  if (!namePattern.test(name) || name.includes('..')) {
    throw new SluiceError('USAGE', `"${name}" is not a workflow name (letters, digits, "_", "-", ".")`);
  }
  const dir = workflowsDir(configRoot);
  const yml = join(dir, `${name}.yml`);
  return existsSync(yml) && !existsSync(join(dir, `${name}.yaml`)) ? yml : join(dir, `${name}.yaml`);
}

/** Names of the workflow files there are. */
export async function listWorkflowNames(configRoot: string): Promise<string[]> {
  const files = await readdir(workflowsDir(configRoot)).catch(() => [] as string[]);
  return files
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => file.replace(/\.ya?ml$/, ''))
    .sort();
}

/**
 * Read and check workflow `name`, and every workflow it nests (a workflow that nests itself, directly
 * or not, is refused). Every problem is a ConfigError naming the file, and the line where it can.
 */
export async function loadWorkflow(configRoot: string, name: string, nesting: string[] = []): Promise<LoadedWorkflow> {
  if (nesting.includes(name)) {
    throw new ConfigError(`workflow "${name}" nests itself: ${[...nesting, name].join(' -> ')}`);
  }
  const path = workflowFile(configRoot, name);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    const known = await listWorkflowNames(configRoot);
    throw new SluiceError(
      'USAGE',
      `no workflow "${name}" (${path})${known.length > 0 ? `; workflows: ${known.join(', ')}` : ''}`,
    );
  }
  const loaded = parseWorkflowText(text, path, name);
  for (const [, step] of Object.entries(loaded.definition.steps)) {
    if (step.workflow !== undefined) await loadWorkflow(configRoot, step.workflow, [...nesting, name]);
  }
  return loaded;
}

/** Validate a workflow's text; `path` names it in errors. */
export function parseWorkflowText(text: string, path: string, name: string): LoadedWorkflow {
  const definition = parseYamlText(text, path, workflowSchema, { what: 'workflow', knownKeysAt: workflowKeysAt });
  const problems: string[] = [];
  const ids = Object.keys(definition.steps);
  for (const [id, step] of Object.entries(definition.steps)) {
    for (const needed of step.needs) {
      if (!Object.hasOwn(definition.steps, needed)) problems.push(`step "${id}" needs "${needed}", which is no step`);
      if (needed === id) problems.push(`step "${id}" needs itself`);
    }
    const reviewed = step.review ? definition.steps[step.review.of] : undefined;
    if (step.review && reviewed?.agent === undefined) {
      problems.push(
        `steps.${id}.review.of: "${step.review.of}" is not an agent step; a review judges an agent's change`,
      );
    }
    const proposed = step.pull_request ? definition.steps[step.pull_request.of] : undefined;
    if (step.pull_request && proposed?.agent === undefined) {
      problems.push(`steps.${id}.pull_request.of: "${step.pull_request.of}" is not an agent step`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`invalid workflow ${path}\n${problems.join('\n')}`);
  const order = stepOrder(definition.steps, path);
  for (const id of ids) {
    const step = definition.steps[id] as StepDefinition;
    const before = transitiveNeeds(definition.steps, id);
    for (const [field, text] of expressionFields(step)) {
      try {
        if (readsItem(text, field === 'if') && !(step.for_each !== undefined && field.startsWith('agent.'))) {
          problems.push(`steps.${id}.${field}: reads item.<key>, which only the agent of a for_each step has`);
        }
        for (const used of referencedSteps(text, field === 'if')) {
          // An `until` condition is evaluated after its own round: it may read this step's outputs.
          if (!before.has(used) && !(field === 'until.run' && used === id)) {
            problems.push(
              `steps.${id}.${field}: reads step "${used}", which is not in its needs (add it to needs, so it runs first)`,
            );
          }
        }
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        problems.push(`steps.${id}.${field}: ${error.message}`);
      }
    }
  }
  for (const [key, text] of Object.entries(definition.outputs)) {
    try {
      for (const used of referencedSteps(text)) {
        if (!ids.includes(used)) problems.push(`outputs.${key}: no step "${used}"`);
      }
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      problems.push(`outputs.${key}: ${error.message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`invalid workflow ${path}\n${problems.join('\n')}`);
  return { name, path, definition, order };
}

/** Every string of a step that may hold expressions, with where it is. */
export function expressionFields(step: StepDefinition): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  const add = (field: string, value: string | undefined) => {
    if (value !== undefined) fields.push([field, value]);
  };
  add('if', step.if);
  add('run', step.run);
  add('cwd', step.cwd);
  for (const [key, value] of Object.entries(step.env)) add(`env.${key}`, value);
  for (const [key, value] of Object.entries(step.with)) add(`with.${key}`, value);
  if (step.agent) {
    add('agent.goal', step.agent.goal);
    add('agent.model', step.agent.model);
    add('agent.base', step.agent.base);
    add('agent.plan', step.agent.plan);
    add('agent.command', step.agent.command);
    for (const [index, command] of step.agent.accept.entries()) add(`agent.accept.${index}`, command);
  }
  if (step.check && typeof step.check === 'object' && !Array.isArray(step.check))
    add('check.commit', step.check.commit);
  if (step.approve) {
    add('approve.message', step.approve.message);
    const show = step.approve.show;
    if (show) add('approve.show', 'file' in show ? show.file : 'diff' in show ? show.diff : show.report);
  }
  if (step.until && 'run' in step.until) add('until.run', step.until.run);
  add('review.since', step.review?.since);
  add('pull_request.base', step.pull_request?.base);
  add('pull_request.title', step.pull_request?.title);
  add('for_each.items', step.for_each?.items);
  add('for_each.escalate_model', step.for_each?.escalate_model);
  return fields;
}
