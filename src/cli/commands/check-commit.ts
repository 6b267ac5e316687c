import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { SluiceConfig } from '../../config/schema.ts';
import { UsageError } from '../../errors.ts';
import { JudgeCheckout, JudgeError } from '../../judge/judge-checkout.ts';
import { isProcessRunning } from '../../process/process-groups.ts';
import { resolveCommit } from '../../workspace/refs.ts';
import { repoRootOf } from '../../workspace/repo-root.ts';
import { defaultWorktreesDir } from '../../workspace/worktrees.ts';

export interface JudgedCommitCheckout {
  /** The folder of sluice.yaml inside the clean checkout: where the gates run. */
  root: string;
  baselinesDir: string;
  /** The commit's files the checks changed in the checkout (files-changed-from.ts). */
  changedFiles: () => Promise<string[]>;
  remove: () => Promise<void>;
}

/**
 * `sluice check --commit <ref>`: the commit checked out in a clean checkout of Sluice's own (beside the
 * repository, removed afterwards), set up by `setup:` or with the dependencies of this checkout, so the
 * verdict is about what the commit holds and nothing else.
 */
export async function judgeCommitCheckout(
  configRoot: string,
  ref: string,
  config: SluiceConfig,
  signal: AbortSignal,
): Promise<JudgedCommitCheckout> {
  const repoRoot = await repoRootOf(configRoot);
  const commit = await resolveCommit(repoRoot, ref).catch(() => {
    throw new UsageError(`--commit ${ref}: no such commit in ${repoRoot}`);
  });
  const judges = join(defaultWorktreesDir(repoRoot), '.judge');
  await sweepDeadChecks(repoRoot, judges);
  const checkout = new JudgeCheckout({
    repoRoot,
    path: join(judges, `check-${process.pid}-${commit.slice(0, 12)}`),
    configDir: relative(repoRoot, configRoot),
    setup: config.setup,
    logDir: join(configRoot, '.sluice', 'logs'),
    signal,
  });
  try {
    const tree = await checkout.prepare(commit);
    return {
      root: tree.root,
      baselinesDir: checkout.baselinesDir,
      changedFiles: tree.changedFiles,
      remove: () => checkout.remove(),
    };
  } catch (error) {
    await checkout.remove();
    if (error instanceof JudgeError) throw new UsageError(`cannot judge ${ref}: ${error.message}`);
    throw error;
  }
}

/** Checkouts of `check --commit` runs that were killed (-9) before removing theirs: their pid is gone. */
async function sweepDeadChecks(repoRoot: string, judges: string): Promise<void> {
  for (const name of await readdir(judges).catch(() => [] as string[])) {
    const owner = /^check-(\d+)-[0-9a-f]+$/.exec(name)?.[1];
    if (owner === undefined || isProcessRunning(Number(owner))) continue;
    await new JudgeCheckout({ repoRoot, path: join(judges, name), configDir: '', setup: [], logDir: judges }).remove();
  }
}
