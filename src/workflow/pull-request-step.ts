import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runSettingsOf } from '../loop/resume-run.ts';
import { loadBaseConfig } from '../loop/run-config.ts';
import { changesTarget, requestChanges } from '../review/review-queue.ts';
import type { RunRecord } from '../store/run-records.ts';
import type { StepRecord, WorkflowRunRecord } from '../store/workflow-records.ts';
import { runGit } from '../workspace/git.ts';
import type { ExpressionContext } from './expressions.ts';
import { substitute } from './expressions.ts';
import {
  type CheckView,
  createPullRequest,
  type PullRequestView,
  type ReviewComment,
  requiredChecks,
  reviewComments,
  viewPullRequest,
} from './github-cli.ts';
import { queueWholeChange } from './queue-changes.ts';
import { StepError } from './step-error.ts';
import type { StepResult, WorkflowDriver } from './workflow-ports.ts';
import type { PullRequestStepDefinition, StepDefinition } from './workflow-schema.ts';

/** How one poll of the pull request ended. */
type Poll =
  | { kind: 'green' }
  | { kind: 'wait'; waitingFor: string }
  | { kind: 'again' }
  | { kind: 'blocked'; waitingFor: string }
  | { kind: 'failed'; reason: string };

interface PullRequestContext {
  driver: WorkflowDriver;
  workflow: WorkflowRunRecord;
  stepId: string;
  pr: PullRequestStepDefinition;
  base: string;
  runId: string;
  outputs: Record<string, string>;
}

/**
 * Open a pull request of an agent step's branch and follow it through: required checks green, not
 * behind or conflicting (rebased when behind), new review comments handed to the writing agent as
 * review changes and the fix pushed. Done only when GitHub says mergeable and every required check
 * passed; otherwise, when the rounds run out or a human must act, `blocked` naming whom it waits for.
 */
export async function pullRequestStep(
  driver: WorkflowDriver,
  workflow: WorkflowRunRecord,
  stepId: string,
  step: StepDefinition,
  previous: StepRecord | undefined,
  context: ExpressionContext,
): Promise<StepResult> {
  const { store } = driver;
  const pr = step.pull_request;
  if (!pr) throw new StepError(`step ${stepId} is not a pull_request step`);
  const runId = context.steps[pr.of]?.outputs.run_id;
  if (!runId) throw new StepError(`step ${pr.of} has no run to propose`);
  const firstRound = previous?.round ?? 1;
  const started = await store.workflows.startStep(workflow.id, stepId, 'pull_request', firstRound);
  driver.onEvent?.({
    type: 'step:start',
    workflowId: workflow.id,
    stepId,
    kind: 'pull_request',
    round: firstRound,
    attempt: started.attempt,
  });
  const follow: PullRequestContext = {
    driver,
    workflow,
    stepId,
    pr,
    base: substitute(pr.base, context),
    runId,
    outputs: { ...(previous?.outputs ?? {}) },
  };
  const result = (await wantsPullRequest(follow))
    ? await followPullRequest(follow, firstRound, context)
    : await queueForReview(follow);
  await store.workflows.updateStep(workflow.id, stepId, {
    status: result.status,
    outputs: result.outputs,
    reason: result.reason ?? null,
  });
  return result;
}

/**
 * `review.pull_request` of sluice.yaml (as of the run's base commit, which the agent cannot change)
 * decides where the change goes: a pull request, or the review queue like any run's.
 */
async function wantsPullRequest(follow: PullRequestContext): Promise<boolean> {
  const run = await settledRun(follow);
  const base = await loadBaseConfig(join(run.repoRoot, runSettingsOf(run).configFile), run.baseCommit);
  return base.config.review.pull_request;
}

/** Without `review.pull_request`: the done change goes to the review queue, as one item of the whole change. */
async function queueForReview(follow: PullRequestContext): Promise<StepResult> {
  const run = await settledRun(follow);
  if (run.status !== 'done') {
    const reason = `run ${run.id} is ${run.status}, not done: nothing red is queued for review`;
    return { status: 'failed', outputs: follow.outputs, reason };
  }
  const item = await queueWholeChange(follow.driver.store, run);
  return {
    status: 'succeeded',
    outputs: { ...follow.outputs, state: 'queued', review_run: run.id, review_round: String(item.round) },
  };
}

async function followPullRequest(
  follow: PullRequestContext,
  firstRound: number,
  context: ExpressionContext,
): Promise<StepResult> {
  const { driver, pr } = follow;
  let waitingFor = '';
  for (let round = firstRound; round <= pr.rounds; round++) {
    if (driver.signal.aborted) return { status: 'cancelled', outputs: follow.outputs, reason: 'cancelled' };
    const poll = await pollOnce(follow, context);
    follow.outputs.rounds = String(round);
    if (poll.kind === 'green') return { status: 'succeeded', outputs: { ...follow.outputs, state: 'mergeable' } };
    if (poll.kind === 'failed') return { status: 'failed', outputs: follow.outputs, reason: poll.reason };
    if (poll.kind === 'blocked') return blocked(follow, poll.waitingFor);
    if (poll.kind === 'wait') waitingFor = poll.waitingFor;
    if (round === pr.rounds) break;
    // The next round is committed before it waits: a kill -9 from here goes on with it, not from 1.
    await driver.store.workflows.updateStep(follow.workflow.id, follow.stepId, {
      round: round + 1,
      outputs: follow.outputs,
    });
    if (poll.kind === 'wait') {
      try {
        await sleep(pr.poll, undefined, { signal: driver.signal });
      } catch {
        return { status: 'cancelled', outputs: follow.outputs, reason: 'cancelled' };
      }
    }
  }
  return blocked(follow, waitingFor || `the pull request after ${pr.rounds} rounds`);
}

function blocked(follow: PullRequestContext, waitingFor: string): StepResult {
  const outputs = { ...follow.outputs, state: 'blocked', waiting_for: waitingFor };
  return { status: 'failed', outputs, reason: `blocked: waiting for ${waitingFor} (${follow.outputs.url ?? 'no PR'})` };
}

/** One look at the pull request, and the one thing to do about it. */
async function pollOnce(follow: PullRequestContext, context: ExpressionContext): Promise<Poll> {
  const { driver, workflow } = follow;
  const run = await settledRun(follow);
  if (run.status !== 'done') {
    return { kind: 'failed', reason: `run ${run.id} is ${run.status}, not done: nothing red is proposed` };
  }
  await push(workflow.repoRoot, run.branch, driver.signal);
  let view = await viewPullRequest(workflow.repoRoot, run.branch, driver.signal);
  if (!view) {
    const title = follow.pr.title === undefined ? run.goal.trim() : substitute(follow.pr.title, context);
    const body = `Proposed by Sluice workflow ${workflow.name} (${workflow.id}), run ${run.id}.`;
    await createPullRequest(workflow.repoRoot, { branch: run.branch, base: follow.base, title, body }, driver.signal);
    view = await viewPullRequest(workflow.repoRoot, run.branch, driver.signal);
    if (!view) throw new StepError(`gh pr create opened no pull request of ${run.branch}`);
  }
  follow.outputs.url = view.url;
  follow.outputs.number = String(view.number);
  if (view.state === 'MERGED') return { kind: 'green' };
  if (view.state !== 'OPEN') return { kind: 'blocked', waitingFor: `a human who reopens the ${view.state} PR` };
  if (view.mergeStateStatus === 'BEHIND' || view.mergeable === 'CONFLICTING' || view.mergeStateStatus === 'DIRTY') {
    return rebase(follow, run);
  }
  const comments = await reviewComments(workflow.repoRoot, view.number, driver.signal);
  const seen = Number(follow.outputs.last_comment_id ?? '0');
  const fresh = comments.filter((comment) => comment.id > seen).sort((a, b) => a.id - b.id);
  if (fresh.length > 0) return sendBack(follow, run, fresh);
  return judge(view, await requiredChecks(workflow.repoRoot, view.number, driver.signal));
}

/** A fix a crash interrupted is finished before anything is pushed. */
async function settledRun(follow: PullRequestContext): Promise<RunRecord> {
  const { store, ports, signal } = follow.driver;
  let run = await store.getRun(follow.runId);
  if (run?.status === 'running') {
    await ports.resumeAgent(run.id, signal);
    run = await store.getRun(follow.runId);
  }
  if (!run) throw new StepError(`the run ${follow.runId} is not in the store`);
  return run;
}

/** Comments go back to the writer as review changes; the comment ids are recorded first, so none is sent twice. */
async function sendBack(follow: PullRequestContext, run: RunRecord, fresh: ReviewComment[]): Promise<Poll> {
  const { store, ports, signal } = follow.driver;
  follow.outputs.last_comment_id = String(fresh.at(-1)?.id ?? 0);
  follow.outputs.comments_sent = String(Number(follow.outputs.comments_sent ?? '0') + fresh.length);
  await store.workflows.updateStep(follow.workflow.id, follow.stepId, { outputs: follow.outputs });
  await requestChanges(store, await changesTarget(store, run), commentsFeedback(fresh));
  const fixed = await ports.resumeAgent(run.id, signal);
  if (fixed.verdict === 'cancelled') return { kind: 'failed', reason: 'cancelled' };
  if (fixed.verdict !== 'done') {
    return { kind: 'failed', reason: `the fix of the review comments ended ${fixed.verdict}: ${fixed.reason}` };
  }
  return { kind: 'again' };
}

export function commentsFeedback(comments: ReviewComment[]): string {
  const lines = comments.map(
    (comment) =>
      `- ${comment.user?.login ?? 'a reviewer'}${comment.path ? ` on ${comment.path}${comment.line ? `:${comment.line}` : ''}` : ''}: ${comment.body}`,
  );
  return `Review comments on the pull request:\n${lines.join('\n')}`;
}

/** Behind or conflicting: rebase the branch onto the remote base; a conflict waits for a human. */
async function rebase(follow: PullRequestContext, run: RunRecord): Promise<Poll> {
  const { signal } = follow.driver;
  const cwd = run.worktreePath;
  const fetched = await runGit(cwd, ['fetch', 'origin', follow.base], { signal });
  if (fetched.exitCode !== 0) return { kind: 'failed', reason: `git fetch origin ${follow.base} failed` };
  const rebased = await runGit(cwd, ['rebase', `origin/${follow.base}`], { signal });
  if (rebased.exitCode === 0) {
    await push(follow.workflow.repoRoot, run.branch, signal);
    return { kind: 'again' };
  }
  const conflicted = await runGit(cwd, ['diff', '--name-only', '--diff-filter=U'], { signal });
  await runGit(cwd, ['rebase', '--abort'], { signal });
  const files = conflicted.stdout.trim().split('\n').filter(Boolean).join(', ') || 'unknown files';
  return { kind: 'blocked', waitingFor: `a human to resolve the conflict with ${follow.base} in ${files}` };
}

/** Green only on GitHub's word that it is mergeable and every required check passed. */
function judge(view: PullRequestView, checks: CheckView[]): Poll {
  const failed = checks.filter((check) => check.bucket === 'fail' || check.bucket === 'cancel');
  if (failed.length > 0) {
    return { kind: 'blocked', waitingFor: `a human: required checks failed: ${names(failed)}` };
  }
  if (view.reviewDecision === 'CHANGES_REQUESTED') {
    const who = latestReviews(view).filter(([, state]) => state === 'CHANGES_REQUESTED');
    const people = who.map(([login]) => login).join(', ') || 'a reviewer';
    return { kind: 'wait', waitingFor: `${people}, who requested changes` };
  }
  const pending = checks.filter((check) => check.bucket === 'pending');
  if (pending.length > 0) return { kind: 'wait', waitingFor: `checks pending: ${names(pending)}` };
  if (view.reviewDecision === 'REVIEW_REQUIRED') return { kind: 'wait', waitingFor: 'a required review' };
  if (view.mergeable !== 'MERGEABLE') return { kind: 'wait', waitingFor: `GitHub (mergeable is ${view.mergeable})` };
  return { kind: 'green' };
}

function names(checks: CheckView[]): string {
  return checks.map((check) => check.name).join(', ');
}

function latestReviews(view: PullRequestView): Array<[string, string]> {
  const byAuthor = new Map<string, string>();
  for (const review of view.reviews ?? []) byAuthor.set(review.author?.login ?? 'a reviewer', review.state ?? '');
  return [...byAuthor];
}

async function push(repoRoot: string, branch: string, signal: AbortSignal): Promise<void> {
  const pushed = await runGit(repoRoot, ['push', '--force-with-lease', 'origin', `${branch}:${branch}`], {
    signal,
    timeoutMs: 120_000,
  });
  if (pushed.exitCode !== 0) throw new StepError(`git push of ${branch} to origin failed: ${pushed.stderr.trim()}`);
}
