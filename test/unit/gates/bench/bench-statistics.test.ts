import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  judgeChange,
  mannWhitney,
  median,
  medianInterval,
  normalCdf,
  ratioOfMedians,
  seededRandom,
} from '../../../../src/gates/bench/bench-statistics.ts';

const bootstrap = { confidence: 0.95, resamples: 2000 };
const samplesArbitrary = fc.array(fc.double({ min: 0.1, max: 1000, noNaN: true }), { minLength: 3, maxLength: 12 });

/** Verdict of change against baseline with the defaults of the config (95%, 3% min effect). */
function verdict(change: number[], baseline: number[], better: 'lower' | 'higher' = 'lower') {
  const ratio = ratioOfMedians(change, baseline, bootstrap);
  if (!ratio) throw new Error('no ratio');
  const p = mannWhitney(change, baseline).p;
  return judgeChange({ ratio: ratio.value, interval: ratio.interval, p, better, confidence: 0.95, minEffect: 0.03 });
}

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });
});

describe('seededRandom', () => {
  it('gives the same sequence for the same seed, and numbers in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 100 }, a);
    expect(Array.from({ length: 100 }, b)).toEqual(first);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(Array.from({ length: 100 }, seededRandom(43))).not.toEqual(first);
  });
});

describe('bootstrap intervals', () => {
  it('holds the median, within the range of the samples', () => {
    fc.assert(
      fc.property(samplesArbitrary, (samples) => {
        const [low, high] = medianInterval(samples, bootstrap);
        const point = median(samples);
        expect(low).toBeLessThanOrEqual(point);
        expect(high).toBeGreaterThanOrEqual(point);
        expect(low).toBeGreaterThanOrEqual(Math.min(...samples));
        expect(high).toBeLessThanOrEqual(Math.max(...samples));
      }),
    );
  });

  it('is deterministic: the same samples always give the same interval', () => {
    const samples = [20.1, 19.8, 20.4, 21.0, 19.9, 20.2, 20.0];
    expect(medianInterval(samples, bootstrap)).toEqual(medianInterval([...samples], bootstrap));
    const change = [25, 24.5, 25.2, 24.9, 25.1];
    expect(ratioOfMedians(change, samples, bootstrap)).toEqual(ratioOfMedians(change, samples, bootstrap));
  });

  it('holds the ratio of medians, and is tight for tight samples', () => {
    const baseline = [20.1, 19.8, 20.4, 20.0, 19.9, 20.2, 20.0];
    const change = baseline.map((value) => value * 1.25);
    const ratio = ratioOfMedians(change, baseline, bootstrap);
    expect(ratio?.value).toBeCloseTo(1.25, 10);
    expect(ratio?.interval[0]).toBeGreaterThan(1.2);
    expect(ratio?.interval[1]).toBeLessThan(1.3);
    fc.assert(
      fc.property(samplesArbitrary, samplesArbitrary, (a, b) => {
        const found = ratioOfMedians(a, b, { ...bootstrap, resamples: 300 });
        expect(found?.value).toBeGreaterThan(0);
        expect(found?.interval[0]).toBeLessThanOrEqual(found?.value ?? Number.NaN);
        expect(found?.interval[1]).toBeGreaterThanOrEqual(found?.value ?? Number.NaN);
      }),
      { numRuns: 50 },
    );
  });

  it('has no ratio against a baseline median of zero', () => {
    expect(ratioOfMedians([1, 2, 3], [0, 0, 0], bootstrap)).toBeUndefined();
  });
});

describe('Mann-Whitney U', () => {
  it('matches the exact distribution for separated samples (5 vs 5: p = 2/252)', () => {
    const result = mannWhitney([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]);
    expect(result.method).toBe('exact');
    expect(result.u).toBe(25);
    expect(result.p).toBeCloseTo(2 / 252, 10);
    expect(mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]).p).toBeCloseTo(2 / 252, 10);
  });

  it('gives p = 1 for fully interleaved samples, and exactly 0.1 at best for 3 vs 3', () => {
    expect(mannWhitney([1, 4, 5, 8], [2, 3, 6, 7]).p).toBe(1);
    expect(mannWhitney([4, 5, 6], [1, 2, 3]).p).toBeCloseTo(0.1, 10);
  });

  it('uses the normal approximation with tie correction when values tie', () => {
    const result = mannWhitney([3, 3, 4, 5, 5, 6], [1, 1, 2, 2, 3, 3]);
    expect(result.method).toBe('normal');
    expect(result.p).toBeGreaterThan(0);
    expect(result.p).toBeLessThan(0.05);
    expect(mannWhitney([2, 2, 2], [2, 2, 2]).p).toBe(1);
  });

  it('approximates the standard normal distribution', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(normalCdf(-1.959964)).toBeCloseTo(0.025, 5);
  });
});

describe('judging a change', () => {
  it('calls identical samples a wash', () => {
    fc.assert(
      fc.property(samplesArbitrary, (samples) => {
        expect(verdict(samples, [...samples])).toBe('wash');
        expect(verdict(samples, [...samples], 'higher')).toBe('wash');
      }),
      { numRuns: 50 },
    );
  });

  it('calls a clear shift improved or regressed, mirrored for better=higher', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 10, max: 11, noNaN: true }), { minLength: 5, maxLength: 9 }),
        fc.double({ min: 1.2, max: 3, noNaN: true }),
        (baseline, factor) => {
          const slower = baseline.map((value) => value * factor);
          const faster = baseline.map((value) => value / factor);
          expect(verdict(slower, baseline)).toBe('regressed');
          expect(verdict(faster, baseline)).toBe('improved');
          expect(verdict(slower, baseline, 'higher')).toBe('improved');
          expect(verdict(faster, baseline, 'higher')).toBe('regressed');
        },
      ),
      { numRuns: 50 },
    );
  });

  it('calls a significant move smaller than min_effect a wash', () => {
    const baseline = [100, 100.1, 100.2, 100.3, 100.4, 100.5, 100.6];
    const change = baseline.map((value) => value + 2); // x1.02: real, but below 3%
    const ratio = ratioOfMedians(change, baseline, bootstrap);
    expect(ratio?.interval[0]).toBeGreaterThan(1);
    expect(verdict(change, baseline)).toBe('wash');
  });

  it('needs Mann-Whitney to agree: an interval off 1 without a significant test is a wash', () => {
    expect(
      judgeChange({ ratio: 1.5, interval: [1.2, 1.8], p: 0.2, better: 'lower', confidence: 0.95, minEffect: 0.03 }),
    ).toBe('wash');
    expect(
      judgeChange({ ratio: 1.5, interval: [1.2, 1.8], p: 0.01, better: 'lower', confidence: 0.95, minEffect: 0.03 }),
    ).toBe('regressed');
    expect(
      judgeChange({ ratio: 1.5, interval: [0.9, 1.8], p: 0.01, better: 'lower', confidence: 0.95, minEffect: 0.03 }),
    ).toBe('wash');
  });
});
