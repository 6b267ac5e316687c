import type { SetupStep } from './setup-schema.ts';

/** The commands of the setup steps, in order. */
export function setupCommands(steps: readonly SetupStep[]): string[] {
  return steps.map((step) => step.run);
}
