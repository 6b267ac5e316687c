import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SluiceConfig } from '../config/schema.ts';
import { type CheckResult, checkVerdict, type GateResult } from '../gates/gate-results.ts';
import type { GateRunContext } from '../gates/run-gate.ts';
import { runGateGraph } from '../gates/run-gate-graph.ts';
import { checkOfChangedTree } from '../judge/files-changed-from.ts';
import { type JudgedTree, JudgeError } from '../judge/judge-checkout.ts';
import { unjudgedCheck } from '../judge/unjudged-check.ts';

export interface JudgeIterationInput {
  /** Checks the commit out exactly in the judge checkout (see `LoopPorts.prepareJudge`). */
  prepare: () => Promise<JudgedTree>;
  config: SluiceConfig;
  /** The judge's gate cache, outside every tree an agent can write. */
  cacheDir: string;
  /** Where bench baselines are checked out, outside the judge checkout (which is reset before every check). */
  baselinesDir: string;
  /** Where the gates' logs are kept for this iteration (the run's folder). */
  logsDir: string;
  baseRef?: string;
  signal: AbortSignal;
  onProcessStart?: GateRunContext['onProcessStart'];
}

export interface JudgedCheck {
  check: CheckResult;
  /** The commit judged, and what the evidence should say about how. */
  commit?: string;
  /** The gates' root in the judge checkout (to be replaced by the worktree's in what the agent reads). */
  root?: string;
  notes: string[];
}

/**
 * Judge the run's head commit in Sluice's own checkout: the gates never see the agent's worktree. A
 * passing check that answered any gate from the cache is confirmed by running those gates again: the
 * verdict that can end a run never rests on a cache entry.
 */
export async function judgeIteration(input: JudgeIterationInput): Promise<JudgedCheck> {
  let tree: JudgedTree;
  try {
    tree = await input.prepare();
  } catch (error) {
    if (!(error instanceof JudgeError)) throw error;
    return { check: unjudgedCheck(error.message), notes: [error.message] };
  }
  const run = (extra: { useCache?: boolean; only?: string[] }) =>
    runGateGraph({
      config: input.config,
      root: tree.root,
      cacheDir: input.cacheDir,
      baselinesDir: input.baselinesDir,
      signal: input.signal,
      ...(input.onProcessStart ? { onProcessStart: input.onProcessStart } : {}),
      ...(input.baseRef ? { baseRef: input.baseRef } : {}),
      ...extra,
    });
  let check = await run({});
  const cached = check.gates.filter((gate) => gate.status === 'cached').map((gate) => gate.name);
  if (check.verdict === 'passed' && cached.length > 0 && !check.cancelled) {
    const confirmed = await run({ useCache: false, only: cached });
    const fresh = new Map(confirmed.gates.map((gate) => [gate.name, gate]));
    const gates = check.gates.map((gate) => fresh.get(gate.name) ?? gate);
    check = {
      verdict: checkVerdict(gates),
      gates,
      durationMs: check.durationMs + confirmed.durationMs,
      cancelled: confirmed.cancelled,
    };
  }
  if (check.verdict === 'passed' && !check.cancelled) {
    const changed = await tree.changedFiles();
    if (changed.length > 0) check = checkOfChangedTree(check, changed);
  }
  const gates = await keepLogs(check.gates, tree.root, input.logsDir);
  return { check: { ...check, gates }, commit: tree.commit, root: tree.root, notes: tree.notes };
}

/** Copy the gates' logs out of the judge checkout (it is reset before the next check) and point at the copies. */
async function keepLogs(gates: GateResult[], root: string, logsDir: string): Promise<GateResult[]> {
  const source = join(root, '.sluice', 'logs');
  const names = await readdir(source).catch(() => [] as string[]);
  if (names.length === 0) return gates;
  await mkdir(logsDir, { recursive: true });
  await Promise.all(names.map((name) => copyFile(join(source, name), join(logsDir, name)).catch(() => {})));
  return gates.map((gate) =>
    gate.logPath?.startsWith('.sluice/logs/')
      ? { ...gate, logPath: join(logsDir, gate.logPath.slice('.sluice/logs/'.length)) }
      : gate,
  );
}
