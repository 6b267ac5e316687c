import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { runStorePath } from '../store/store-paths.ts';
import { currentBranch } from '../workspace/refs.ts';
import { mainCheckoutOf } from '../workspace/repo-root.ts';

/** The run whose worktree `repoRoot` is, found by its `sluice/<id>` branch in the main checkout's store. */
export interface WorktreeRun {
  runId: string;
  baseCommit: string;
  baseRef: string;
}

/**
 * When `repoRoot` is the worktree of a Sluice run (`configPath` its sluice.yaml), the run as recorded;
 * otherwise undefined. Never creates a store. `known.branch`: the branch checked out (null when detached),
 * when the caller asked git already.
 */
export async function runOfWorktree(
  repoRoot: string,
  configPath: string,
  known?: { branch: string | null },
): Promise<WorktreeRun | undefined> {
  const branch = known ? known.branch : await currentBranch(repoRoot);
  const runId = branch?.match(/^sluice\/(.+)$/)?.[1];
  if (!runId) return undefined;
  const main = await mainCheckoutOf(repoRoot);
  const storePath = runStorePath(join(main, dirname(relative(repoRoot, configPath))));
  if (!existsSync(storePath)) return undefined;
  // Loaded only here: the store and its query builder cost more than a guard of an empty diff.
  const { RunStore } = await import('../store/run-store.ts');
  const store = await RunStore.open(storePath);
  try {
    const run = await store.getRun(runId);
    return run ? { runId, baseCommit: run.baseCommit, baseRef: run.baseRef } : undefined;
  } finally {
    await store.close();
  }
}
