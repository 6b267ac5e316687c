import type { CheckResult } from '../../gates/gate-results.ts';
import { runOfWorktree } from '../../loop/run-of-worktree.ts';
import { RunStore, runStorePath } from '../../store/run-store.ts';
import { resolveCommit } from '../../workspace/refs.ts';
import { repoRootOf } from '../../workspace/repo-root.ts';

/**
 * What bench gates of `sluice check` compare with: `--base`, else the run's base in a run's
 * worktree, else HEAD (the uncommitted change against the last commit).
 */
export async function benchBase(
  root: string,
  configPath: string,
  flag: string | undefined,
): Promise<{ baseRef?: string; inRun: boolean }> {
  const repoRoot = await repoRootOf(root).catch(() => undefined);
  if (!repoRoot) return { inRun: false, ...(flag ? { baseRef: flag } : {}) };
  const run = await runOfWorktree(repoRoot, configPath);
  return { baseRef: flag ?? run?.baseCommit ?? 'HEAD', inRun: run !== undefined };
}

/** Keep the bench metrics of a check outside a run, for `sluice trend`. */
export async function recordBenchResults(root: string, result: CheckResult): Promise<void> {
  if (!result.gates.some((gate) => gate.bench)) return;
  const store = await RunStore.open(runStorePath(root));
  try {
    const repoRoot = await repoRootOf(root).catch(() => undefined);
    const commit = repoRoot ? await resolveCommit(repoRoot, 'HEAD').catch(() => undefined) : undefined;
    await store.bench.record(result.gates, commit ? { commit } : {});
  } finally {
    await store.close();
  }
}
