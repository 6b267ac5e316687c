import { dirname, isAbsolute, join, relative } from 'node:path';
import { UsageError } from '../errors.ts';
import { compactFeedback } from '../gates/feedback/compact-feedback.ts';
import type { CheckResult } from '../gates/gate-results.ts';
import { runGateGraph } from '../gates/run-gate-graph.ts';
import { checkOfChangedTree } from '../judge/files-changed-from.ts';
import { JudgeCheckout, JudgeError } from '../judge/judge-checkout.ts';
import { unjudgedCheck } from '../judge/unjudged-check.ts';
import { runSettingsOf } from '../loop/resume-run.ts';
import { type BaseConfig, loadBaseConfig, withAcceptanceGates } from '../loop/run-config.ts';
import type { RunStore } from '../store/run-store.ts';
import { advanceBranch, branchTip, squashCommit } from '../workspace/advance-branch.ts';
import { rebaseWorktree, restoreBranchHead, sameTree } from '../workspace/rebase-branch.ts';
import { prepareLandingWorktree } from './landing-worktree.ts';
import { openPullRequest } from './pull-request.ts';
import { type ReviewTarget, recordReviewDecision } from './review-queue.ts';

export interface ApproveOptions {
  /** The branch to land on when the run's base ref is not one (a sha, a tag). */
  onto?: string;
  signal?: AbortSignal;
}

/** What approving did; only `landed` and `pull-request` took the change in. Work is kept in every case. */
export type ApproveOutcome =
  | { status: 'landed'; base: string; commit: string; mode: 'squash' | 'fast-forward' | 'already-there' }
  | { status: 'pull-request'; base: string; url: string }
  | { status: 'conflict'; base: string; files: string[]; note: string }
  | { status: 'gates-failed'; base: string; note: string; sentBack: boolean }
  | { status: 'not-landed'; base: string; note: string }
  | { status: 'cancelled'; base: string };

/** The event that logs the check of the rebased change. */
export const landCheckEvent = 'review:land:check';

/**
 * `sluice review approve`: rebase the run's branch onto the tip of its base branch, judge the result with
 * the gates of that tip (the trusted judge), and land it — squashed or as it is — or open a pull request.
 * A conflict or a red gate lands nothing: the branch keeps the work and the decision says why.
 */
export async function approveChange(
  store: RunStore,
  target: ReviewTarget,
  options: ApproveOptions = {},
): Promise<ApproveOutcome> {
  const { run } = target;
  const base = options.onto ?? run.baseRef;
  const baseTip = await branchTip(run.repoRoot, base);
  if (baseTip === null) {
    throw new UsageError(
      options.onto
        ? `--onto ${base}: there is no such branch`
        : `run ${run.id} started from ${base}, which is not a branch: say where to land it with --onto <branch>`,
    );
  }
  await prepareLandingWorktree(target);
  const rebase = await rebaseWorktree(run.worktreePath, baseTip);
  if (rebase.status === 'conflict') {
    const note = `conflict with ${base} (${short(baseTip)}) in ${rebase.files.join(', ')}; branch ${run.branch} keeps the change as it was`;
    await recordReviewDecision(store, target, {
      status: 'land-failed',
      note,
      task: { to: 'blocked', waitReason: note },
    });
    return { status: 'conflict', base, files: rebase.files, note };
  }

  // Until a decision is recorded, a rebase is only a trial: put the branch back on what the reviewer saw
  // if it ends undecided (Ctrl-C, a broken config at the tip), so the item can be approved again.
  const landing = { base, baseTip, head: rebase.head, ...(options.signal ? { signal: options.signal } : {}) };
  try {
    const outcome = await judgeAndLand(store, target, landing);
    if (outcome.status === 'cancelled') await restoreBranchHead(run.worktreePath, target.item.headCommit);
    return outcome;
  } catch (error) {
    await restoreBranchHead(run.worktreePath, target.item.headCommit).catch(() => {});
    throw error;
  }
}

/** Judge the rebased change with the gates of the base tip, then land it, propose it or send it back. */
async function judgeAndLand(
  store: RunStore,
  target: ReviewTarget,
  landing: { base: string; baseTip: string; head: string; signal?: AbortSignal },
): Promise<ApproveOutcome> {
  const { run } = target;
  const { base, baseTip } = landing;
  const settings = runSettingsOf(run);
  const judge = await loadBaseConfig(join(run.repoRoot, settings.configFile), baseTip);
  const check = await judgeLanding(target, judge, landing);
  await store.appendEvent(run.id, landCheckEvent, {
    base,
    baseTip,
    head: landing.head,
    verdict: check.verdict,
    gates: check.gates.map((gate) => ({ name: gate.name, status: gate.status })),
  });
  if (check.cancelled) return { status: 'cancelled', base };
  if (check.verdict === 'failed') {
    const feedback = compactFeedback(check, { budget: judge.config.feedback.budget });
    const note = `After rebasing onto ${base} (${short(baseTip)}), the gates fail:\n\n${feedback}`;
    return sendBack(store, target, { base, baseTip }, note);
  }
  if (judge.config.review.pull_request) return proposeChange(store, target, base);
  return landOnBase(store, target, { base, baseTip, head: landing.head, judge });
}

/**
 * The gates of the base tip on the rebased commit, in a clean checkout of Sluice's own and without the
 * cache: nothing the agent's worktree holds (untracked files, patched dependencies, cache entries) counts.
 */
async function judgeLanding(
  target: ReviewTarget,
  judge: BaseConfig,
  landing: { baseTip: string; head: string; signal?: AbortSignal },
): Promise<CheckResult> {
  const { run } = target;
  const checkout = new JudgeCheckout({
    repoRoot: run.repoRoot,
    path: join(dirname(run.worktreePath), '.judge', `land-${run.id}`),
    configDir: judge.configDir,
    setup: judge.config.setup,
    logDir: join(run.repoRoot, judge.configDir, '.sluice', 'runs', run.id),
    ...(landing.signal ? { signal: landing.signal } : {}),
  });
  try {
    const tree = await checkout.prepare(landing.head);
    const check = await runGateGraph({
      config: withAcceptanceGates(judge.config, runSettingsOf(run).acceptance),
      root: tree.root,
      useCache: false,
      baselinesDir: checkout.baselinesDir,
      // Benchmarks compare the change with the tip it lands on.
      baseRef: landing.baseTip,
      ...(landing.signal ? { signal: landing.signal } : {}),
    });
    if (check.verdict !== 'passed' || check.cancelled) return check;
    const changed = await tree.changedFiles();
    return changed.length > 0 ? checkOfChangedTree(check, changed) : check;
  } catch (error) {
    if (!(error instanceof JudgeError)) throw error;
    return unjudgedCheck(error.message);
  } finally {
    await checkout.remove();
  }
}

/** A red gate on the rebased change: back to the agent when a task drives the run, else blocked. */
async function sendBack(
  store: RunStore,
  target: ReviewTarget,
  landing: { base: string; baseTip: string },
  note: string,
): Promise<ApproveOutcome> {
  const { base } = landing;
  if (target.item.taskId) {
    await recordReviewDecision(store, target, { status: 'changes-requested', note, task: { to: 'rework' } });
    await store.reopenRun(target.run.id);
    // The branch now sits on the new tip: the run's change (guard, evidence, review size) is measured from there.
    await store.moveRunBase(target.run.id, landing.baseTip);
    return { status: 'gates-failed', base, note, sentBack: true };
  }
  await recordReviewDecision(store, target, { status: 'land-failed', note, task: { to: 'blocked', waitReason: note } });
  return { status: 'gates-failed', base, note, sentBack: false };
}

async function landOnBase(
  store: RunStore,
  target: ReviewTarget,
  landing: { base: string; baseTip: string; head: string; judge: BaseConfig },
): Promise<ApproveOutcome> {
  const { run, item } = target;
  const { base, baseTip } = landing;
  if (await sameTree(run.repoRoot, landing.head, baseTip)) {
    const note = `nothing to land: ${base} already holds this change`;
    await recordReviewDecision(store, target, {
      status: 'landed',
      note,
      landedCommit: baseTip,
      task: { to: 'landed' },
    });
    return { status: 'landed', base, commit: baseTip, mode: 'already-there' };
  }
  const mode = landing.judge.config.review.land;
  const iterations = (await store.listIterations(run.id)).length;
  const evidence = relative(run.repoRoot, item.evidencePath);
  const message = `${run.goal.trim()}\n\nSluice run ${run.id}: ${iterations} iteration${iterations === 1 ? '' : 's'}, gates passed.\nEvidence: ${evidence.startsWith('..') || isAbsolute(evidence) ? item.evidencePath : evidence}\n`;
  const commit =
    mode === 'squash'
      ? await squashCommit(run.repoRoot, { treeOf: landing.head, parent: baseTip, message })
      : landing.head;
  const moved = await advanceBranch(run.repoRoot, base, {
    from: baseTip,
    to: commit,
    reason: `sluice: land run ${run.id}`,
  });
  if (moved.status === 'refused' && moved.retryable) {
    // Lost a race with another landing, or a file of yours is in the way: nothing is decided, the item stays
    // in review as the reviewer saw it, and approving again tries anew.
    await restoreBranchHead(run.worktreePath, item.headCommit);
    const note = `not landed: ${moved.reason}; the change is still in review as it was`;
    return { status: 'not-landed', base, note };
  }
  if (moved.status === 'refused') {
    const note = `not landed: ${moved.reason}; branch ${run.branch} keeps the change (rebased onto ${short(baseTip)})`;
    await recordReviewDecision(store, target, {
      status: 'land-failed',
      note,
      task: { to: 'blocked', waitReason: note },
    });
    return { status: 'not-landed', base, note };
  }
  await recordReviewDecision(store, target, { status: 'landed', landedCommit: commit, task: { to: 'landed' } });
  return { status: 'landed', base, commit, mode };
}

/** review.pull_request: push the rebased branch and open a pull request with the evidence as its body. */
async function proposeChange(store: RunStore, target: ReviewTarget, base: string): Promise<ApproveOutcome> {
  const { run, item } = target;
  const pull = await openPullRequest({
    worktreePath: run.worktreePath,
    branch: run.branch,
    base,
    title: run.goal.trim(),
    bodyFile: item.evidencePath,
  });
  if (pull.status === 'failed') {
    const note = `no pull request: ${pull.reason}; branch ${run.branch} keeps the change`;
    await recordReviewDecision(store, target, {
      status: 'land-failed',
      note,
      task: { to: 'blocked', waitReason: note },
    });
    return { status: 'not-landed', base, note };
  }
  const note = `pull request ${pull.url}`;
  await recordReviewDecision(store, target, { status: 'landed', note, task: { to: 'landed' } });
  return { status: 'pull-request', base, url: pull.url };
}

function short(sha: string): string {
  return sha.slice(0, 12);
}
