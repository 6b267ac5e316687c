import type { GuardConfig } from '../config/guard-schema.ts';
import { guardWorktree } from '../guard/guard-worktree.ts';
import type { RunRecord } from '../store/run-records.ts';
import type { RunStore } from '../store/run-store.ts';
import { commitTurn } from '../workspace/commits.ts';
import { diffStats } from '../workspace/diff-stats.ts';
import { resolveCommit } from '../workspace/refs.ts';
import type { LoopPorts } from './loop-ports.ts';
import { followUpFile } from './run-loop.ts';

/** The event that records a process group of a run (its agent, its gates). */
export const processGroupEvent = 'run:process:group';
/** The event that records the guard's findings on an iteration's change. */
export const guardEvent = 'run:guard';

/** The loop's ports for one run, backed by the run store and the run's git worktree. */
export async function createRunPorts(store: RunStore, run: RunRecord, guard?: GuardConfig): Promise<LoopPorts> {
  let lastCommit = await resolveCommit(run.worktreePath, 'HEAD');
  return {
    async startIteration(iteration, info) {
      await store.startIteration(run.id, iteration, info);
    },
    async recordProcessGroup(iteration, group) {
      await store.appendEvent(run.id, processGroupEvent, { iteration, ...group });
    },
    async recordUsage(iteration, usage) {
      if (usage.length > 0) await store.recordUsage(run.id, iteration, usage);
    },
    async recordGateResults(iteration, gates) {
      await store.recordGateResults(run.id, iteration, gates);
      await store.bench.record(gates, { runId: run.id, iteration, commit: lastCommit });
    },
    async finishIteration(iteration, record) {
      await store.finishIteration(run.id, iteration, {
        agentStatus: record.agent.status,
        ...(record.agent.exitCode !== undefined ? { agentExitCode: record.agent.exitCode } : {}),
        ...(record.agent.reason ? { agentReason: record.agent.reason } : {}),
        ...(record.agent.sessionId ? { sessionId: record.agent.sessionId } : {}),
        ...(record.commit ? { commitSha: record.commit } : {}),
        filesChanged: record.diff.filesChanged,
        insertions: record.diff.insertions,
        deletions: record.diff.deletions,
        ...(record.check ? { checkVerdict: record.check.verdict } : {}),
        ...(record.failureSignature ? { failureSignature: record.failureSignature } : {}),
        ...(record.feedback ? { feedback: record.feedback } : {}),
      });
    },
    async commitTurn(message) {
      const turn = await commitTurn(run.worktreePath, message);
      if (turn.commit !== null) {
        lastCommit = turn.commit;
        return turn;
      }
      // The agent may have committed by itself: its commits are the turn's change.
      const head = await resolveCommit(run.worktreePath, 'HEAD');
      if (head === lastCommit) return turn;
      const diff = await diffStats(run.worktreePath, lastCommit, head);
      lastCommit = head;
      return { commit: head, diff };
    },
    async guardChange(iteration) {
      const report = await guardWorktree({
        repoRoot: run.worktreePath,
        base: run.baseCommit,
        ...(guard ? { config: guard } : {}),
      });
      if (report.reverted.length > 0) {
        const paths = [...new Set(report.reverted.map((finding) => finding.path))];
        const restored = await commitTurn(run.worktreePath, `sluice: restore ${paths.join(', ')} from the base`);
        if (restored.commit) lastCommit = restored.commit;
      }
      await store.appendEvent(run.id, guardEvent, {
        iteration,
        findings: report.findings,
        reverted: report.reverted,
      });
      return report;
    },
    async changeLines() {
      const stats = await diffStats(run.worktreePath, run.baseCommit, 'HEAD');
      // The follow-up list the agent writes when it splits its change is not part of what is reviewed.
      return stats.files
        .filter((file) => file.path !== followUpFile)
        .reduce((sum, file) => sum + file.insertions + file.deletions, 0);
    },
    async headCommit() {
      return resolveCommit(run.worktreePath, 'HEAD');
    },
    async runChangedAnything() {
      const head = await resolveCommit(run.worktreePath, 'HEAD');
      if (head === run.baseCommit) return false;
      return (await diffStats(run.worktreePath, run.baseCommit, head)).filesChanged > 0;
    },
  };
}
