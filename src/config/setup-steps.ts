/** The commands of the setup steps, in order. */
export function setupCommands(steps: readonly { run: string }[]): string[] {
  return steps.map((step) => step.run);
}
