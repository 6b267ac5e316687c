import { z } from 'zod';

/** What a reviewer must answer: a verdict, and findings that agree with it. */
export function reviewAnswerSchema(rubric: readonly string[]) {
  const finding = z.strictObject({
    severity: z.enum(['blocking', 'minor']),
    area: z.enum(rubric as [string, ...string[]]),
    // null as well as absent: a structured-output CLI must name every property, so "no file" is null there.
    file: z
      .string()
      .nullish()
      .transform((file) => file ?? undefined),
    message: z.string().min(1),
  });
  return z
    .strictObject({ verdict: z.enum(['approve', 'changes']), findings: z.array(finding) })
    .refine(
      (answer) => (answer.verdict === 'changes') === answer.findings.some((item) => item.severity === 'blocking'),
      'verdict "changes" needs at least one blocking finding, and "approve" allows none',
    );
}
export type ReviewAnswer = z.output<ReturnType<typeof reviewAnswerSchema>>;

/**
 * The same answer as a JSON Schema, for a CLI's structured-output option (Codex `--output-schema`,
 * Claude Code `--json-schema`). It keeps to what strict structured outputs accept: every property
 * required, none other allowed, `file` null when there is none. What it cannot say (a `changes`
 * verdict needs a blocking finding) is checked by the zod schema above, as is everything else.
 */
export function reviewAnswerJsonSchema(rubric: readonly string[]): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['verdict', 'findings'],
    properties: {
      verdict: { type: 'string', enum: ['approve', 'changes'] },
      findings: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['severity', 'area', 'file', 'message'],
          properties: {
            severity: { type: 'string', enum: ['blocking', 'minor'] },
            area: { type: 'string', enum: [...rubric] },
            file: { type: ['string', 'null'] },
            message: { type: 'string' },
          },
        },
      },
    },
  };
}

/** The reviewer's blocking findings, as the writer reads them. */
export function findingsFeedback(answer: ReviewAnswer): string {
  const lines = answer.findings
    .filter((finding) => finding.severity === 'blocking')
    .map((finding) => `- [${finding.area}]${finding.file ? ` ${finding.file}:` : ''} ${finding.message}`);
  return `A reviewer found blocking problems in the change:\n${lines.join('\n')}`;
}
