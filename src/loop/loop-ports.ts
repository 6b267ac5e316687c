import type { AgentTurnResult } from '../agents/agent-adapter.ts';
import type { CheckResult, GateResult } from '../gates/gate-results.ts';
import type { GuardReport } from '../guard/guard-worktree.ts';
import type { JudgedTree } from '../judge/judge-checkout.ts';
import type { ModelUsage } from '../usage/model-usage.ts';

export interface TurnDiff {
  filesChanged: number;
  insertions: number;
  deletions: number;
}

/** What is recorded when an iteration ends. */
export interface IterationRecordInput {
  agent: AgentTurnResult;
  commit: string | null;
  diff: TurnDiff;
  check?: CheckResult;
  feedback?: string;
  failureSignature?: string;
}

/**
 * The loop's view of the store and the worktree for one run: each call is committed (to the
 * database, to git) before it returns, so the loop never acts on something not yet recorded —
 * except what only the iteration's end acts on (gate results, the guard's findings, the judge's
 * notes), which `finishIteration` commits with the outcome in one transaction.
 */
export interface LoopPorts {
  startIteration(iteration: number, info: { promptChars: number }): Promise<void>;
  /** Remember a process group of this iteration (the agent's, a gate's), so a successor can reap it if this process dies. */
  recordProcessGroup(iteration: number, group: { pgid: number; startTime: string | undefined }): Promise<void>;
  recordUsage(iteration: number, usage: ModelUsage[]): Promise<void>;
  /** Held for `finishIteration`, which records them with the outcome. */
  recordGateResults(iteration: number, gates: GateResult[]): Promise<void>;
  finishIteration(iteration: number, record: IterationRecordInput): Promise<void>;
  /**
   * After a turn, before anything else runs git: put back what the agent changed in the shared git dir
   * (hooks, config, info/) and check the worktree still commits to the run's branch. Returns what was
   * wrong, in words; empty when nothing was. Any problem means the run cannot be done.
   */
  checkRepository(iteration: number): Promise<string[]>;
  /** Commit the worktree as the agent left it; `commit` is null when nothing changed. */
  commitTurn(message: string): Promise<{ commit: string | null; diff: TurnDiff; clearedIndexBits?: string[] }>;
  /**
   * Guard the run's change since its base: restore (and commit) the files of `revert` findings, record
   * the findings, and return what still stands.
   */
  guardChange(iteration: number): Promise<GuardReport>;
  /**
   * Check the run's head commit out exactly in the judge checkout (Sluice's own, never the agent's
   * worktree) and set it up: where the gates run. Throws `JudgeError` when that cannot be done. The loop
   * calls it while `guardChange` runs (the commit as the turn left it), and again after a guard that
   * restored files; it never runs twice at once.
   */
  prepareJudge(): Promise<JudgedTree>;
  /** Lines added + deleted on the run's branch since its base. */
  changeLines(): Promise<number>;
  /** Whether the run's branch differs from its base at all. */
  runChangedAnything(): Promise<boolean>;
  /** The commit the run's branch is at now. */
  headCommit(): Promise<string>;
}
