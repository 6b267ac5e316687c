import { join } from 'node:path';
import { monotonicNow } from '../clock.ts';
import type { GateConfig, SluiceConfig } from '../config/schema.ts';
import { setupCommands } from '../config/setup-steps.ts';
import { sluiceFolderName } from '../config/sluice-folder.ts';
import { computeGateKey, GateCache } from './cache/gate-cache.ts';
import { InputHasher } from './cache/hash-inputs.ts';
import type { CheckEventListener } from './check-events.ts';
import { type CheckResult, checkVerdict, describeGate, type GateResult, isGatePass } from './gate-results.ts';
import type { GateRunContext } from './run-gate.ts';
import { scheduleTier } from './schedule-tier.ts';
import { selectGates } from './select-gates.ts';
import { ServiceSet, ServiceStartError } from './services/service-set.ts';
import { ensureSluiceDir } from './sluice-dir.ts';

export interface RunGateGraphOptions {
  config: SluiceConfig;
  /** Folder of sluice.yaml. */
  root: string;
  /** Run only these gates and what they need. */
  only?: string[];
  /** Gates running at once; default: config, else one per core and more while cores sit idle. */
  concurrency?: number;
  /** False: ignore recorded passes (still record new ones). */
  useCache?: boolean;
  /** Where passes are remembered; default `.sluice/cache` under the root. A judge keeps it outside the tree it judges. */
  cacheDir?: string;
  /** Where bench baselines are checked out; default `.sluice/baselines` under the root (see `cacheDir`). */
  baselinesDir?: string;
  signal?: AbortSignal;
  onEvent?: CheckEventListener;
  /** Told each gate's process group as it starts (see `GateRunContext`). */
  onProcessStart?: GateRunContext['onProcessStart'];
  /** What bench gates compare with (a run's base commit, `--base`); without it they measure only the change. */
  baseRef?: string;
  /** The check's look at the input files, when the caller started it early (`startInputHashing`). */
  inputHasher?: InputHasher;
}

/**
 * Run the gate DAG: tier by tier (a tier starts only when every blocking gate below it passed),
 * inside a tier as parallel as `needs` and the concurrency limit allow.
 */
export async function runGateGraph(options: RunGateGraphOptions): Promise<CheckResult> {
  const started = monotonicNow();
  const selected = selectGates(options.config.gates, options.only);
  const sluiceDir = await ensureSluiceDir(options.root);
  const cacheDir = options.cacheDir ?? join(sluiceDir, 'cache');
  const cache = new GateCache(cacheDir);
  // Input hashes are remembered beside the passes (the same trust), unless recorded passes are to be ignored.
  const inputHasher =
    options.inputHasher ?? new InputHasher(options.root, options.useCache === false ? {} : { memoDir: cacheDir });
  if (options.useCache !== false) prefetchInputHashes(inputHasher, selected.values());
  // Unset: one gate per core, and more while cores sit idle (see IdleCores).
  const fixed = options.concurrency ?? options.config.concurrency;
  const concurrency = fixed === undefined ? undefined : Math.max(1, fixed);
  const emit = options.onEvent ?? (() => {});
  const results = new Map<string, GateResult>();
  const keys = new Map<string, string | undefined>();
  const tiers = [...new Set([...selected.values()].map((gate) => gate.tier))].sort((a, b) => a - b);
  emit({ type: 'check:start', gates: [...selected].map(([name, gate]) => ({ name, tier: gate.tier })) });
  const services = new ServiceSet({
    services: options.config.services,
    root: options.root,
    sluiceDir,
    ...signalOption(options.signal),
    ...(options.onProcessStart ? { onProcessStart: options.onProcessStart } : {}),
  });
  // Only a check with a bench gate loads what checks baselines out.
  const baselines = [...selected.values()].some((gate) => gate.bench)
    ? new (await import('./bench/baseline-worktrees.ts')).BaselineWorktrees({
        root: options.root,
        sluiceDir,
        ...(options.baselinesDir ? { baselinesDir: options.baselinesDir } : {}),
        setup: setupCommands(options.config.setup),
        ...signalOption(options.signal),
      })
    : undefined;

  // The process groups each running gate started: the default concurrency looks at what they do.
  const gateProcesses = new Map<string, number[]>();
  const finish = (result: GateResult) => {
    results.set(result.name, result);
    emit({ type: 'gate:finish', result });
  };

  const startGate = async (name: string, gate: GateConfig): Promise<GateResult> => {
    const lookupStarted = monotonicNow();
    const neededKeys = Object.fromEntries(gate.needs.filter((n) => selected.has(n)).map((n) => [n, keys.get(n)]));
    const key = await computeGateKey(options.root, gate, neededKeys, inputHasher);
    keys.set(name, key);
    if (key && options.useCache !== false) {
      const hit = await cache.findPass(name, key);
      if (hit) {
        return {
          ...describeGate(name, gate),
          status: 'cached',
          durationMs: Math.round(monotonicNow() - lookupStarted),
          reason: `inputs unchanged since the pass at ${hit.passedAt}`,
          failures: [],
          ...(hit.counts ? { counts: hit.counts } : {}),
          problems: [],
        };
      }
    }
    emit({ type: 'gate:start', name });
    inputHasher.invalidate(); // a running gate may write files other gates take as inputs
    const serviceFailure = await startServices(services, name, gate, options.signal);
    if (serviceFailure) return serviceFailure;
    // Loaded at the first gate that runs: a check answered from the cache never loads the process code.
    const { runGate } = await import('./run-gate.ts');
    const result = await runGate(name, gate, {
      root: options.root,
      sluiceDir,
      ...signalOption(options.signal),
      onProcessStart: (group) => {
        gateProcesses.set(name, [...(gateProcesses.get(name) ?? []), group.pgid]);
        options.onProcessStart?.(group);
      },
      services,
      ...(baselines ? { baselines } : {}),
      ...(options.baseRef ? { baseRef: options.baseRef } : {}),
    });
    if (key && result.status === 'passed') {
      await cache.recordPass(name, {
        key,
        passedAt: new Date().toISOString(),
        durationMs: result.durationMs,
        ...(result.counts ? { counts: result.counts } : {}),
      });
    }
    return result;
  };

  const runTier = (tierGates: Array<[string, GateConfig]>) =>
    scheduleTier({
      gates: tierGates,
      selected,
      results,
      concurrency,
      runningProcesses: () => [...gateProcesses.values()].flat(),
      ...signalOption(options.signal),
      run: (name, gate) =>
        startGate(name, gate)
          .catch((error: unknown) => failedToRun(name, gate, error))
          .then((result) => {
            if (result.status !== 'cached') inputHasher.invalidate();
            return result;
          }),
      finish: (result) => {
        gateProcesses.delete(result.name);
        finish(result);
      },
      skip: skippedResult,
    });

  try {
    await runTiers();
  } finally {
    await services.stopAll();
  }

  async function runTiers() {
    let stopReason: string | undefined;
    for (const tier of tiers) {
      const tierGates = [...selected].filter(([, gate]) => gate.tier === tier);
      if (options.signal?.aborted) stopReason = 'cancelled';
      if (stopReason) {
        for (const [name, gate] of tierGates) finish(skippedResult(name, gate, stopReason));
        continue;
      }
      await runTier(tierGates);
      const failed = tierGates.filter(
        ([name, gate]) => gate.blocking && !isGatePass(results.get(name)?.status ?? 'failed'),
      );
      if (failed.length > 0) {
        stopReason = `tier ${tier} failed (${failed.map(([name]) => name).join(', ')})`;
      }
    }
  }

  const gates = [...selected.keys()]
    .map((name) => results.get(name))
    .filter((result): result is GateResult => result !== undefined)
    .sort((a, b) => a.tier - b.tier);
  const result: CheckResult = {
    verdict: checkVerdict(gates),
    gates,
    durationMs: Math.round(monotonicNow() - started),
    cancelled: options.signal?.aborted ?? false,
  };
  emit({ type: 'check:finish', result });
  return result;
}

/**
 * Start looking at the gates' input files now, for a `runGateGraph` over `root` that comes later (pass it
 * as `inputHasher`): a Stop hook hashes while its guard asks git about the change. Only reads the tree.
 */
export function startInputHashing(
  root: string,
  config: SluiceConfig,
  hasher: InputHasher = lookAtInputs(root),
): InputHasher {
  prefetchInputHashes(hasher, Object.values(config.gates));
  return hasher;
}

/**
 * Start git's look at the files under `root` before the config is even read (a cached check is mostly this
 * look, Node's start-up and the config): pass the hasher to `runGateGraph` over the same root, with the cache.
 */
export function lookAtInputs(root: string, cacheDir = join(root, sluiceFolderName, 'cache')): InputHasher {
  // Remembered in the cache folder, where `runGateGraph` keeps the passes (the default unless told otherwise).
  const hasher = new InputHasher(root, { memoDir: cacheDir });
  hasher.lookAhead();
  return hasher;
}

/**
 * Start hashing every gate's inputs at once, before the scheduler gets to them: the hasher asks git its
 * questions for all of them together, and a check answered from the cache does not wait for git gate by
 * gate. A gate that runs drops these (`invalidate`), so later lookups still see what it wrote.
 */
function prefetchInputHashes(hasher: InputHasher, gates: Iterable<GateConfig>): void {
  for (const gate of gates) {
    if (gate.inputs && gate.inputs.length > 0 && !gate.bench) hasher.hash(gate.inputs).catch(() => {});
  }
}

/** Start what the gate needs; a service that cannot start fails the gate with the end of its log. */
async function startServices(
  services: ServiceSet,
  name: string,
  gate: GateConfig,
  signal: AbortSignal | undefined,
): Promise<GateResult | undefined> {
  if (gate.services.length === 0) return undefined;
  const started = monotonicNow();
  try {
    await services.ensure(gate.services);
    return undefined;
  } catch (error) {
    const durationMs = Math.round(monotonicNow() - started);
    if (signal?.aborted) return skippedResult(name, gate, 'cancelled');
    if (!(error instanceof ServiceStartError)) return failedToRun(name, gate, error);
    return {
      ...describeGate(name, gate),
      status: 'failed',
      durationMs,
      reason: error.message,
      logPath: error.logPath,
      failures: [],
      outputTail: error.logTail,
      problems: [],
    };
  }
}

function skippedResult(name: string, gate: GateConfig, reason: string): GateResult {
  return { ...describeGate(name, gate), status: 'skipped', durationMs: 0, reason, failures: [], problems: [] };
}

/** A gate the runner itself could not handle (a disk error, say) fails with the reason; the check goes on. */
function failedToRun(name: string, gate: GateConfig, error: unknown): GateResult {
  const reason = `sluice could not run it: ${error instanceof Error ? error.message : String(error)}`;
  return { ...describeGate(name, gate), status: 'failed', durationMs: 0, reason, failures: [], problems: [] };
}

function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}
