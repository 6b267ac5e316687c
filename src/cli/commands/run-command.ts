import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findConfigFile } from '../../config/config-file.ts';
import { parseDuration } from '../../config/duration.ts';
import type { SluiceConfig } from '../../config/schema.ts';
import { UsageError } from '../../errors.ts';
import { loadBaseConfig } from '../../loop/run-config.ts';
import { startRun } from '../../loop/start-run.ts';
import { enqueueForReview } from '../../review/review-queue.ts';
import { RunStore, runStorePath } from '../../store/run-store.ts';
import { currentBranch } from '../../workspace/refs.ts';
import { commandHint } from '../output/command-hint.ts';
import { createRunReporter, runExitCode } from '../output/run-reporter.ts';
import { writeOut } from '../output/write.ts';
import { prepareRun } from '../prepare-run.ts';
import { queueReviewsLeftDue } from '../work-ports.ts';
import { withInterruptSignal } from './interrupt.ts';
import { parseWholeNumber } from './parse-flags.ts';

const help = `Usage: sluice run "<goal>" [options]

Hand an agent a goal in a worktree of its own (branch sluice/<run-id>) and keep it working until the
gates of sluice.yaml — read from the base commit, not from the agent's tree — and the acceptance
commands pass. What the agent says about being done is ignored.

Options:
  -C, --dir <path>            Repository folder (default: current folder)
      --agent <name>          claude-code | codex | command (default: sluice.yaml agent.name, else claude-code)
      --agent-command <cmd>   For --agent command: the command; {prompt} or {prompt_file} mark the prompt
      --prompt-via <how>      For --agent command: argument | stdin | file
      --model <id>            Model to ask for
      --accept <cmd>          A command that must pass before the run is done (repeatable)
      --base <ref>            Start from this ref (default: HEAD)
      --max-iterations <n>    Agent turns (default: sluice.yaml budgets, else 10)
      --max-time <duration>   Wall time, e.g. 45m
      --max-usd <dollars>     Cost; refused when the agent's cost cannot be known
      --max-tokens <n>        Tokens of every kind
      --turn-timeout <dur>    Kill one agent turn after this long (default 30m)
      --plan <file>           A Markdown checklist the agent keeps up to date; its progress goes in each prompt
      --session               Keep one agent session across iterations (Claude Code, Codex) instead of a fresh context
      --sandbox <mode>        auto | required | off: confine the agent's writes to its worktree (default: sluice.yaml
                              agent.sandbox, else auto, which runs unsandboxed, and says so, where no sandbox exists)
  -h, --help                  Show this help

Exit: 0 done, 1 blocked, budget-exhausted or failed, 2 usage or config error, 130 cancelled.`;

/** The flags `sluice run` and `sluice gym` share. */
export const runOptions = {
  dir: { type: 'string', short: 'C' },
  agent: { type: 'string' },
  'agent-command': { type: 'string' },
  'prompt-via': { type: 'string' },
  model: { type: 'string' },
  accept: { type: 'string', multiple: true },
  base: { type: 'string' },
  'max-iterations': { type: 'string' },
  'max-time': { type: 'string' },
  'max-usd': { type: 'string' },
  'max-tokens': { type: 'string' },
  'turn-timeout': { type: 'string' },
  plan: { type: 'string' },
  session: { type: 'boolean' },
  sandbox: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type RunFlags = ReturnType<typeof parseArgs<{ options: typeof runOptions; allowPositionals: true }>>['values'];

/** `sluice run`: flags + base config -> agent, budgets -> startRun -> verdict -> exit code. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true, options: runOptions });
  if (values.help) {
    writeOut(help);
    return 0;
  }
  const goal = positionals.join(' ').trim();
  if (!goal) throw new UsageError('sluice run needs a goal: sluice run "make the failing test pass"');
  return startFromFlags(values, goal);
}

/**
 * Start a run from the shared flags; `gym` makes it a gym run. `checkConfig` refuses a base config
 * the command cannot work with, before anything is created.
 */
export async function startFromFlags(
  values: RunFlags,
  goal: string,
  gym?: { patience: number; checkConfig: (config: SluiceConfig) => void },
): Promise<number> {
  const configPath = findConfigFile(resolve(values.dir ?? '.'));
  if (!configPath) throw new UsageError('no sluice.yaml here or above; run "sluice init" and commit it');
  const base = await loadBaseConfig(configPath, values.base ?? 'HEAD');
  gym?.checkConfig(base.config);
  // Name the base as a person would read it later ("main"), not as "HEAD", which moves.
  const baseRef = values.base ?? (await currentBranch(base.repoRoot)) ?? 'HEAD';
  const prepared = prepareRun(base.config, {
    ...(values.agent ? { agent: values.agent } : {}),
    ...(values['agent-command'] ? { agentCommand: values['agent-command'] } : {}),
    ...(values['prompt-via'] ? { promptVia: values['prompt-via'] } : {}),
    ...(values.model ? { model: values.model } : {}),
    ...(values.accept ? { accept: values.accept } : {}),
    ...(values['max-iterations']
      ? { maxIterations: parseWholeNumber(values['max-iterations'], '--max-iterations') }
      : {}),
    ...(values['max-time'] ? { maxWallMs: parseDuration(values['max-time']) } : {}),
    ...(values['max-usd'] ? { maxUsd: parsePositiveNumber(values['max-usd'], '--max-usd') } : {}),
    ...(values['max-tokens'] ? { maxTokens: parseWholeNumber(values['max-tokens'], '--max-tokens') } : {}),
    ...(values['turn-timeout'] ? { turnTimeoutMs: parseDuration(values['turn-timeout']) } : {}),
    ...(values.plan ? { planFile: values.plan } : {}),
    ...(values.session ? { keepSession: true } : {}),
    ...(values.sandbox ? { sandbox: values.sandbox } : {}),
  });
  // Said before the agent runs, in plain words: which sandbox confines its writes, or that none does.
  writeOut(`agent sandbox: ${prepared.sandbox.description}`);
  const config = base.config;
  const settings = gym ? { ...prepared.settings, gym: { patience: gym.patience } } : prepared.settings;
  const store = await RunStore.open(runStorePath(resolve(base.repoRoot, base.configDir)));
  const reporter = createRunReporter(process.stdout, { repositoryDir: base.repoRoot });
  try {
    await queueReviewsLeftDue(store);
    const summary = await withInterruptSignal((signal) =>
      startRun({
        store,
        goal,
        base,
        baseRef,
        agent: prepared.agent,
        agentCost: prepared.agentCost,
        ...(prepared.model ? { model: prepared.model } : {}),
        agentEnv: prepared.agentEnv,
        settings,
        setup: base.config.setup,
        ...(config.notify ? { notify: config.notify } : {}),
        signal,
        onEvent: reporter.onEvent,
        onStarted: reporter.started,
      }),
    );
    reporter.finished(summary);
    if (summary.outcome.verdict === 'done') {
      const item = await enqueueForReview(store, summary.run, {
        cost: config.review.cost,
        evidencePath: summary.reportPath,
      });
      writeOut(
        `waiting for review (${item.costExplanation}): ${commandHint(`review show ${summary.run.id}`, base.repoRoot)}`,
      );
    }
    return runExitCode(summary.outcome.verdict);
  } finally {
    await store.close();
  }
}

function parsePositiveNumber(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new UsageError(`${flag} expects a number > 0, got "${value}"`);
  return number;
}
