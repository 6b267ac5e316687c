import { describe, expect, it } from 'vitest';
import { describePlanProgress } from '../../../src/loop/plan-progress.ts';

describe('describePlanProgress', () => {
  it('counts done steps and lists the open ones in order', () => {
    const plan =
      '# Plan\n\n- [x] parse the input\n- [ ] price the lines\n* [X] format totals\n- [ ] add the CLI\nnotes - [ ] not an item';
    expect(describePlanProgress(plan)).toBe(
      '2 of 4 steps done.\nOpen steps, do the first one next and tick it in the plan when the checks pass:\n- [ ] price the lines\n- [ ] add the CLI',
    );
  });

  it('says when the plan has no checklist', () => {
    expect(describePlanProgress('just prose')).toContain('no checklist items');
  });
});
