import { appendFile, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { findConfigFile } from '../../config/config-file.ts';
import { UsageError } from '../../errors.ts';
import { ejectBuiltinWorkflow } from '../../workflow/builtin-workflows.ts';
import { startWorkflow } from '../../workflow/drive-workflow.ts';
import { checkPlan, phaseItems } from '../../workflow/plan-file.ts';
import { repoRootOf } from '../../workspace/repo-root.ts';
import { repositoryDirFlag } from '../command-declaration.ts';
import { declareCommand } from '../declare-command.ts';
import { createWorkflowReporter, waitingExitCode, workflowExitCode } from '../output/workflow-reporter.ts';
import { writeOut } from '../output/write.ts';
import { createWorkflowPorts } from '../workflow-ports.ts';
import { withInterruptSignal } from './interrupt.ts';
import { openProjectRunStore } from './open-run-store.ts';

/** `sluice plan ...`. */
export const command = declareCommand({
  name: 'plan',
  description: `Usage: sluice plan "<goal>" [--spec SPEC.md] [options]
       sluice plan --eject [--force]
       sluice plan check <plan.md> [--cheap-model M] [--strong-model M]

Runs the workflow .sluice/workflows/plan.yaml (the built-in one is copied there on first use): an
agent writes plans/<slug>.md, code checks its shape, a reviewer agent judges the approach, you approve
it ("sluice approve"), then each phase runs as a fresh agent run on the same line of commits, then
every gate and a review of the whole change. See docs/workflows.md.`,
  flags: {
    spec: {
      type: 'string',
      placeholder: 'file',
      description: 'A spec the plan follows (its text is given to the planner)',
    },
    slug: { type: 'string', placeholder: 'name', description: "The plan's file name (default: from the goal)" },
    'cheap-model': { type: 'string', placeholder: 'id', description: "Model of the phases (default: the agent's)" },
    'strong-model': {
      type: 'string',
      placeholder: 'id',
      description: 'Model of the plan, of phases marked [hard], and of a phase the cheap one failed',
    },
    eject: {
      type: 'boolean',
      description: 'Only copy the built-in workflow to .sluice/workflows/plan.yaml (to change it)',
    },
    force: { type: 'boolean', description: 'With --eject: overwrite the copy there' },
    dir: repositoryDirFlag,
  },
  positionals: { placeholder: 'goal', description: 'What to plan, in quotes; or "check <plan.md>"' },
  notes: `"plan check" prints what is wrong with a plan file (exit 1), or its phases; in a workflow step it
writes them to $SLUICE_OUTPUTS as "phases" (JSON), each with the model it runs with.
Exit: 0 succeeded, 1 failed, 2 usage, ${waitingExitCode} waiting for approval, 130 cancelled.`,
  async run(values, positionals) {
    const models = { cheap: values['cheap-model'] || undefined, strong: values['strong-model'] || undefined };
    if (positionals[0] === 'check' && positionals.length === 2) return check(positionals[1] as string, models);
    const configPath = findConfigFile(resolve(values.dir ?? '.'));
    if (!configPath) throw new UsageError('no sluice.yaml here or above; run "sluice init" first');
    const configRoot = dirname(configPath);
    if (values.eject) {
      const ejected = await ejectBuiltinWorkflow(configRoot, 'plan', { force: values.force === true });
      writeOut(
        ejected.written
          ? `wrote ${ejected.path}: change it as you like; "sluice plan" runs it`
          : `${ejected.path} is there already (--force overwrites it)`,
      );
      return 0;
    }
    const goal = positionals.join(' ').trim();
    if (goal === '') throw new UsageError('sluice plan needs a goal: sluice plan "<goal>"');
    const spec = values.spec ? await readSpec(resolve(values.spec)) : '';
    const slug = values.slug ?? slugOf(goal);
    if (!/^[a-z0-9][a-z0-9-]*$/.test(slug))
      throw new UsageError(`--slug: "${slug}" is not lowercase letters, digits and "-"`);
    const ejected = await ejectBuiltinWorkflow(configRoot, 'plan');
    if (ejected.written) writeOut(`wrote the built-in plan workflow to ${ejected.path} (change it as you like)`);
    const store = await openProjectRunStore(values.dir);
    try {
      return await withInterruptSignal(async (signal) => {
        const reporter = createWorkflowReporter(configRoot);
        const { id, outcome } = await startWorkflow(
          { store, ports: createWorkflowPorts(store, configPath), signal, onEvent: reporter.onEvent },
          {
            repoRoot: await repoRootOf(configRoot),
            configRoot,
            name: 'plan',
            inputs: {
              goal,
              slug,
              ...(spec ? { spec: `The spec to follow:\n${spec}` } : {}),
              ...(models.cheap ? { cheap_model: models.cheap } : {}),
              ...(models.strong ? { strong_model: models.strong } : {}),
            },
          },
        );
        reporter.finished(id, outcome);
        return workflowExitCode(outcome);
      });
    } finally {
      await store.close();
    }
  },
});

export const run = command.run;

/** Check a plan file; on stdout what is wrong (an until loop hands stdout back to the writer). */
async function check(file: string, models: { cheap?: string | undefined; strong?: string | undefined }) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    writeOut(`${file}: there is no plan file; write it there`);
    return 1;
  }
  const result = checkPlan(text);
  if (!result.ok) {
    writeOut(`${file} is not a plan Sluice can run:\n${result.problems.map((line) => `  ${line}`).join('\n')}`);
    return 1;
  }
  const items = phaseItems(result.phases, models);
  for (const [index, phase] of result.phases.entries()) {
    const model = items[index]?.model || '(default model)';
    writeOut(
      `phase ${phase.number}: ${phase.title}${phase.hard ? ' [hard]' : ''} — ${model}, proof: ${phase.proof.join('; ')}`,
    );
  }
  const outputs = process.env.SLUICE_OUTPUTS;
  if (outputs) await appendFile(outputs, `phases=${JSON.stringify(items)}\n`);
  return 0;
}

async function readSpec(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`--spec: cannot read ${path}`);
  }
}

function slugOf(goal: string): string {
  const slug = goal
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return slug || 'plan';
}
