import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findConfigFile, type LoadedConfig, loadConfig } from '../../config/config-file.ts';
import { minimumFeedbackBudget } from '../../config/feedback-limits.ts';
import type { SluiceConfig } from '../../config/schema.ts';
import { SluiceError, UsageError } from '../../errors.ts';
import { lockChecks } from '../../gates/check-lock.ts';
import { compactFeedback } from '../../gates/feedback/compact-feedback.ts';
import type { CheckResult } from '../../gates/gate-results.ts';
import { runGateGraph } from '../../gates/run-gate-graph.ts';
import { ensureSluiceDir } from '../../gates/sluice-dir.ts';
import { checkResultToJson } from '../output/check-json.ts';
import { createCheckReporter } from '../output/check-reporter.ts';
import { writeError, writeOut } from '../output/write.ts';
import { judgeCommitCheckout } from './check-commit.ts';
import { withInterruptSignal } from './interrupt.ts';
import { parseWholeNumber } from './parse-flags.ts';

const help = `Usage: sluice check [options]

Run the gates of sluice.yaml: in parallel, cheap tiers first, unchanged gates from the cache.

Options:
  -C, --dir <path>        Run as if started in <path> (sluice.yaml is looked up from there)
  -c, --config <file>     Use this config file
  -g, --gate <name>       Run only this gate and the gates it needs (repeatable)
      --max-tier <n>      Run only the gates of tiers <= n (the cheap ones; what the pre-commit hook runs)
      --no-cache          Re-run every gate, even when its inputs are unchanged
      --commit <ref>      Judge this commit instead of the working tree: in a clean checkout of Sluice's
                          own, without the cache; untracked and ignored files do not count (pre-push)
      --base <ref>        What bench gates compare with (default: the run's base in a run's
                          worktree, else HEAD)
  -j, --concurrency <n>   Gates at once (default: config, else one per core and more while cores sit idle)
      --json              Print machine-readable results only
      --feedback          Print only the compact feedback an agent reads
      --budget <chars>    Size limit of the feedback, >= 200 (default: config, else 4000)
  -h, --help              Show this help

Full logs: .sluice/logs/<gate>.log.
Exit: 0 passed, 1 a blocking gate failed, 2 usage or config error, 70 internal error, 130 cancelled.`;

/** `sluice check`: flags -> config -> runGateGraph -> output -> exit code. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCheckFlags(argv);
  if (values.help) {
    writeOut(help);
    return 0;
  }
  try {
    return await check(values);
  } catch (error) {
    // A script reading --json gets JSON even when there is no result to give.
    if (values.json) writeOut(JSON.stringify({ verdict: 'error', error: describeError(error) }, null, 2));
    throw error;
  }
}

type CheckFlags = ReturnType<typeof parseCheckFlags>['values'];

function parseCheckFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    options: {
      dir: { type: 'string', short: 'C' },
      config: { type: 'string', short: 'c' },
      gate: { type: 'string', short: 'g', multiple: true },
      'max-tier': { type: 'string' },
      'no-cache': { type: 'boolean' },
      commit: { type: 'string' },
      base: { type: 'string' },
      concurrency: { type: 'string', short: 'j' },
      json: { type: 'boolean' },
      feedback: { type: 'boolean' },
      budget: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

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
  const loaded = await loadConfig(configPath);
  // Two checks of one folder would write the same logs and reports: the second waits for the first.
  const lock = await lockChecks(loaded.root, {
    onWait: (holder) =>
      writeError(
        `sluice: waiting for the sluice check already running in ${loaded.root} (pid ${holder.pid}, since ${holder.startedAt})`,
      ),
  });
  try {
    return await checkLoaded(values, loaded);
  } finally {
    await lock.release();
  }
}

async function checkLoaded(values: CheckFlags, loaded: LoadedConfig): Promise<number> {
  const config =
    values['max-tier'] === undefined
      ? loaded.config
      : gatesUpToTier(loaded.config, parseWholeNumber(values['max-tier'], '--max-tier', 0), values.gate ?? []);
  const budget = values.budget
    ? parseWholeNumber(values.budget, '--budget', minimumFeedbackBudget)
    : loaded.config.feedback.budget;
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
      const judged = values.commit ? await judgeCommitCheckout(loaded.root, values.commit, config, signal) : undefined;
      try {
        return await runGateGraph({
          config,
          root: judged?.root ?? loaded.root,
          only: values.gate ?? [],
          useCache: !values['no-cache'] && !judged,
          signal,
          ...(judged ? { baselinesDir: judged.baselinesDir } : {}),
          ...(bench.baseRef ? { baseRef: bench.baseRef } : {}),
          ...(values.concurrency ? { concurrency: parseWholeNumber(values.concurrency, '--concurrency') } : {}),
          ...(reporter ? { onEvent: reporter.onEvent } : {}),
        });
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
