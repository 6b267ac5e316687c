export interface PromptInput {
  goal: string;
  /** Commands that must pass on the final tree, besides the gates. */
  acceptance: string[];
  iteration: number;
  /** The plan file's progress, when the run has one. */
  planProgress?: string;
  /** Compact feedback from the last check (and the guard), absent on the first iteration. */
  feedback?: string;
  /** A human's words for this iteration (review "changes"), when there are some. */
  humanFeedback?: string;
}

/**
 * The prompt of one iteration: the goal, how "done" is decided, the plan progress, and what the
 * machines said about the last attempt. The agent is told plainly that its own claim decides nothing.
 */
export function buildPrompt(input: PromptInput): string {
  const sections = [`# Goal\n\n${input.goal.trim()}`];
  const acceptance =
    input.acceptance.length > 0
      ? `\n\nAcceptance commands that must also pass:\n${input.acceptance.map((command) => `- \`${command}\``).join('\n')}`
      : '';
  sections.push(
    `# How this ends\n\nSluice runs the project's checks after your turn. The work is done only when every check passes on the final tree; what you say about being done is not read.${acceptance}`,
  );
  if (input.planProgress) sections.push(`# Plan progress\n\n${input.planProgress.trim()}`);
  if (input.humanFeedback) sections.push(`# Reviewer's request\n\n${input.humanFeedback.trim()}`);
  if (input.feedback) {
    sections.push(
      `# What the checks said about the last attempt (iteration ${input.iteration - 1})\n\n${input.feedback.trim()}`,
    );
  }
  sections.push(
    input.feedback
      ? '# Now\n\nFix what the checks report. Do not weaken, skip or delete tests or checks.'
      : '# Now\n\nMake the change. Keep it small and focused; do not weaken, skip or delete tests or checks.',
  );
  return `${sections.join('\n\n')}\n`;
}
