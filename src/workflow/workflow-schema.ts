import { z } from 'zod';
import { durationSchema } from '../config/duration.ts';
import { agentNames } from '../config/run-schema.ts';

// A workflow file, `.sluice/workflows/<name>.yaml`. Strings may hold `${{ ... }}` expressions
// (expressions.ts), resolved when the step starts; numbers, flags and names never do.

const stepId = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'a step id is letters, digits, "_" and "-", starting with a letter or "_"');

const untilSchema = z
  .union([
    z.strictObject({
      check: z
        .union([z.literal('all'), z.array(z.string().min(1)).min(1)])
        .describe('Gates of sluice.yaml that must pass ("all" for every gate).'),
    }),
    z.strictObject({ run: z.string().min(1).describe('A shell command that must exit 0.') }),
  ])
  .describe('Repeat the step until this machine condition holds: a gate set passes or a command succeeds.');

const showSchema = z
  .union([
    z.strictObject({ file: z.string().min(1).describe('A file to show, relative to the repository root.') }),
    z.strictObject({ diff: z.string().min(1).describe('What `git diff` is given, e.g. "main...sluice/<run>".') }),
    z.strictObject({ report: z.string().min(1).describe('A report file (a run evidence.md, a plan).') }),
  ])
  .describe('What the human approves.');

const agentStepSchema = z
  .strictObject({
    goal: z.string().min(1).describe('The goal, as `sluice run "<goal>"`.'),
    accept: z.array(z.string().min(1)).default([]).describe('Acceptance commands, as --accept.'),
    agent: z.enum(agentNames).optional().describe('Agent (default: sluice.yaml agent.name).'),
    command: z.string().min(1).optional().describe('For agent `command`: the command, as --agent-command.'),
    prompt_via: z.enum(['argument', 'stdin', 'file']).optional(),
    model: z.string().min(1).optional(),
    base: z.string().min(1).optional().describe('Ref the run starts from (default: HEAD of the repository).'),
    max_iterations: z.number().int().positive().optional(),
    max_time: durationSchema.optional(),
    max_usd: z.number().positive().optional(),
    max_tokens: z.number().int().positive().optional(),
    plan: z.string().min(1).optional().describe('A Markdown checklist the agent keeps, as --plan.'),
    session: z.boolean().optional().describe('Keep one agent session across iterations, as --session.'),
  })
  .describe('An agent loop exactly like `sluice run`: done only on the machine verdict.');

export const defaultRubric = ['correctness', 'tests', 'types', 'scope', 'simplicity'] as const;

const reviewStepSchema = z
  .strictObject({
    of: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/)
      .describe('The agent step whose change is reviewed (it must be in needs).'),
    agent: z.enum(agentNames).optional().describe('Reviewer agent (default: sluice.yaml agent.name).'),
    command: z.string().min(1).optional().describe('For agent `command`: the reviewer command.'),
    prompt_via: z.enum(['argument', 'stdin', 'file']).optional(),
    model: z.string().min(1).optional(),
    since: z
      .string()
      .min(1)
      .optional()
      .describe(
        "The commit or branch the reviewed diff starts from (default: the reviewed run's base); for a whole change of several runs.",
      ),
    rubric: z
      .array(z.string().min(1))
      .min(1)
      .default([...defaultRubric])
      .describe('What the reviewer judges.'),
    rounds: z
      .number()
      .int()
      .positive()
      .max(20)
      .default(3)
      .describe('Most reviews; blocking findings between them go back to the writing agent.'),
    asks: z
      .number()
      .int()
      .positive()
      .max(5)
      .default(2)
      .describe('Times the reviewer is asked again when its answer is not valid JSON of the schema.'),
  })
  .describe('A reviewer agent that did not write the change judges it; it cannot make a red gate green.');

const pullRequestStepSchema = z
  .strictObject({
    of: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/)
      .describe('The agent step whose branch is proposed (it must be in needs).'),
    base: z.string().min(1).default('main').describe('The branch the pull request goes onto.'),
    title: z.string().min(1).optional().describe("The pull request's title (default: the run's goal)."),
    poll: durationSchema.prefault('1m').describe('How long to wait between looks at the pull request.'),
    rounds: z
      .number()
      .int()
      .positive()
      .max(1000)
      .default(30)
      .describe('Most looks at the pull request (a rebase or a fix of review comments is one) before it is blocked.'),
  })
  .describe(
    'Open a pull request with `gh` and follow it: done only when mergeable with every required check green; review comments go back to the agent.',
  );

const checkStepSchema = z.union([
  z.literal('all'),
  z.array(z.string().min(1)).min(1),
  z.strictObject({
    gates: z.union([z.literal('all'), z.array(z.string().min(1)).min(1)]).default('all'),
    commit: z
      .string()
      .min(1)
      .optional()
      .describe('Judge this commit or branch in a clean checkout (default: the repository as it is).'),
  }),
]);

const forEachSchema = z
  .strictObject({
    items: z
      .string()
      .min(1)
      .describe(
        "A JSON array (usually an output of a code-led step): one agent run per item, in order, each from the branch the one before ended on. An item is an object of strings, read as `item.<key>` in expressions; its optional `accept` (an array of commands) is added to the run's acceptance commands.",
      ),
    escalate_model: z
      .string()
      .min(1)
      .optional()
      .describe("When an item's run ends without `done`, one fresh run of it with this model, told why."),
  })
  .describe('Run this agent step once per item of a list a code-led step wrote.');

const stepSchema = z
  .strictObject({
    name: z.string().optional().describe('Words for humans; the id is the key.'),
    needs: z.array(stepId).default([]).describe('Steps that must finish first.'),
    if: z
      .string()
      .min(1)
      .optional()
      .describe('Run the step only when this is true, e.g. "steps.build.outputs.changed == \'yes\'".'),
    continue_on_error: z.boolean().default(false).describe('A failure of this step does not fail the workflow.'),
    run: z.string().min(1).optional().describe('A shell command; its exit code and stdout are outputs.'),
    cwd: z.string().optional().describe('For `run`: folder relative to the repository root.'),
    env: z.record(z.string(), z.string()).default({}).describe('For `run`: extra environment.'),
    timeout: durationSchema.prefault('30m').describe('For `run`: kill it after this long.'),
    idempotent: z
      .boolean()
      .optional()
      .describe('May run again when Sluice was killed while it ran (default true for run and check).'),
    agent: agentStepSchema.optional(),
    check: checkStepSchema.optional().describe('Gates of sluice.yaml: "all", a list of names, or {gates, commit}.'),
    approve: z
      .strictObject({
        message: z.string().optional().describe('What the human is asked.'),
        show: showSchema.optional(),
        timeout: durationSchema
          .optional()
          .describe(
            'No decision this long after the step parked: the step fails as expired (noticed when the workflow is next touched: a decision, a resume).',
          ),
      })
      .optional()
      .describe('A human checkpoint: the workflow parks until `sluice approve`, the dashboard or its webhook decides.'),
    review: reviewStepSchema.optional(),
    pull_request: pullRequestStepSchema.optional(),
    workflow: z.string().min(1).optional().describe('Another workflow of .sluice/workflows, by name.'),
    with: z.record(z.string(), z.string()).default({}).describe('For `workflow`: its inputs.'),
    until: untilSchema.optional(),
    max: z.number().int().positive().max(100).optional().describe('Most rounds of an `until` loop (default 3).'),
    for_each: forEachSchema.optional(),
  })
  .superRefine((step, context) => {
    const kinds = stepKinds.filter((kind) => step[kind] !== undefined);
    if (kinds.length !== 1) {
      context.addIssue({
        code: 'custom',
        message:
          kinds.length === 0
            ? `a step needs one of ${stepKinds.join(', ')}`
            : `a step is one kind; it has ${kinds.join(' and ')}`,
      });
    }
    if (step.max !== undefined && step.until === undefined) {
      context.addIssue({ code: 'custom', path: ['max'], message: '`max` bounds an `until` loop; add `until`' });
    }
    if (
      step.until !== undefined &&
      (step.approve !== undefined || step.review !== undefined || step.pull_request !== undefined)
    ) {
      context.addIssue({
        code: 'custom',
        path: ['until'],
        message: 'approvals, reviews and pull requests are not repeated by until',
      });
    }
    if (step.for_each !== undefined && (step.agent === undefined || step.until !== undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['for_each'],
        message: 'for_each repeats an agent step (without until) once per item',
      });
    }
    if (step.review !== undefined && !step.needs.includes(step.review.of)) {
      context.addIssue({ code: 'custom', path: ['review', 'of'], message: `add "${step.review.of}" to needs` });
    }
    if (step.pull_request !== undefined && !step.needs.includes(step.pull_request.of)) {
      context.addIssue({
        code: 'custom',
        path: ['pull_request', 'of'],
        message: `add "${step.pull_request.of}" to needs`,
      });
    }
  });

export const stepKinds = ['run', 'agent', 'check', 'approve', 'review', 'pull_request', 'workflow'] as const;
export type StepKind = (typeof stepKinds)[number];

const inputSchema = z.strictObject({
  description: z.string().optional(),
  default: z.union([z.string(), z.number(), z.boolean()]).transform(String).optional(),
  required: z.boolean().default(false),
});

export const workflowSchema = z
  .strictObject({
    description: z.string().optional(),
    inputs: z.record(stepId, inputSchema).default({}).describe('Named inputs: `--input k=v`, or `with:` of a parent.'),
    concurrency: z
      .number()
      .int()
      .positive()
      .max(16)
      .default(1)
      .describe(
        'Steps run at once when none needs another (parallel branches); agent steps each have their own worktree.',
      ),
    steps: z.record(stepId, stepSchema).refine((steps) => Object.keys(steps).length > 0, 'a workflow needs a step'),
    outputs: z
      .record(z.string(), z.string())
      .default({})
      .describe('What a parent workflow sees as the outputs of its step, each a string with expressions.'),
  })
  .describe('A Sluice workflow: named steps in a DAG of `needs`.');

export type WorkflowDefinition = z.output<typeof workflowSchema>;
export type StepDefinition = WorkflowDefinition['steps'][string];
export type AgentStepDefinition = z.output<typeof agentStepSchema>;
export type ReviewStepDefinition = z.output<typeof reviewStepSchema>;
export type PullRequestStepDefinition = z.output<typeof pullRequestStepSchema>;
export type UntilDefinition = z.output<typeof untilSchema>;
export type ShowDefinition = z.output<typeof showSchema>;
export type ForEachDefinition = z.output<typeof forEachSchema>;

/** The kind of a validated step (exactly one is set). */
export function stepKind(step: StepDefinition): StepKind {
  const kind = stepKinds.find((name) => step[name] !== undefined);
  if (!kind) throw new Error('a validated step has a kind');
  return kind;
}

/** The keys allowed at a path of a workflow file, for "did you mean" on a typo. */
export function workflowKeysAt(path: string[]): string[] {
  if (path.length === 0) return Object.keys(workflowSchema.shape);
  if (path[0] === 'steps' && path.length === 2) return Object.keys(stepSchema.shape);
  if (path[0] === 'steps' && path[2] === 'agent' && path.length === 3) return Object.keys(agentStepSchema.shape);
  if (path[0] === 'steps' && path[2] === 'review' && path.length === 3) return Object.keys(reviewStepSchema.shape);
  if (path[0] === 'steps' && path[2] === 'pull_request' && path.length === 3) {
    return Object.keys(pullRequestStepSchema.shape);
  }
  if (path[0] === 'inputs' && path.length === 2) return Object.keys(inputSchema.shape);
  return [];
}

/** The JSON Schema of workflow files, generated from the zod schema. */
export function workflowJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(workflowSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  return { ...schema, $id: 'https://sluice.dev/schema/workflow.schema.json', title: '.sluice/workflows/<name>.yaml' };
}
