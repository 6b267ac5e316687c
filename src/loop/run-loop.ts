import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentAdapter, AgentTurnResult } from '../agents/agent-adapter.ts';
import { monotonicNow } from '../clock.ts';
import type { SluiceConfig } from '../config/schema.ts';
import { compactFeedback } from '../gates/feedback/compact-feedback.ts';
import type { CheckResult } from '../gates/gate-results.ts';
import { blockingFindings, type GuardReport, guardFeedback, guardSignature } from '../guard/guard-worktree.ts';
import type { ModelUsage } from '../usage/model-usage.ts';
import { type Budgets, budgetStop, type CostKnowledge, type Spent, totalsByModel } from './budgets.ts';
import { buildPrompt } from './build-prompt.ts';
import { failureSignature } from './failure-signature.ts';
import { describeGoalsMet, type GymStep, type GymTracker } from './gym-progress.ts';
import { judgeIteration } from './judge-iteration.ts';
import type { LoopPorts } from './loop-ports.ts';
import { readPlanProgress } from './plan-progress.ts';
import type { RunVerdict } from './run-verdicts.ts';
import { detectStall, type IterationTrace, type StallLimits } from './stall-detector.ts';

/** Everything one run's loop needs; the composition root fills it, the loop only acts. */
export interface LoopInput {
  runId: string;
  goal: string;
  acceptance: string[];
  /** The run's worktree; the folder of sluice.yaml inside it is `checkRoot`. */
  worktree: string;
  checkRoot: string;
  /** Gates from the trusted base ref, with the acceptance commands added: never read from the worktree. */
  config: SluiceConfig;
  /** The judge's gate cache and bench baselines: outside the worktree and the judge checkout. */
  judgeScratch: { cacheDir: string; baselinesDir: string };
  agent: AgentAdapter;
  model?: string;
  turnTimeoutMs: number;
  agentEnv?: Record<string, string>;
  budgets: Budgets;
  /** How the agent knows its cost: a `reported` cost may be unknown until a turn ends. */
  agentCost?: CostKnowledge;
  stall: StallLimits;
  /** A Markdown checklist in the worktree that the agent keeps up to date (relative path). */
  planFile?: string;
  /** Keep one agent session across iterations (the agent's own resume) instead of a fresh context. */
  keepSession?: boolean;
  /** Run by the agent when it tries to stop (its Stop hook), in session mode. */
  stopHookCommand?: string;
  /** Run by the agent before each tool call (its PreToolUse hook): refuses writes to protected files. */
  preToolUseCommand?: string;
  /** `.sluice/runs/<id>/` in the main checkout: agent logs, prompts, the evidence. */
  runDir: string;
  /** Where to continue: 1 for a new run, the next iteration on resume. */
  firstIteration: number;
  /** What earlier iterations left (on resume). */
  history: IterationTrace[];
  usage: ModelUsage[];
  elapsedMs: number;
  lastFeedback?: string;
  /** A change above this many lines (added + deleted, from the base) is not done: too big to review. */
  maxChangeLines?: number;
  /** A reviewer's words for the first iteration of this drive (review "changes"). */
  humanFeedback?: string;
  /** The agent session to continue (with `keepSession`, on resume). */
  sessionId?: string;
  /** What bench gates compare with: the run's base commit. */
  baseRef?: string;
  /** `sluice gym`: follows the bench goals, and ends the run when it stops coming closer to them. */
  gym?: GymTracker;
  signal: AbortSignal;
  ports: LoopPorts;
  onEvent?: (event: RunLoopEvent) => void;
}

/** What a reporter (terminal, dashboard) can follow of a run. */
export type RunLoopEvent =
  | { type: 'run:iteration:start'; iteration: number }
  | { type: 'run:iteration:agent'; iteration: number; agent: AgentTurnResult }
  | {
      type: 'run:iteration:finish';
      iteration: number;
      check: CheckResult;
      guard: GuardReport;
      changedFiles: boolean;
      /** What the agent is told for its next turn. */
      feedback: string;
      /** The checks passed, the guard did not block and the change is not too big: nothing to fix. */
      settled: boolean;
    }
  | { type: 'run:gym:progress'; iteration: number; step: GymStep };

export interface LoopOutcome {
  verdict: RunVerdict;
  reason: string;
  iterations: number;
  lastCheck?: CheckResult;
  /** The guard's report on the final tree. */
  lastGuard?: GuardReport;
  usage: ModelUsage[];
}

/** Consecutive agent failures (crash, timeout) after which the run is `failed`. */
const agentFailureLimit = 3;

/**
 * Iterate until the machines say done or something stops the run: one agent turn, commit, gates,
 * decide. Every step is recorded through the ports before the next one acts on it.
 */
export async function runLoop(input: LoopInput): Promise<LoopOutcome> {
  const { ports } = input;
  const startedAt = monotonicNow() - input.elapsedMs;
  const history = [...input.history];
  let usage = input.usage;
  let feedback = input.lastFeedback;
  let lastCheck: CheckResult | undefined;
  let lastGuard: GuardReport | undefined;
  let agentFailures = 0;
  let sessionId = input.sessionId;
  let iteration = input.firstIteration;
  const spent = (extra: ModelUsage[] = []): Spent => ({
    iterations: iteration - 1,
    wallMs: monotonicNow() - startedAt,
    usage: totalsByModel([...usage, ...extra]),
  });
  const end = (verdict: RunVerdict, reason: string): LoopOutcome => ({
    verdict,
    reason,
    iterations: iteration - 1,
    ...(lastCheck ? { lastCheck } : {}),
    ...(lastGuard ? { lastGuard } : {}),
    usage: totalsByModel(usage),
  });

  for (; ; iteration++) {
    if (input.signal.aborted) return end('cancelled', 'stopped by the user');
    const overBudget = budgetStop(spent(), input.budgets, { beforeIteration: true });
    if (overBudget) return end('budget-exhausted', overBudget);

    const planProgress = input.planFile ? await readPlanProgress(join(input.worktree, input.planFile)) : undefined;
    const prompt = buildPrompt({
      goal: input.goal,
      acceptance: input.acceptance,
      iteration,
      ...(feedback ? { feedback } : {}),
      ...(iteration === input.firstIteration && input.humanFeedback ? { humanFeedback: input.humanFeedback } : {}),
      ...(planProgress ? { planProgress } : {}),
    });
    await ports.startIteration(iteration, { promptChars: prompt.length });
    input.onEvent?.({ type: 'run:iteration:start', iteration });
    const turnDir = join(input.runDir, `iteration-${iteration}`);
    await mkdir(turnDir, { recursive: true });
    const turn = await runBudgetedTurn(input, iteration, prompt, join(turnDir, 'agent.log'), spent, sessionId);
    usage = [...usage, ...turn.result.usage];
    if (input.keepSession && turn.result.sessionId) sessionId = turn.result.sessionId;
    await ports.recordUsage(iteration, turn.result.usage);
    input.onEvent?.({ type: 'run:iteration:agent', iteration, agent: turn.result });

    // Before any git call of Sluice's: what the agent planted in the shared git dir could run in it.
    const tampering = await ports.checkRepository(iteration);
    if (tampering.length > 0) {
      const reason = `the agent changed the repository outside its worktree: ${tampering.join('; ')}`;
      await ports.finishIteration(iteration, {
        agent: turn.result,
        commit: null,
        diff: { filesChanged: 0, insertions: 0, deletions: 0 },
        feedback: reason,
      });
      iteration++;
      return end('blocked', reason);
    }
    const committed = await ports.commitTurn(`sluice: iteration ${iteration} of run ${input.runId}`);
    const stopped = turn.budgetReason ?? (input.signal.aborted ? 'stopped by the user' : undefined);
    if (stopped) {
      await ports.finishIteration(iteration, { agent: turn.result, commit: committed.commit, diff: committed.diff });
      iteration++;
      return end(turn.budgetReason ? 'budget-exhausted' : 'cancelled', stopped);
    }

    // The judge checkout is reset to the turn's commit while the guard reads the worktree: different
    // trees, no step of one waits for the other. The guard may restore protected files in a commit of
    // its own; the gates must judge the tree as restored, so the judge then prepares again for it.
    const judgeReady = settle(ports.prepareJudge());
    const guard = await ports.guardChange(iteration).catch(async (error: unknown) => {
      await judgeReady; // nothing left running in the judge checkout behind the error
      throw error;
    });
    lastGuard = guard;
    // The gates judge the commit in Sluice's own checkout, never the agent's worktree.
    const gateGroups: Array<Promise<void>> = [];
    const judged = await judgeIteration({
      prepare: async () => {
        const early = await judgeReady;
        if (guard.reverted.length > 0) return ports.prepareJudge();
        if ('error' in early) throw early.error;
        return early.value;
      },
      config: input.config,
      ...input.judgeScratch,
      logsDir: join(turnDir, 'logs'),
      signal: input.signal,
      onProcessStart: (group) => gateGroups.push(ports.recordProcessGroup(iteration, group)),
      ...(input.baseRef ? { baseRef: input.baseRef } : {}),
    });
    const { check } = judged;
    await Promise.all(gateGroups);
    lastCheck = check;
    await ports.recordGateResults(iteration, check.gates);
    const guardText = guardFeedback(guard);
    const gateText = inWorktreeTerms(
      compactFeedback(check, { budget: input.config.feedback.budget }),
      judged.root,
      input.checkRoot,
    );
    const guardBlocks = blockingFindings(guard).length > 0;
    // A change too big to review is not done either: the agent makes it smaller or splits it.
    const oversize =
      check.verdict === 'passed' && !guardBlocks && input.maxChangeLines !== undefined
        ? oversizeFeedback(await ports.changeLines(), input.maxChangeLines)
        : undefined;
    const indexNote = committed.clearedIndexBits
      ? `Sluice cleared git index bits that hid changes from the commit (${committed.clearedIndexBits.join(', ')}): the commit, which is what is judged, holds the files as they are in your worktree.`
      : undefined;
    const verdictText =
      oversize ??
      (guardText && check.verdict === 'passed' ? guardText : [guardText, gateText].filter(Boolean).join('\n\n'));
    feedback = [indexNote, verdictText].filter(Boolean).join('\n\n');
    const signature =
      (oversize ? 'oversize' : [guardSignature(guard), failureSignature(check)].filter(Boolean).join('|')) || undefined;
    await ports.finishIteration(iteration, {
      agent: turn.result,
      commit: committed.commit,
      diff: committed.diff,
      check,
      feedback,
      ...(signature ? { failureSignature: signature } : {}),
    });
    history.push({ number: iteration, failureSignature: signature, changedFiles: committed.commit !== null });
    input.onEvent?.({
      type: 'run:iteration:finish',
      iteration,
      check,
      guard,
      changedFiles: committed.commit !== null,
      feedback,
      settled: check.verdict === 'passed' && !guardBlocks && !oversize,
    });
    const gymStep = input.gym?.observe(iteration, await ports.headCommit(), check);
    if (gymStep) input.onEvent?.({ type: 'run:gym:progress', iteration, step: gymStep });

    if (check.cancelled || input.signal.aborted) {
      iteration++;
      return end('cancelled', 'stopped by the user');
    }
    if (check.verdict === 'passed' && !guardBlocks && !oversize) {
      iteration++;
      if (!(await ports.runChangedAnything())) {
        return end(
          'blocked',
          'the checks pass but the run changed nothing: add an acceptance check that fails until the goal is met',
        );
      }
      const asks = guard.findings.filter((finding) => finding.severity === 'ask').length;
      const pending =
        asks > 0
          ? `; ${asks} test-guard finding${asks === 1 ? ' awaits' : 's await'} a human decision (see the evidence)`
          : '';
      const goals = gymStep ? `${describeGoalsMet(gymStep)}; ` : '';
      return end('done', `${goals}every blocking gate and acceptance check passed on the final tree${pending}`);
    }
    agentFailures = turn.result.status === 'finished' ? 0 : agentFailures + 1;
    if (agentFailures >= agentFailureLimit) {
      iteration++;
      return end(
        'failed',
        `the agent failed ${agentFailureLimit} turns in a row: ${turn.result.reason ?? turn.result.status}`,
      );
    }
    const stall = gymStep?.stall ?? detectStall(history, input.stall);
    if (stall) {
      iteration++;
      return end('blocked', stall);
    }
  }
}

/** A promise's outcome as a value: started early, awaited later, never an unhandled rejection. */
async function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

/** Paths of the judge checkout, as the agent would find them in its worktree. */
function inWorktreeTerms(text: string, judgeRoot: string | undefined, worktreeRoot: string): string {
  return judgeRoot ? text.replaceAll(judgeRoot, worktreeRoot) : text;
}

/** Follow-up tasks an agent writes when it splits a change; `sluice work` queues them. */
export const followUpFile = 'SLUICE_TASKS.md';

function oversizeFeedback(lines: number, limit: number): string | undefined {
  if (lines <= limit) return undefined;
  return [
    `The checks pass, but the change is ${lines} lines (added + deleted) and a human reviews at most ${limit} at once (review.max_change_lines).`,
    'Make it smaller: keep the part that meets the goal on its own and take the rest out of this change.',
    `Write each part you take out as an unchecked item ("- [ ] <goal>") in ${followUpFile} at the repository root: Sluice queues them as follow-up tasks.`,
  ].join('\n');
}

interface BudgetedTurn {
  result: AgentTurnResult;
  /** Set when a budget ran out during the turn and Sluice stopped the agent. */
  budgetReason?: string;
}

/** One agent turn that is killed as soon as the running usage or the wall time breaks a budget. */
async function runBudgetedTurn(
  input: LoopInput,
  iteration: number,
  prompt: string,
  logPath: string,
  spent: (extra?: ModelUsage[]) => Spent,
  sessionId: string | undefined,
): Promise<BudgetedTurn> {
  const controller = new AbortController();
  let budgetReason: string | undefined;
  let recording: Promise<void> = Promise.resolve();
  const stopFor = (reason: string) => {
    budgetReason ??= reason;
    controller.abort();
  };
  const onOuterAbort = () => controller.abort();
  input.signal.addEventListener('abort', onOuterAbort, { once: true });
  const remainingMs = input.budgets.maxWallMs === undefined ? undefined : input.budgets.maxWallMs - spent().wallMs;
  const wallTimer =
    remainingMs === undefined
      ? undefined
      : setTimeout(
          () => stopFor(`reached the wall-time limit of ${Math.round((input.budgets.maxWallMs ?? 0) / 1000)}s`),
          Math.max(0, remainingMs),
        );
  try {
    const result = await input.agent.runTurn({
      prompt,
      cwd: input.worktree,
      logPath,
      timeoutMs: input.turnTimeoutMs,
      ...(input.model ? { model: input.model } : {}),
      ...(input.agentEnv ? { env: input.agentEnv } : {}),
      ...(sessionId ? { sessionId } : {}),
      ...(input.stopHookCommand ? { stopHookCommand: input.stopHookCommand } : {}),
      ...(input.preToolUseCommand ? { preToolUseCommand: input.preToolUseCommand } : {}),
      signal: controller.signal,
      onProcessStart: (group) => {
        recording = input.ports.recordProcessGroup(iteration, group);
      },
      onUsage: (running) => {
        const overrun = budgetStop(spent(running), input.budgets, {
          beforeIteration: false,
          costPending: input.agentCost === 'reported',
        });
        if (overrun) stopFor(overrun);
      },
    });
    // A turn that ended by itself over budget still gets its check: the spend is done, and the tree
    // may be finished. The check before the next iteration stops the run.
    await recording;
    return { result, ...(budgetReason ? { budgetReason } : {}) };
  } finally {
    if (wallTimer) clearTimeout(wallTimer);
    input.signal.removeEventListener('abort', onOuterAbort);
  }
}
