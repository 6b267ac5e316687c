import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { GuardConfig } from '../config/guard-schema.ts';
import { changedPaths } from '../guard/changed-files.ts';
import { guardWorktree } from '../guard/guard-worktree.ts';
import type { JudgeCheckout } from '../judge/judge-checkout.ts';
import { describeContainment } from '../process/containment.ts';
import type { RunRecord } from '../store/run-records.ts';
import type { IterationEndWrites, RunStore } from '../store/run-store.ts';
import { commitTurn, identityArgs } from '../workspace/commits.ts';
import { diffStats } from '../workspace/diff-stats.ts';
import type { WorktreeIndex } from '../workspace/index-bits.ts';
import { verifyObjectsWrittenSince } from '../workspace/object-integrity.ts';
import { resolveCommit } from '../workspace/refs.ts';
import {
  compareRepository,
  type RepositorySnapshot,
  restoreRepository,
  snapshotRepository,
} from '../workspace/repo-integrity.ts';
import { checkRunCheckout } from '../workspace/run-checkout.ts';
import type { LoopPorts } from './loop-ports.ts';
import { followUpFile } from './run-loop.ts';

/** The event that records a process group of a run (its agent, its gates). */
export const processGroupEvent = 'run:process:group';
/** The event that records the guard's findings on an iteration's change. */
export const guardEvent = 'run:guard';

/** The event that records what an agent changed in the shared git dir, or in how its worktree commits. */
export const repositoryTamperedEvent = 'run:repository:tampered';
/** The event that records how the judge checkout was made for a commit (setup re-run, dependencies borrowed). */
export const judgeEvent = 'run:judge';
/** The event that keeps the state of the shared git dir as the run found it (see `snapshotRepository`). */
export const repositorySnapshotEvent = 'run:repository:snapshot';

/** Take the snapshot a new run compares with, in the store (not in a folder the agent can write). */
export async function recordRepositorySnapshot(store: RunStore, runId: string, repoRoot: string): Promise<void> {
  await store.appendEvent(runId, repositorySnapshotEvent, await snapshotRepository(repoRoot));
}

/** The snapshot taken when the run started; a run from before snapshots existed gets one now. */
async function repositorySnapshotOf(store: RunStore, run: RunRecord): Promise<RepositorySnapshot> {
  const recorded = (await store.events(run.id)).find((event) => event.type === repositorySnapshotEvent);
  if (recorded) return recorded.payload as RepositorySnapshot;
  await recordRepositorySnapshot(store, run.id, run.repoRoot);
  return repositorySnapshotOf(store, run);
}

/** The loop's ports for one run, backed by the run store and the run's git worktree. */
export async function createRunPorts(
  store: RunStore,
  run: RunRecord,
  judge: JudgeCheckout,
  guard?: GuardConfig,
): Promise<LoopPorts> {
  const repository = await repositorySnapshotOf(store, run);
  const [head, identity] = await Promise.all([
    resolveCommit(run.worktreePath, 'HEAD'),
    // Who Sluice commits as is asked once per run, not on every commit.
    identityArgs(run.worktreePath),
  ]);
  // The commit the run's branch is at: every move of it in this process goes through these ports.
  let lastCommit = head;
  // When the current agent turn began: git objects written since then are verified after it.
  let turnStartedMs = Date.now();
  // What the iteration records at its end, in the one transaction that finishes it: gate results, the
  // guard's findings, the judge's notes. An iteration that never finishes is started again on resume, and
  // its start drops what the lost attempt recorded anyway.
  // The judge's notes are kept apart: the judge checkout is prepared while the guard runs, and they are
  // written after the guard's findings whichever finished first.
  let pending: {
    events: Array<{ type: string; payload: unknown }>;
    judgeEvents: Array<{ type: string; payload: unknown }>;
    gates?: IterationEndWrites['gates'];
  } = { events: [], judgeEvents: [] };
  // Set by a turn's commit: `git add -A` succeeded in the worktree and nothing has run in it since, so it
  // holds no untracked file that is not ignored (add -A fails on one it cannot stage).
  let stagedEverything = false;
  // The branch HEAD leads to, checked after each turn before Sluice's commit (`checkRepository`).
  const branch = { commonDir: repository.commonDir, name: run.branch };
  // The worktree's index as that check located it: read for hiding bits before each commit of Sluice's.
  let index: WorktreeIndex | undefined;
  return {
    async startIteration(iteration, info) {
      // verifyObjectsWrittenSince adds the file system clock's margin (a second where ctimes are whole seconds).
      turnStartedMs = Date.now();
      pending = { events: [], judgeEvents: [] };
      stagedEverything = false;
      index = undefined;
      await store.startIteration(run.id, iteration, info);
    },
    async recordProcessGroup(iteration, group) {
      // Only the process-group fallback needs the record: in a PID namespace the agent and the gates die
      // with this process (parent-death signal), so no successor has anything to reap; no commit for it.
      if (describeContainment().kernelEnforced) return;
      await store.appendEvent(run.id, processGroupEvent, { iteration, ...group });
    },
    async recordUsage(iteration, usage) {
      if (usage.length > 0) await store.recordUsage(run.id, iteration, usage);
    },
    async recordGateResults(_iteration, gates) {
      pending.gates = gates;
    },
    async finishIteration(iteration, record) {
      const writes: IterationEndWrites = {
        events: [...pending.events, ...pending.judgeEvents],
        ...(pending.gates ? { gates: pending.gates, bench: { runId: run.id, iteration, commit: lastCommit } } : {}),
      };
      pending = { events: [], judgeEvents: [] };
      await store.finishIteration(
        run.id,
        iteration,
        {
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
        },
        writes,
      );
    },
    async checkRepository(iteration) {
      // A repository deleted under a run is not put back piece by piece: the run just cannot go on.
      if (!existsSync(join(repository.commonDir, 'HEAD')))
        return [`the repository's git dir ${repository.commonDir} is gone`];
      const changes = await compareRepository(repository);
      const restored = changes.length > 0 ? await restoreRepository(repository, changes) : [];
      // The loose objects are listed and hashed while git answers the checkout check: neither writes.
      // Both settle before an error of either is thrown: no git call of the check outlives it.
      const [checked, verified] = await Promise.allSettled([
        checkRunCheckout(run.worktreePath, {
          repoRoot: run.repoRoot,
          branch: run.branch,
          commonDir: repository.commonDir,
        }),
        verifyObjectsWrittenSince(repository.commonDir, turnStartedMs),
      ]);
      if (checked.status === 'rejected') throw checked.reason;
      if (verified.status === 'rejected') throw verified.reason;
      const [checkout, objects] = [checked.value, verified.value];
      index =
        checkout.status === 'intact'
          ? { file: join(checkout.gitDir, 'index'), format: run.baseCommit.length === 64 ? 'sha256' : 'sha1' }
          : undefined;
      const problems = [
        ...changes.map(
          (change) =>
            `${change.description}${restored.some((entry) => entry.path === change.path) ? ' (Sluice put it back)' : ' (not restorable)'}`,
        ),
        ...(checkout.status === 'tampered' ? checkout.problems : []),
        ...objects,
      ];
      if (problems.length > 0) await store.appendEvent(run.id, repositoryTamperedEvent, { iteration, problems });
      return problems;
    },
    async commitTurn(message) {
      // The turn's commit follows checkRepository, which found HEAD on the run's branch.
      const committed = await commitTurn(run.worktreePath, message, { identity, branch, ...(index ? { index } : {}) });
      stagedEverything = true;
      const cleared = committed.clearedIndexBits?.map((entry) => `${entry.path} (${entry.bits.join(', ')})`);
      const turn = {
        commit: committed.commit,
        diff: committed.diff,
        ...(cleared ? { clearedIndexBits: cleared } : {}),
      };
      if (turn.commit !== null) {
        lastCommit = turn.commit;
        return turn;
      }
      // The agent may have committed by itself: its commits are the turn's change.
      const head = await resolveCommit(run.worktreePath, 'HEAD');
      if (head === lastCommit) return turn;
      const diff = await diffStats(run.worktreePath, lastCommit, head);
      lastCommit = head;
      return { ...turn, commit: head, diff };
    },
    async guardChange(iteration) {
      const report = await guardWorktree({
        repoRoot: run.worktreePath,
        base: run.baseCommit,
        ...(guard ? { config: guard } : {}),
        // Right after the turn's commit, nothing is untracked: no need to ask git for the list.
        ...(stagedEverything ? { paths: await changedPaths(run.worktreePath, run.baseCommit, '') } : {}),
      });
      if (report.reverted.length > 0) {
        const paths = [...new Set(report.reverted.map((finding) => finding.path))];
        const restored = await commitTurn(run.worktreePath, `sluice: restore ${paths.join(', ')} from the base`, {
          identity,
          branch,
          ...(index ? { index } : {}),
        });
        if (restored.commit) lastCommit = restored.commit;
      }
      const event = { type: guardEvent, payload: { iteration, findings: report.findings, reverted: report.reverted } };
      // Files the guard put back and committed are recorded at once; findings alone wait for the iteration's end.
      if (report.reverted.length > 0) await store.appendEvent(run.id, event.type, event.payload);
      else pending.events.push(event);
      return report;
    },
    async changeLines() {
      const stats = await diffStats(run.worktreePath, run.baseCommit, 'HEAD');
      // The follow-up list the agent writes when it splits its change is not part of what is reviewed.
      return stats.files
        .filter((file) => file.path !== followUpFile)
        .reduce((sum, file) => sum + file.insertions + file.deletions, 0);
    },
    async prepareJudge() {
      // The commit this process made or found last: what the iteration records is what is judged.
      const tree = await judge.prepare(lastCommit);
      if (tree.notes.length > 0)
        pending.judgeEvents.push({ type: judgeEvent, payload: { commit: tree.commit, notes: tree.notes } });
      return tree;
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
