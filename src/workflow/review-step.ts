import { mkdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { lastJsonDocument } from '../gates/last-json-document.ts';
import { JudgeCheckout } from '../judge/judge-checkout.ts';
import { changesTarget, requestChanges } from '../review/review-queue.ts';
import type { RunStore } from '../store/run-store.ts';
import type { StepRecord, WorkflowRunRecord } from '../store/workflow-records.ts';
import { runGit } from '../workspace/git.ts';
import { resolveCommit } from '../workspace/refs.ts';
import { defaultWorktreesDir } from '../workspace/worktrees.ts';
import { type ExpressionContext, substitute } from './expressions.ts';
import { findingsFeedback, type ReviewAnswer, reviewAnswerJsonSchema, reviewAnswerSchema } from './review-answer.ts';
import { ReviewerUsage } from './reviewer-usage.ts';
import { workflowRunDir } from './run-step.ts';
import { StepError } from './step-error.ts';
import type { StepResult, WorkflowDriver, WorkflowPorts } from './workflow-ports.ts';
import type { ReviewStepDefinition, StepDefinition } from './workflow-schema.ts';

export interface ReviewStepInput {
  store: RunStore;
  ports: WorkflowPorts;
  signal: AbortSignal;
  repoRoot: string;
  configRoot: string;
  workflowId: string;
  stepId: string;
  review: ReviewStepDefinition;
  /** The run of the reviewed agent step. */
  runId: string;
  /** Where reviewer logs go. */
  logDir: string;
  /** Records the round about to start (before the writer is sent back with findings). */
  onRound: (round: number) => Promise<void>;
  firstRound: number;
  /** The commit the reviewed diff starts from, when not the run's base (`since:`, a whole change). */
  since?: string;
  /** What the reviewer's turns spent so far (this step's, before a resume too); added to per turn. */
  usage: ReviewerUsage;
  /** Commits the outputs so far (the reviewer's usage) after each reviewer turn. */
  onUsage: (outputs: Record<string, string>) => Promise<void>;
}

/**
 * Review rounds: the writer's run must be `done` (gates green) before a reviewer is asked; a
 * reviewer's blocking findings go back to the writer as review "changes" (its run reopened and
 * resumed); the change is asked about again until the reviewer approves or the rounds run out. A
 * reviewer's approval never passes a change whose gates are red.
 */
export async function runReviewBody(
  input: ReviewStepInput,
): Promise<{ passed: boolean; outputs: Record<string, string>; reason?: string }> {
  const { store, review } = input;
  let last: ReviewAnswer | undefined;
  for (let round = input.firstRound; round <= review.rounds; round++) {
    let run = await store.getRun(input.runId);
    if (!run) throw new StepError(`the reviewed run ${input.runId} is not in the store`);
    // A fix the last round asked for (or one a crash interrupted) is finished first.
    if (run.status === 'running') {
      const resumed = await input.ports.resumeAgent(run.id, input.signal);
      if (resumed.verdict === 'cancelled')
        return { passed: false, outputs: input.usage.outputs(), reason: 'cancelled' };
      run = await store.getRun(input.runId);
    }
    if (run?.status !== 'done') {
      return {
        passed: false,
        outputs: outputsOf(input, last, round),
        reason: `the reviewed run ${input.runId} is ${run?.status ?? 'gone'}, not done: a review cannot pass red gates`,
      };
    }
    const asked = await askReviewer(input, input.since ?? run.baseCommit, run.branch, round);
    if (asked.kind === 'malformed')
      return { passed: false, outputs: outputsOf(input, last, round), reason: asked.reason };
    if (asked.kind === 'cancelled') return { passed: false, outputs: input.usage.outputs(), reason: 'cancelled' };
    last = asked.answer;
    if (last.verdict === 'approve') return { passed: true, outputs: outputsOf(input, last, round) };
    if (round === review.rounds) break;
    // The next round is recorded before the writer is sent back: a crash from here resumes the fix.
    await input.onRound(round + 1);
    await requestChanges(store, await changesTarget(store, run), findingsFeedback(last));
  }
  return {
    passed: false,
    outputs: outputsOf(input, last, review.rounds),
    reason: `the reviewer still had blocking findings after ${review.rounds} round${review.rounds === 1 ? '' : 's'}`,
  };
}

function outputsOf(input: ReviewStepInput, answer: ReviewAnswer | undefined, round: number): Record<string, string> {
  return {
    ...input.usage.outputs(),
    verdict: answer?.verdict ?? '',
    findings: JSON.stringify(answer?.findings ?? []),
    rounds: String(round),
  };
}

type Asked = { kind: 'answer'; answer: ReviewAnswer } | { kind: 'malformed'; reason: string } | { kind: 'cancelled' };

/** Ask in a clean checkout of the branch head: what the reviewer writes there goes nowhere. */
async function askReviewer(input: ReviewStepInput, baseCommit: string, branch: string, round: number): Promise<Asked> {
  const head = await resolveCommit(input.repoRoot, branch);
  const diff = await runGit(input.repoRoot, [
    'diff',
    '--stat',
    '--patch',
    '--no-color',
    `${baseCommit}..${head}`,
    '--',
  ]);
  const checkout = new JudgeCheckout({
    repoRoot: input.repoRoot,
    path: join(defaultWorktreesDir(input.repoRoot), '.judge', `review-${input.workflowId}-${input.stepId}`),
    configDir: relative(input.repoRoot, input.configRoot),
    setup: [],
    logDir: input.logDir,
    signal: input.signal,
  });
  try {
    const tree = await checkout.prepare(head);
    const schema = reviewAnswerSchema(input.review.rubric);
    let problem = '';
    for (let ask = 1; ask <= input.review.asks; ask++) {
      if (input.signal.aborted) return { kind: 'cancelled' };
      const logPath = join(input.logDir, `${input.stepId}-review-${round}-${ask}.log`);
      const { text, usage } = await input.ports.reviewTurn(
        {
          outputSchema: reviewAnswerJsonSchema(input.review.rubric),
          ...(input.review.agent ? { agent: input.review.agent } : {}),
          ...(input.review.command ? { command: input.review.command } : {}),
          ...(input.review.prompt_via ? { promptVia: input.review.prompt_via } : {}),
          ...(input.review.model ? { model: input.review.model } : {}),
          prompt: reviewPrompt(input.review.rubric, diff.stdout, problem),
          cwd: tree.root,
          logPath,
        },
        input.signal,
      );
      // Counted with the reviewed run (its totals, `sluice usage`, its budget when the writer resumes),
      // and kept with the step for `workflow show`.
      if (usage && usage.length > 0) await input.store.recordReviewerUsage(input.runId, usage);
      input.usage.add(usage ?? []);
      await input.onUsage(input.usage.outputs());
      const answerText = text || (await readFile(logPath, 'utf8').catch(() => ''));
      const document = lastJsonDocument(answerText);
      const parsed = document ? schema.safeParse(document.value) : undefined;
      if (parsed?.success) return { kind: 'answer', answer: parsed.data };
      problem = document
        ? (parsed?.error.issues.map((issue) => `${issue.path.join('.') || 'answer'}: ${issue.message}`).join('; ') ??
          '')
        : 'no JSON object found in the answer';
    }
    return {
      kind: 'malformed',
      reason: `the reviewer did not answer in the schema after ${input.review.asks} ask${input.review.asks === 1 ? '' : 's'}: ${problem}`,
    };
  } finally {
    await checkout.remove();
  }
}

function reviewPrompt(rubric: readonly string[], diff: string, problem: string): string {
  const again = problem ? `\n\nYour last answer was not valid: ${problem}. Answer again, in the schema.` : '';
  return `# Review

You review a change another agent wrote. You did not write it. The tests and gates already pass; judge
what they cannot: ${rubric.join(', ')}. The checkout in front of you is the change; do not edit it.

Answer with one JSON object and nothing after it:
{"verdict": "approve" | "changes", "findings": [{"severity": "blocking" | "minor", "area": ${rubric.map((item) => JSON.stringify(item)).join(' | ')}, "file": "<path, optional>", "message": "<what and why>"}]}
"changes" needs at least one blocking finding; "approve" has none.

## The change

${diff.length > 60_000 ? `${diff.slice(0, 60_000)}\n… (diff cut)` : diff}${again}`;
}

/** A reviewer agent on an earlier agent step's change, round after round . */
export async function reviewStep(
  driver: WorkflowDriver,
  workflow: WorkflowRunRecord,
  stepId: string,
  step: StepDefinition,
  previous: StepRecord | undefined,
  context: ExpressionContext,
): Promise<StepResult> {
  const { store } = driver;
  const review = step.review;
  if (!review) throw new StepError(`step ${stepId} is not a review`);
  const runId = context.steps[review.of]?.outputs.run_id;
  if (!runId) throw new StepError(`step ${review.of} has no run to review`);
  const since = review.since === undefined ? undefined : substitute(review.since, context);
  const sinceCommit =
    since === undefined
      ? undefined
      : await resolveCommit(workflow.repoRoot, since).catch(() => {
          throw new StepError(`review.since: "${since}" is no commit of the repository`);
        });
  const firstRound = previous?.round ?? 1;
  const started = await store.workflows.startStep(workflow.id, stepId, 'review', firstRound);
  driver.onEvent?.({
    type: 'step:start',
    workflowId: workflow.id,
    stepId,
    kind: 'review',
    round: firstRound,
    attempt: started.attempt,
  });
  const logDir = workflowRunDir(workflow.configRoot, workflow.id);
  await mkdir(logDir, { recursive: true });
  const body = await runReviewBody({
    store,
    ports: driver.ports,
    signal: driver.signal,
    repoRoot: workflow.repoRoot,
    configRoot: workflow.configRoot,
    workflowId: workflow.id,
    stepId,
    review,
    runId,
    logDir,
    firstRound,
    ...(sinceCommit ? { since: sinceCommit } : {}),
    onRound: (round) => store.workflows.updateStep(workflow.id, stepId, { round }),
    usage: ReviewerUsage.fromOutputs(previous?.outputs),
    onUsage: (outputs) => store.workflows.updateStep(workflow.id, stepId, { outputs }),
  });
  const status =
    driver.signal.aborted || body.reason === 'cancelled' ? 'cancelled' : body.passed ? 'succeeded' : 'failed';
  await store.workflows.updateStep(workflow.id, stepId, { status, outputs: body.outputs, reason: body.reason ?? null });
  return { status, outputs: body.outputs, ...(body.reason ? { reason: body.reason } : {}) };
}
