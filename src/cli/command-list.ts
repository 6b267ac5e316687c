import type { CommandName } from './command-summaries.ts';
import type { DeclaredCommand } from './declare-command.ts';

/** A command module: its declared `command` (flags, help, code) and `run`. */
export interface CommandModule {
  run(argv: string[]): Promise<number>;
  command: DeclaredCommand;
}

/**
 * Each command's module, imported only when it runs, so start-up pays for one command. `completion`
 * is not here: it reads this list (run-cli loads it), and a list that loaded it would be a cycle.
 */
export const commandLoaders: Record<Exclude<CommandName, 'completion'>, () => Promise<CommandModule>> = {
  check: () => import('./commands/check-command.ts'),
  guard: () => import('./commands/guard-command.ts'),
  run: () => import('./commands/run-command.ts'),
  gym: () => import('./commands/gym-command.ts'),
  trend: () => import('./commands/trend-command.ts'),
  workflow: () => import('./commands/workflow-command.ts'),
  approve: () => import('./commands/approve-command.ts'),
  plan: () => import('./commands/plan-command.ts'),
  resume: () => import('./commands/resume-command.ts'),
  add: () => import('./commands/add-command.ts'),
  work: () => import('./commands/work-command.ts'),
  status: () => import('./commands/status-command.ts'),
  runs: () => import('./commands/runs-command.ts'),
  show: () => import('./commands/show-command.ts'),
  review: () => import('./commands/review-command.ts'),
  serve: () => import('./commands/serve-command.ts'),
  usage: () => import('./commands/usage-command.ts'),
  init: () => import('./commands/init-command.ts'),
  schema: () => import('./commands/schema-command.ts'),
  hooks: () => import('./commands/hooks-command.ts'),
  hook: () => import('./commands/hook-command.ts'),
};
