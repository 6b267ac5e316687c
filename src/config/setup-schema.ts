import { z } from 'zod';

/** One `setup:` step: a command, and optionally the files whose change makes it run again. */
export const setupStepSchema = z
  .union([
    z
      .string()
      .min(1)
      .transform((run): { run: string; inputs?: string[] } => ({ run })),
    z.strictObject({
      run: z.string().min(1).describe('Shell command (sh -c), run in the folder of sluice.yaml.'),
      inputs: z
        .array(z.string().min(1))
        .min(1)
        .optional()
        .describe(
          "Globs (relative to the folder of sluice.yaml) of what the step depends on, e.g. the lockfile: in the judge's checkout the step runs again only when these change, and what it created (node_modules, .venv) is kept between checks meanwhile. Without inputs the step runs before every check there.",
        ),
    }),
  ])
  .describe('A shell command, or { run, inputs } for a step worth keeping (installing dependencies).');

export type SetupStep = z.output<typeof setupStepSchema>;

export const setupSchema = z
  .array(setupStepSchema)
  .default([])
  .describe(
    "Prepares a checkout for the gates: run in each new run's worktree before the agent starts, in Sluice's own judge checkout of every commit it judges, and in bench baselines (copy .env, install dependencies). Where setup says nothing, the judge checkout borrows node_modules/.venv from your own checkout.",
  );

export { setupCommands } from './setup-steps.ts';
