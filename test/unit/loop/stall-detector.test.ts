import { describe, expect, it } from 'vitest';
import { detectStall, type IterationTrace } from '../../../src/loop/stall-detector.ts';

const trace = (number: number, failureSignature: string | undefined, changedFiles = true): IterationTrace => ({
  number,
  failureSignature,
  changedFiles,
});

describe('detectStall', () => {
  it('goes on while the failures change', () => {
    expect(detectStall([trace(1, 'a'), trace(2, 'b'), trace(3, 'c')])).toBeUndefined();
  });

  it('stops on the same failure three times in a row', () => {
    expect(detectStall([trace(1, 'x'), trace(2, 'a'), trace(3, 'a'), trace(4, 'a')])).toBe(
      'the same checks failed the same way in 3 iterations in a row (iterations 2–4)',
    );
    expect(detectStall([trace(1, 'a'), trace(2, 'a')])).toBeUndefined();
  });

  it('stops when the agent changes nothing for three turns', () => {
    expect(detectStall([trace(1, 'a', false), trace(2, 'b', false), trace(3, 'c', false)])).toBe(
      'the agent changed no file in 3 iterations in a row (iterations 1–3)',
    );
  });

  it('stops on A -> B -> A oscillation', () => {
    expect(detectStall([trace(1, 'a'), trace(2, 'b'), trace(3, 'a')])).toBe(
      'the agent is going back and forth between two failures (iterations 1, 2, 3)',
    );
  });

  it('honours other limits', () => {
    const history = [trace(1, 'a'), trace(2, 'a')];
    expect(detectStall(history, { sameFailure: 2, noDiff: 5 })).toContain('2 iterations in a row');
  });
});
