import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { findConfigFile, type LoadedConfig, loadConfig } from '../../config/config-file.ts';
import { minimumFeedbackBudget } from '../../config/feedback-limits.ts';
import type { SluiceConfig } from '../../config/schema.ts';
import { SluiceError, UsageError } from '../../errors.ts';
import type { InputHasher } from '../../gates/cache/hash-inputs.ts';
import { lockChecks } from '../../gates/check-lock.ts';
import { compactFeedback } from '../../gates/feedback/compact-feedback.ts';
import type { CheckResult } from '../../gates/gate-results.ts';
import { lookAtInputs, runGateGraph } from '../../gates/run-gate-graph.ts';
import { ensureSluiceDir } from '../../gates/sluice-dir.ts';
import { declareCommand, declareFlags, type FlagValues } from '../declare-command.ts';
import { checkResultToJson } from '../output/check-json.ts';
import { createCheckReporter } from '../output/check-reporter.ts';
import { writeError, writeOut } from '../output/write.ts';
import { withInterruptSignal } from './interrupt.ts';

const flags = declareFlags({
  dir: {
    type: 'string',
    alias: 'C',
    placeholder: 'path',
    description: 'Run as if started in <path> (sluice.yaml is looked up from there)',
  },
  config: { type: 'string', alias: 'c', placeholder: 'file', description: 'Use this config file' },
  gate: {
    type: 'string',
    alias: 'g',
    placeholder: 'name',
    multiple: true,
    description: 'Run only this gate and the gates it needs (repeatable)',
  },
  'max-tier': {
    type: 'whole',
    min: 0,
    description: 'Run only the gates of tiers <= n (the cheap ones; what the pre-commit hook runs)',
  },
  'no-cache': { type: 'boolean', description: 'Re-run every gate, even when its inputs are unchanged' },
  commit: {
    type: 'string',
    placeholder: 'ref',
    description:
      "Judge this commit instead of the working tree: in a clean checkout of Sluice's own, without the cache; untracked and ignored files do not count (pre-push)",
  },
  base: {
    type: 'string',
    placeholder: 'ref',
    description: "What bench gates compare with (default: the run's base in a run's worktree, else HEAD)",
  },
  concurrency: {
    type: 'whole',
    alias: 'j',
    description: 'Gates at once (default: config, else one per core and more while cores sit idle)',
  },
  json: { type: 'boolean', description: 'Print machine-readable results only' },
  feedback: { type: 'boolean', description: 'Print only the compact feedback an agent reads' },
  budget: {
    type: 'whole',
    min: minimumFeedbackBudget,
    placeholder: 'chars',
    description: `Size limit of the feedback, >= ${minimumFeedbackBudget} (default: config, else 4000)`,
  },
});
type CheckFlags = FlagValues<typeof flags>;

/** `sluice check`: flags -> config -> runGateGraph -> output -> exit code. */
export const command = declareCommand({
  name: 'check',
  flags,
  notes:
    'Full logs: .sluice/logs/<gate>.log.\nExit: 0 passed, 1 a blocking gate failed, 2 usage or config error, 70 internal error, 130 cancelled.',
  async run(values) {
    try {
      return await check(values);
    } catch (error) {
      // A script reading --json gets JSON even when there is no result to give.
      if (values.json) writeOut(JSON.stringify({ verdict: 'error', error: describeError(error) }, null, 2));
      throw error;
    }
  },
});

export const run = command.run;

function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof SluiceError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

async function check(values: CheckFlags): Promise<number> {
  if (values.json && values.feedback) throw new UsageError('choose one of --json and --feedback');
  const startDir = resolve(values.dir ?? '.');
  if (!existsSync(startDir)) throw new UsageError(`no such folder: ${startDir}`);
  const configPath = values.config ? resolve(startDir, values.config) : findConfigFile(startDir);
  if (!configPath) {
    throw new UsageError(`no sluice.yaml in ${startDir} or above; run "sluice init" to write one`);
  }
  // Git's look at the files starts while the config loads: a cached check is mostly the two.
  const inputHasher = values['no-cache'] || values.commit ? undefined : lookAtInputs(dirname(resolve(configPath)));
  const loaded = await loadConfig(configPath);
  // Two checks of one folder would write the same logs and reports: the second waits for the first.
  const lock = await lockChecks(loaded.root, {
    onWait: (holder) => {
      // The first check's gates may write files this one takes as inputs: look again once it is done.
      inputHasher?.invalidate();
      writeError(
        `sluice: waiting for the sluice check already running in ${loaded.root} (pid ${holder.pid}, since ${holder.startedAt})`,
      );
    },
  });
  try {
    return await checkLoaded(values, loaded, inputHasher);
  } finally {
    await lock.release();
  }
}

async function checkLoaded(
  values: CheckFlags,
  loaded: LoadedConfig,
  inputHasher: InputHasher | undefined,
): Promise<number> {
  const config =
    values['max-tier'] === undefined
      ? loaded.config
      : gatesUpToTier(loaded.config, values['max-tier'], values.gate ?? []);
  const budget = values.budget ?? loaded.config.feedback.budget;
  const mode = values.json ? 'json' : values.feedback ? 'feedback' : 'human';
  const reporter = mode === 'human' ? createCheckReporter(process.stdout) : undefined;

  // The run store and git lookups load only for a check with a bench gate: plain checks stay fast.
  const benchModule = Object.values(config.gates).some((gate) => gate.bench)
    ? await import('./check-bench.ts')
    : undefined;
  const bench = benchModule
    ? await benchModule.benchBase(loaded.root, loaded.path, values.base)
    : { inRun: false, baseRef: undefined };
  let result: CheckResult;
  try {
    result = await withInterruptSignal(async (signal) => {
      // The judge checkout (and git's worktree code) loads only for --commit.
      const judged = values.commit
        ? await (await import('./check-commit.ts')).judgeCommitCheckout(loaded.root, values.commit, config, signal)
        : undefined;
      try {
        const check = await runGateGraph({
          config,
          root: judged?.root ?? loaded.root,
          only: values.gate ?? [],
          useCache: !values['no-cache'] && !judged,
          ...(inputHasher && !judged ? { inputHasher } : {}),
          signal,
          ...(judged ? { baselinesDir: judged.baselinesDir } : {}),
          ...(bench.baseRef ? { baseRef: bench.baseRef } : {}),
          ...(values.concurrency ? { concurrency: values.concurrency } : {}),
          ...(reporter ? { onEvent: reporter.onEvent } : {}),
        });
        if (!judged || check.verdict !== 'passed' || check.cancelled) return check;
        // What passed must be the commit: the checks run its code, which can write the checkout.
        const changed = await judged.changedFiles();
        if (changed.length === 0) return check;
        return (await import('../../judge/files-changed-from.ts')).checkOfChangedTree(check, changed);
      } finally {
        await judged?.remove();
      }
    });
  } finally {
    reporter?.stop();
  }
  await saveLastCheck(loaded.root, result);
  if (benchModule && !bench.inRun) await benchModule.recordBenchResults(loaded.root, result);

  const feedback = compactFeedback(result, { budget });
  if (mode === 'json') writeOut(JSON.stringify(checkResultToJson(result, feedback), null, 2));
  else if (mode === 'feedback') writeOut(feedback);
  else reporter?.summarize(result, feedback);
  if (result.cancelled) return 130;
  return result.verdict === 'passed' ? 0 : 1;
}

/** The config with only the gates of tiers <= `maxTier`; a gate's needs are never in a higher tier. */
function gatesUpToTier(config: SluiceConfig, maxTier: number, only: string[]): SluiceConfig {
  const gates = Object.fromEntries(Object.entries(config.gates).filter(([, gate]) => gate.tier <= maxTier));
  if (Object.keys(gates).length === 0) {
    const tiers = [...new Set(Object.values(config.gates).map((gate) => gate.tier))].sort((a, b) => a - b);
    throw new UsageError(`no gate in tier <= ${maxTier}; the tiers of sluice.yaml are ${tiers.join(', ')}`);
  }
  for (const name of only) {
    const tier = config.gates[name]?.tier;
    if (tier !== undefined && tier > maxTier) {
      throw new UsageError(`gate "${name}" is in tier ${tier}, above --max-tier ${maxTier}`);
    }
  }
  return { ...config, gates };
}

async function saveLastCheck(root: string, result: CheckResult): Promise<void> {
  const dir = await ensureSluiceDir(root);
  await writeFile(join(dir, 'last-check.json'), `${JSON.stringify(checkResultToJson(result), null, 2)}\n`);
}
