/** Every command in the order `sluice --help` lists them, with its one-line summary. */
export const commandSummaries = {
  check: 'Run the gates of sluice.yaml (parallel, cached, fail-fast by tier)',
  guard: 'Find weakened tests and changed protected files in the change (diff against the base)',
  run: 'Hand an agent a goal; keep it working until the gates say done',
  gym: 'A run with measurable goals: iterate until the bench goals are met or it stalls',
  trend: 'How each bench metric moved: every measurement, per metric',
  workflow: 'Run, list, show, resume or cancel a workflow of .sluice/workflows (steps in a DAG)',
  approve: "Decide a workflow's approval step (shows what is approved, then drives it on)",
  plan: 'Plan a change in phases, review and approve the plan, then one agent run per phase',
  resume: 'Continue a run that was interrupted',
  add: 'Queue a task (a goal, or every open item of a checklist) for "sluice work"',
  work: 'Start runs for queued tasks while review capacity, spend and slots allow',
  status: 'Every task and run: state, and why waiting ones wait',
  runs: 'List runs',
  show: 'One run: iterations, gate states, diff, usage, reason',
  review: 'The review queue: list, show, approve (land), reject, changes (back to the agent)',
  serve: 'The dashboard: watch runs live, review changes, queue tasks (HTTP on 127.0.0.1)',
  usage: 'Tokens, cost and API time by model, day or run',
  init: 'Detect the stack and write a commented sluice.yaml',
  schema: 'Print the JSON Schema of sluice.yaml',
  hooks: "Install or uninstall Sluice's hooks (--claude, --codex, --git)",
  hook: 'Agent hook handlers: "hook stop" (guard + gates), "hook pre-tool-use" (protected files)',
  completion: 'Print a shell completion script: sluice completion bash|zsh|fish',
} as const;

export type CommandName = keyof typeof commandSummaries;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commandSummaries, name);
}
