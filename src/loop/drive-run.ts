import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentAdapter } from '../agents/agent-adapter.ts';
import type { NotifyConfig } from '../config/run-schema.ts';
import type { Finding } from '../guard/finding.ts';
import { JudgeCheckout } from '../judge/judge-checkout.ts';
import { describeContainment } from '../process/containment.ts';
import {
  type EvidenceInput,
  evidenceJson,
  type JudgingEvidence,
  renderEvidenceMarkdown,
} from '../review/evidence-report.ts';
import type { RunRecord } from '../store/run-records.ts';
import type { RunStore } from '../store/run-store.ts';
import type { ModelUsage } from '../usage/model-usage.ts';
import { diffStats } from '../workspace/diff-stats.ts';
import type { Budgets, CostKnowledge } from './budgets.ts';
import type { GymTracker } from './gym-progress.ts';
import { keepBestResult, resumeGymTracker, writeGymCharts } from './gym-run.ts';
import { notifyRunEnd } from './notify-run-end.ts';
import { type BaseConfig, renderJudgeConfig, withAcceptanceGates } from './run-config.ts';
import { type LoopOutcome, type RunLoopEvent, runLoop } from './run-loop.ts';
import { createRunPorts, guardEvent, judgeEvent, repositoryTamperedEvent } from './run-ports.ts';
import type { IterationTrace, StallLimits } from './stall-detector.ts';

/** How a run is driven: stored with the run, so `sluice resume` drives it the same way. */
export interface RunSettings {
  acceptance: string[];
  budgets: Budgets;
  stall: StallLimits;
  turnTimeoutMs: number;
  /** sluice.yaml's path relative to the repository root. */
  configFile: string;
  /** How the agent knows its cost (see `CostKnowledge`). */
  agentCost?: CostKnowledge;
  /** A Markdown checklist in the repository that the agent keeps up to date. */
  planFile?: string;
  /** One agent session across iterations instead of a fresh context each time. */
  keepSession?: boolean;
  /** How the agent was invoked (for a command agent: its command), so a resume invokes it alike. */
  agentInvocation?: { command?: string; promptVia?: 'argument' | 'stdin' | 'file' };
  configDir: string;
  /** The queued task this run works on (`sluice work`). */
  taskId?: string;
  /** The workflow step (and round) that started this run, so a resumed workflow finds it (src/workflow). */
  workflowStep?: string;
  /** `sluice gym`: stop after this many iterations without coming closer to the bench goals. */
  gym?: { patience: number };
  /** `--sandbox` when it was given (over `agent.sandbox`), so a resume confines the agent the same way. */
  sandboxMode?: 'auto' | 'required' | 'off';
}

export interface DriveRunInput {
  store: RunStore;
  run: RunRecord;
  settings: RunSettings;
  /** The config of the base commit: the judge (the acceptance gates are added here). */
  base: BaseConfig;
  agent: AgentAdapter;
  agentEnv?: Record<string, string>;
  notify?: NotifyConfig;
  signal: AbortSignal;
  onEvent?: (event: RunLoopEvent) => void;
  /** A reviewer's words (review "changes"): the next iteration's input, instead of the last check's feedback. */
  humanFeedback?: string;
}

export interface RunSummary {
  run: RunRecord;
  outcome: LoopOutcome;
  reportPath: string;
  notifyProblems: string[];
}

/** Sluice's own checkout where a run's commits are judged: beside the worktrees, never inside one. */
export function judgeCheckoutPath(run: RunRecord): string {
  return join(dirname(run.worktreePath), '.judge', run.id);
}

/** The event that records which sandbox confined the agent's turns. */
const sandboxEvent = 'run:sandbox';

/** The folder of a run's logs and evidence, in the main checkout. */
export function runDirOf(run: RunRecord, configDir: string): string {
  return join(run.repoRoot, configDir, '.sluice', 'runs', run.id);
}

/**
 * Drive a recorded run from where its last finished iteration left it to a verdict; record the
 * verdict, write the evidence, notify. Used by both `sluice run` and `sluice resume`.
 */
export async function driveRun(input: DriveRunInput): Promise<RunSummary> {
  const { store, run, settings } = input;
  const finished = (await store.listIterations(run.id)).filter((iteration) => iteration.status === 'finished');
  const last = finished.at(-1);
  const runDir = runDirOf(run, settings.configDir);
  await mkdir(runDir, { recursive: true });
  const history: IterationTrace[] = finished.map((iteration) => ({
    number: iteration.number,
    failureSignature: iteration.failureSignature,
    changedFiles: iteration.commitSha !== undefined,
  }));
  const usage: ModelUsage[] = await store.runUsage(run.id);
  const elapsedMs = finished.reduce((sum, iteration) => sum + durationOf(iteration.startedAt, iteration.finishedAt), 0);
  const judge = new JudgeCheckout({
    repoRoot: run.repoRoot,
    path: judgeCheckoutPath(run),
    configDir: settings.configDir,
    setup: input.base.config.setup,
    logDir: runDir,
    signal: input.signal,
  });
  const ports = await createRunPorts(store, run, judge, input.base.config.guard);
  const stopHookCommand = settings.keepSession
    ? await writeStopHook(
        runDir,
        input.base.text,
        settings.acceptance,
        join(run.worktreePath, settings.configDir),
        run.baseCommit,
      )
    : undefined;
  await store.setRunPid(run.id, process.pid);
  // Said once per drive (a resume may run elsewhere): which sandbox confines this agent's writes here.
  await store.appendEvent(run.id, sandboxEvent, {
    description: input.agent.sandboxReport?.().description ?? 'not sandboxed: this agent has no sandbox',
  });
  const gym = settings.gym ? await resumeGymTracker(store, run.id, settings.gym.patience) : undefined;

  const outcome = await runLoop({
    judgeScratch: { cacheDir: judge.cacheDir, baselinesDir: judge.baselinesDir },
    runId: run.id,
    goal: run.goal,
    acceptance: settings.acceptance,
    worktree: run.worktreePath,
    checkRoot: join(run.worktreePath, settings.configDir),
    config: withAcceptanceGates(input.base.config, settings.acceptance),
    agent: input.agent,
    ...(run.model ? { model: run.model } : {}),
    turnTimeoutMs: settings.turnTimeoutMs,
    ...(input.agentEnv ? { agentEnv: input.agentEnv } : {}),
    budgets: settings.budgets,
    ...(settings.agentCost ? { agentCost: settings.agentCost } : {}),
    stall: settings.stall,
    ...(settings.planFile ? { planFile: settings.planFile } : {}),
    ...(settings.keepSession ? { keepSession: true } : {}),
    ...(stopHookCommand ? { stopHookCommand } : {}),
    preToolUseCommand: sluiceCommand(['hook', 'pre-tool-use']),
    maxChangeLines: input.base.config.review.max_change_lines,
    ...(settings.keepSession && last?.sessionId ? { sessionId: last.sessionId } : {}),
    runDir,
    firstIteration: (last?.number ?? 0) + 1,
    history,
    usage,
    elapsedMs,
    ...(input.humanFeedback
      ? { humanFeedback: input.humanFeedback }
      : last?.feedback
        ? { lastFeedback: last.feedback }
        : {}),
    baseRef: run.baseCommit,
    ...(gym ? { gym } : {}),
    signal: input.signal,
    ports,
    ...(input.onEvent ? { onEvent: input.onEvent } : {}),
  }).finally(() => judge.remove()); // the judge checkout is Sluice's scratch: a resume makes it anew
  const kept = gym && outcome.verdict !== 'done' ? await keepBestResult(store, run, gym) : undefined;
  const reason = kept ? `${outcome.reason}; ${kept}` : outcome.reason;
  const ended = await store.finishRun(run.id, { status: outcome.verdict, reason });
  const reportPath = await writeEvidence(store, ended, { ...outcome, reason }, runDir, gym);
  const costUsd = outcome.usage.some((entry) => entry.costUsd === null)
    ? null
    : outcome.usage.reduce((sum, entry) => sum + (entry.costUsd ?? 0), 0);
  const notifyProblems = await notifyRunEnd(
    input.notify,
    {
      runId: run.id,
      goal: run.goal,
      verdict: outcome.verdict,
      reason,
      iterations: outcome.iterations,
      costUsd,
      reportPath,
    },
    runDir,
  );
  for (const problem of notifyProblems) await store.appendEvent(run.id, 'run:notify:problem', { problem });
  return { run: ended, outcome: { ...outcome, reason }, reportPath, notifyProblems };
}

/**
 * In session mode the agent's own Stop hook runs the gates, judged by the base commit's config copied
 * outside the worktree, so one agent session iterates until they pass before Sluice checks again.
 */
async function writeStopHook(
  runDir: string,
  baseText: string,
  acceptance: string[],
  checkRoot: string,
  baseCommit: string,
): Promise<string> {
  const judge = join(runDir, 'judge.yaml');
  await writeFile(judge, renderJudgeConfig(baseText, acceptance));
  return sluiceCommand(['hook', 'stop', '--config', judge, '--root', checkRoot, '--base', baseCommit]);
}

/** A shell command running this Sluice with this Node, by absolute paths: hooks must not depend on PATH. */
function sluiceCommand(args: string[]): string {
  const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;
  return [process.execPath, sluiceBin, ...args].map(quote).join(' ');
}

const sluiceBin = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));

async function writeEvidence(
  store: RunStore,
  run: RunRecord,
  outcome: LoopOutcome,
  runDir: string,
  gym: GymTracker | undefined,
): Promise<string> {
  const iterations = await store.listIterations(run.id);
  const total = await diffStats(run.worktreePath, run.baseCommit, 'HEAD').catch(() => undefined);
  const evidence: EvidenceInput = {
    run: {
      id: run.id,
      goal: run.goal,
      verdict: outcome.verdict,
      reason: outcome.reason,
      agent: run.agent,
      ...(run.model ? { model: run.model } : {}),
      baseRef: run.baseRef,
      baseCommit: run.baseCommit,
      branch: run.branch,
      startedAt: run.createdAt,
      finishedAt: run.finishedAt ?? new Date().toISOString(),
    },
    iterations: iterations.map((iteration) => ({
      number: iteration.number,
      agentStatus: iteration.agentStatus ?? 'interrupted',
      ...(iteration.checkVerdict ? { checkVerdict: iteration.checkVerdict } : {}),
      ...(iteration.commitSha ? { commitSha: iteration.commitSha } : {}),
      diff: {
        filesChanged: iteration.filesChanged ?? 0,
        insertions: iteration.insertions ?? 0,
        deletions: iteration.deletions ?? 0,
      },
      durationMs: durationOf(iteration.startedAt, iteration.finishedAt),
    })),
    ...(outcome.lastCheck ? { finalCheck: outcome.lastCheck } : {}),
    totalDiff: total ?? { filesChanged: 0, insertions: 0, deletions: 0 },
    usage: outcome.usage,
    guard: { findings: outcome.lastGuard?.findings ?? [], reverted: await revertedDuringRun(store, run.id) },
    ...(gym ? { gym: await writeGymCharts(gym, runDir) } : {}),
    judging: await judgingEvidence(store, run.id),
  };
  const markdownPath = join(runDir, 'evidence.md');
  await writeFile(markdownPath, renderEvidenceMarkdown(evidence));
  await writeFile(join(runDir, 'evidence.json'), `${JSON.stringify(evidenceJson(evidence), null, 2)}\n`);
  return markdownPath;
}

/**
 * The evidence of a finished run, rebuilt from the store: for a run whose process was killed between
 * its verdict and its report. The final check is the last finished iteration's recorded gates.
 */
export async function rewriteEvidence(store: RunStore, run: RunRecord, configDir: string): Promise<string> {
  const runDir = runDirOf(run, configDir);
  await mkdir(runDir, { recursive: true });
  const finished = (await store.listIterations(run.id)).filter((iteration) => iteration.status === 'finished');
  const last = finished.at(-1);
  const gates = last ? await store.gateResults(run.id, last.number) : [];
  const guard = (await store.events(run.id)).filter((event) => event.type === guardEvent).at(-1);
  const findings = (guard?.payload as { findings?: Finding[] } | null)?.findings ?? [];
  const outcome: LoopOutcome = {
    verdict: run.status as LoopOutcome['verdict'],
    reason: run.reason ?? '',
    iterations: finished.length,
    ...(last?.checkVerdict
      ? {
          lastCheck: {
            verdict: last.checkVerdict,
            gates,
            durationMs: gates.reduce((sum, gate) => sum + gate.durationMs, 0),
            cancelled: false,
          },
        }
      : {}),
    lastGuard: { baseCommit: run.baseCommit, findings, reverted: [] },
    usage: await store.runUsage(run.id),
  };
  return writeEvidence(store, run, outcome, runDir, undefined);
}

/** Where the gates ran, what contained the processes, what sandboxed the agent, what was put back. */
async function judgingEvidence(store: RunStore, runId: string): Promise<JudgingEvidence> {
  const events = await store.events(runId);
  const sandbox = events.filter((event) => event.type === sandboxEvent).at(-1)?.payload as
    | { description?: string }
    | undefined;
  const lastNotes = events.filter((event) => event.type === judgeEvent).at(-1)?.payload as
    | { notes?: string[] }
    | undefined;
  const containment = describeContainment();
  return {
    checkout: [
      "each iteration's commit, checked out exactly in a clean checkout of Sluice's own (reset and cleaned before every check, never the agent's worktree); a passing verdict never rests on the cache",
      ...(lastNotes?.notes ?? []),
    ].join('; '),
    containment: `${containment.kernelEnforced ? 'kernel-enforced' : 'best effort'} (${containment.mechanism}): ${containment.note}`,
    sandbox: sandbox?.description ?? 'not recorded',
    repository: events
      .filter((event) => event.type === repositoryTamperedEvent)
      .flatMap((event) => (event.payload as { problems?: string[] } | null)?.problems ?? []),
  };
}

/** Every finding whose files Sluice restored, over all iterations of the run (resumed ones included). */
async function revertedDuringRun(store: RunStore, runId: string): Promise<Finding[]> {
  const events = await store.events(runId);
  return events
    .filter((event) => event.type === guardEvent)
    .flatMap((event) => (event.payload as { reverted?: Finding[] } | null)?.reverted ?? []);
}

function durationOf(startedAt: string, finishedAt: string | undefined): number {
  return finishedAt ? Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)) : 0;
}
