import { closestMatch } from '../config/suggest.ts';
import { SluiceError } from '../errors.ts';
import { writeError, writeOut } from './output/write.ts';

const commands = {
  check: () => import('./commands/check-command.ts'),
  init: () => import('./commands/init-command.ts'),
  schema: () => import('./commands/schema-command.ts'),
  run: () => import('./commands/run-command.ts'),
  resume: () => import('./commands/resume-command.ts'),
  runs: () => import('./commands/runs-command.ts'),
  show: () => import('./commands/show-command.ts'),
  review: () => import('./commands/review-command.ts'),
  usage: () => import('./commands/usage-command.ts'),
  hook: () => import('./commands/hook-command.ts'),
  hooks: () => import('./commands/hooks-command.ts'),
  guard: () => import('./commands/guard-command.ts'),
  add: () => import('./commands/add-command.ts'),
  work: () => import('./commands/work-command.ts'),
  status: () => import('./commands/status-command.ts'),
  gym: () => import('./commands/gym-command.ts'),
  trend: () => import('./commands/trend-command.ts'),
  workflow: () => import('./commands/workflow-command.ts'),
  approve: () => import('./commands/approve-command.ts'),
  plan: () => import('./commands/plan-command.ts'),
  serve: () => import('./commands/serve-command.ts'),
} as const;
type CommandName = keyof typeof commands;

const usage = `sluice — backpressure for AI coding agents

Usage: sluice <command> [options]

Commands:
  check     Run the gates of sluice.yaml (parallel, cached, fail-fast by tier)
  guard     Find weakened tests and changed protected files in the change (diff against the base)
  run       Hand an agent a goal; keep it working until the gates say done
  gym       A run with measurable goals: iterate until the bench goals are met or it stalls
  trend     How each bench metric moved: every measurement, per metric
  workflow  Run, list, show, resume or cancel a workflow of .sluice/workflows (steps in a DAG)
  approve   Decide a workflow's approval step (shows what is approved, then drives it on)
  plan      Plan a change in phases, review and approve the plan, then one agent run per phase
  resume    Continue a run that was interrupted
  add       Queue a task (a goal, or every open item of a checklist) for "sluice work"
  work      Start runs for queued tasks while review capacity, spend and slots allow
  status    Every task and run: state, and why waiting ones wait
  runs      List runs
  show      One run: iterations, gate states, diff, usage, reason
  review    The review queue: list, show, approve (land), reject, changes (back to the agent)
  serve     The dashboard: watch runs live, review changes, queue tasks (HTTP on 127.0.0.1)
  usage     Tokens, cost and API time by model, day or run
  init      Detect the stack and write a commented sluice.yaml
  schema    Print the JSON Schema of sluice.yaml
  hooks     Install or uninstall Sluice's hooks (--claude, --codex, --git)
  hook      Agent hook handlers: "hook stop" (guard + gates), "hook pre-tool-use" (protected files)

Run "sluice <command> --help" for its options.
Exit codes: 0 passed, 1 a blocking gate failed, 2 usage or config error, 70 internal error,
75 a workflow waits for a human approval, 130 cancelled.`;

/** Translate argv into a command and its exit code; the only place that decides how Sluice exits. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    writeError(usage);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    writeOut(usage);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    writeOut(await readVersion());
    return 0;
  }
  if (!(name in commands)) {
    const close = closestMatch(name, Object.keys(commands));
    writeError(`sluice: unknown command "${name}"${close ? `; did you mean "${close}"?` : ''}\n\n${usage}`);
    return 2;
  }
  try {
    const command = await commands[name as CommandName]();
    return await command.run(rest);
  } catch (error) {
    return reportError(error);
  }
}

/** Errors that mean "fix what you typed or where you are", answered with exit 2 like a bad flag. */
const userInputErrors = new Set([
  'CONFIG_INVALID',
  'USAGE',
  'GIT_NOT_A_REPOSITORY',
  'GIT_REF_NOT_FOUND',
  'RUN_NOT_FOUND',
]);

/** A bug in Sluice is not a failed gate: hooks and scripts must be able to tell them apart. */
const internalErrorExitCode = 70;

function reportError(error: unknown): number {
  if (error instanceof SluiceError) {
    writeError(`sluice: ${error.message}`);
    return userInputErrors.has(error.code) ? 2 : 1;
  }
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    writeError(`sluice: ${error.message}`);
    return 2;
  }
  writeError(
    `sluice: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return internalErrorExitCode;
}

async function readVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
