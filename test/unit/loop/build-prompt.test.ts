import { describe, expect, it } from 'vitest';
import { buildPrompt } from '../../../src/loop/build-prompt.ts';

describe('buildPrompt', () => {
  it('states the goal and that only the checks decide, on the first iteration', () => {
    const prompt = buildPrompt({ goal: 'Add a discount for 10+ items', acceptance: ['npm run e2e'], iteration: 1 });
    expect(prompt).toContain('# Goal\n\nAdd a discount for 10+ items');
    expect(prompt).toContain('what you say about being done is not read');
    expect(prompt).toContain('- `npm run e2e`');
    expect(prompt).not.toContain('What the checks said');
  });

  it('carries the last feedback, plan progress and a reviewer request', () => {
    const prompt = buildPrompt({
      goal: 'g',
      acceptance: [],
      iteration: 3,
      feedback: '1 gate failed: unit.',
      planProgress: '- [x] one\n- [ ] two',
      humanFeedback: 'Split the helper out.',
    });
    expect(prompt).toContain('# What the checks said about the last attempt (iteration 2)\n\n1 gate failed: unit.');
    expect(prompt).toContain('# Plan progress\n\n- [x] one\n- [ ] two');
    expect(prompt).toContain("# Reviewer's request\n\nSplit the helper out.");
    expect(prompt).toContain('Fix what the checks report.');
  });
});
