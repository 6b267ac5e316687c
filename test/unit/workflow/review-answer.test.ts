import { describe, expect, it } from 'vitest';
import { reviewAnswerJsonSchema, reviewAnswerSchema } from '../../../src/workflow/review-answer.ts';
import { ReviewerUsage } from '../../../src/workflow/reviewer-usage.ts';

const rubric = ['correctness', 'tests', 'scope'];

describe('the review answer', () => {
  it('is handed to structured-output CLIs in a shape strict mode accepts: every property required, no other', () => {
    const schema = reviewAnswerJsonSchema(rubric) as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, unknown> & {
        findings: { items: { required: string[]; additionalProperties: boolean; properties: object } };
      };
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required.sort()).toEqual(Object.keys(schema.properties).sort());
    const item = schema.properties.findings.items;
    expect(item.additionalProperties).toBe(false);
    expect(item.required.sort()).toEqual(Object.keys(item.properties).sort());
    expect(item.properties).toMatchObject({ area: { enum: rubric }, file: { type: ['string', 'null'] } });
  });

  it('is judged by zod whatever the CLI enforced: a verdict that contradicts its findings, an unknown area or extra keys are refused', () => {
    const zod = reviewAnswerSchema(rubric);
    const finding = { severity: 'blocking', area: 'tests', file: null, message: 'no test of div(1, 0)' };
    // What a strict schema lets through but the rules refuse: approving over a blocking finding, or the reverse.
    expect(zod.safeParse({ verdict: 'approve', findings: [finding] }).success).toBe(false);
    expect(zod.safeParse({ verdict: 'changes', findings: [{ ...finding, severity: 'minor' }] }).success).toBe(false);
    expect(zod.safeParse({ verdict: 'changes', findings: [{ ...finding, area: 'style' }] }).success).toBe(false);
    expect(zod.safeParse({ verdict: 'approve', findings: [], gates: 'green' }).success).toBe(false);
    expect(zod.safeParse({ verdict: 'changes', findings: [{ ...finding, extra: 1 }] }).success).toBe(false);
    // A null file (structured output) and an absent one (free text) mean the same.
    const parsed = zod.parse({ verdict: 'changes', findings: [finding] });
    expect(parsed.findings[0]?.file).toBeUndefined();
    const { file: _file, ...withoutFile } = finding;
    expect(zod.parse({ verdict: 'changes', findings: [withoutFile] })).toEqual(parsed);
  });
});

describe('ReviewerUsage', () => {
  const turn = (model: string, costUsd: number | null) => ({
    model,
    inputTokens: 100,
    outputTokens: 10,
    cacheReadTokens: 50,
    cacheWriteTokens: 5,
    costUsd,
    apiMs: 300,
    turns: 1,
  });

  it('sums turns per model, survives a resume through the step outputs, and keeps an unknown cost unknown', () => {
    const usage = new ReviewerUsage();
    usage.add([turn('gpt-5', 0.01)]);
    usage.add([turn('gpt-5', 0.02), turn('claude-sonnet-4-5', 0.5)]);
    const resumed = ReviewerUsage.fromOutputs(usage.outputs());
    expect(resumed.outputs()).toEqual(usage.outputs());
    expect(resumed.outputs()).toMatchObject({
      reviewer_tokens: '330',
      reviewer_input_tokens: '300',
      reviewer_cache_read_tokens: '150',
      reviewer_cost_usd: '0.5300',
      reviewer_turns: '3',
    });
    resumed.add([turn('local-model', null)]);
    expect(resumed.outputs().reviewer_cost_usd).toBe('unknown');
    expect(ReviewerUsage.fromOutputs({ reviewer_usage: 'not json' }).entries).toEqual([]);
  });
});
