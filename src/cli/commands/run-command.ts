import { resolve } from 'node:path';
import { findConfigFile } from '../../config/config-file.ts';
import { parseDuration } from '../../config/duration.ts';
import type { SluiceConfig } from '../../config/schema.ts';
import { UsageError } from '../../errors.ts';
import { loadBaseConfig } from '../../loop/run-config.ts';
import { startRun } from '../../loop/start-run.ts';
import { useProcessLauncher } from '../../process/launcher/shared-launcher.ts';
import { enqueueForReview } from '../../review/review-queue.ts';
import { RunStore, runStorePath } from '../../store/run-store.ts';
import { currentBranch } from '../../workspace/refs.ts';
import { repositoryDirFlag } from '../command-declaration.ts';
import { declareCommand, declareFlags, type FlagValues } from '../declare-command.ts';
import { commandHint } from '../output/command-hint.ts';
import { createRunReporter, runExitCode } from '../output/run-reporter.ts';
import { writeOut } from '../output/write.ts';
import { prepareRun } from '../prepare-run.ts';
import { queueReviewsLeftDue } from '../work-ports.ts';
import { withInterruptSignal } from './interrupt.ts';

/** The flags `sluice run` and `sluice gym` share. */
export const runFlags = declareFlags({
  dir: repositoryDirFlag,
  agent: {
    type: 'string',
    placeholder: 'name',
    description: 'claude-code | codex | command (default: sluice.yaml agent.name, else claude-code)',
  },
  'agent-command': {
    type: 'string',
    placeholder: 'cmd',
    description: 'For --agent command: the command; {prompt} or {prompt_file} mark the prompt',
  },
  'prompt-via': { type: 'string', placeholder: 'how', description: 'For --agent command: argument | stdin | file' },
  model: { type: 'string', placeholder: 'id', description: 'Model to ask for' },
  accept: {
    type: 'string',
    placeholder: 'cmd',
    multiple: true,
    description: 'A command that must pass before the run is done (repeatable)',
  },
  base: { type: 'string', placeholder: 'ref', description: 'Start from this ref (default: HEAD)' },
  'max-iterations': { type: 'whole', description: 'Agent turns (default: sluice.yaml budgets, else 10)' },
  'max-time': { type: 'string', placeholder: 'duration', description: 'Wall time, e.g. 45m' },
  'max-usd': {
    type: 'string',
    placeholder: 'dollars',
    description: "Cost; refused when the agent's cost cannot be known",
  },
  'max-tokens': { type: 'whole', description: 'Tokens of every kind' },
  'turn-timeout': {
    type: 'string',
    placeholder: 'duration',
    description: 'Kill one agent turn after this long (default 30m)',
  },
  plan: {
    type: 'string',
    placeholder: 'file',
    description: 'A Markdown checklist the agent keeps up to date; its progress goes in each prompt',
  },
  session: {
    type: 'boolean',
    description: 'Keep one agent session across iterations (Claude Code, Codex) instead of a fresh context',
  },
  sandbox: {
    type: 'string',
    placeholder: 'mode',
    description:
      "auto | required | off: confine the agent's writes to its worktree (default: sluice.yaml agent.sandbox, else auto, which runs unsandboxed, and says so, where no sandbox exists)",
  },
});

type RunFlags = FlagValues<typeof runFlags>;

/** `sluice run`: flags + base config -> agent, budgets -> startRun -> verdict -> exit code. */
export const command = declareCommand({
  name: 'run',
  description: `Hand an agent a goal in a worktree of its own (branch sluice/<run-id>) and keep it working until the
gates of sluice.yaml — read from the base commit, not from the agent's tree — and the acceptance
commands pass. What the agent says about being done is ignored.`,
  flags: runFlags,
  positionals: { placeholder: 'goal', description: 'What the agent is to do, in quotes' },
  notes: 'Exit: 0 done, 1 blocked, budget-exhausted or failed, 2 usage or config error, 130 cancelled.',
  async run(values, positionals) {
    const goal = positionals.join(' ').trim();
    if (!goal) throw new UsageError('sluice run needs a goal: sluice run "make the failing test pass"');
    return startFromFlags(values, goal);
  },
});

export const run = command.run;

/**
 * Start a run from the shared flags; `gym` makes it a gym run. `checkConfig` refuses a base config
 * the command cannot work with, before anything is created.
 */
export async function startFromFlags(
  values: RunFlags,
  goal: string,
  gym?: { patience: number; checkConfig: (config: SluiceConfig) => void },
): Promise<number> {
  useProcessLauncher();
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
    ...(values['max-iterations'] ? { maxIterations: values['max-iterations'] } : {}),
    ...(values['max-time'] ? { maxWallMs: parseDuration(values['max-time']) } : {}),
    ...(values['max-usd'] ? { maxUsd: parsePositiveNumber(values['max-usd'], '--max-usd') } : {}),
    ...(values['max-tokens'] ? { maxTokens: values['max-tokens'] } : {}),
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
