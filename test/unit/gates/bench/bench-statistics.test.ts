import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  coefficientOfVariation,
  equivalenceLevel,
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
  return judgeChange({
    ratio: ratio.value,
    interval: ratio.interval,
    equivalence: ratio.equivalence,
    p,
    better,
    confidence: 0.95,
    minEffect: 0.03,
  });
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
  it('never calls identical samples a change: a wash when they are tight, unclear when they are not', () => {
    fc.assert(
      fc.property(samplesArbitrary, (samples) => {
        for (const better of ['lower', 'higher'] as const) {
          const judged = verdict(samples, [...samples], better);
          const ratio = ratioOfMedians(samples, [...samples], bootstrap);
          const bounded = ratio !== undefined && ratio.interval[0] >= 0.97 && ratio.interval[1] <= 1.03;
          expect(judged).toBe(bounded ? 'wash' : 'unclear');
        }
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

  it('needs Mann-Whitney to agree: an interval off 1 without a significant test is unclear', () => {
    expect(
      judgeChange({ ratio: 1.5, interval: [1.2, 1.8], p: 0.2, better: 'lower', confidence: 0.95, minEffect: 0.03 }),
    ).toBe('unclear');
    expect(
      judgeChange({ ratio: 1.5, interval: [1.2, 1.8], p: 0.01, better: 'lower', confidence: 0.95, minEffect: 0.03 }),
    ).toBe('regressed');
    expect(
      judgeChange({ ratio: 1.5, interval: [0.9, 1.8], p: 0.01, better: 'lower', confidence: 0.95, minEffect: 0.03 }),
    ).toBe('unclear');
  });
});

describe('unclear is not a wash', () => {
  // Fixed samples of a noisy machine: the baseline around 100 with a run-to-run spread of about 15%.
  const noisyBaseline = [84, 118, 97, 131, 90, 106, 78, 122, 101, 94, 113, 87, 126, 99];
  const slower = (factor: number) => noisyBaseline.map((value) => value * factor);

  it('calls a 25% slowdown that the noise hides unclear, never a wash', () => {
    // Interleaved differently from the baseline, so the samples overlap as on a loaded machine.
    const change = [...slower(1.25)].reverse().map((value, index) => value * (index % 2 === 0 ? 0.8 : 1.05));
    const ratio = ratioOfMedians(change, noisyBaseline, bootstrap);
    expect(ratio?.interval[0]).toBeLessThan(1); // the interval holds 1 ...
    expect(ratio?.interval[1]).toBeGreaterThan(1.03); // ... and reaches beyond min_effect
    expect(verdict(change, noisyBaseline)).toBe('unclear');
  });

  it('calls a clean 25% slowdown of the same noisy samples regressed', () => {
    const change = slower(1.25).map((value) => value + 200); // shifted well clear of the baseline
    expect(verdict(change, noisyBaseline)).toBe('regressed');
    expect(verdict(change, noisyBaseline, 'higher')).toBe('improved');
  });

  it('calls a no-op a wash only when the runs bound it within min_effect', () => {
    const tight = [100, 100.4, 99.8, 100.2, 99.9, 100.1, 100.3];
    const tightChange = [100.1, 99.9, 100.3, 100, 100.2, 99.8, 100.4];
    expect(verdict(tightChange, tight)).toBe('wash');
    // The same no-op on the noisy machine: nothing shows a change, but nothing bounds it either.
    expect(verdict([...noisyBaseline].reverse(), noisyBaseline)).toBe('unclear');
  });

  it('bounds are inclusive of min_effect and fixed by the interval, not the point estimate', () => {
    const judge = (interval: [number, number], ratio = 1) =>
      judgeChange({ ratio, interval, p: 0.5, better: 'lower', confidence: 0.95, minEffect: 0.03 });
    expect(judge([0.97, 1.03])).toBe('wash');
    expect(judge([0.969, 1.01])).toBe('unclear');
    expect(judge([0.99, 1.031])).toBe('unclear');
    // A point estimate of x1.00 does not make a wide interval a wash.
    expect(judge([0.8, 1.25])).toBe('unclear');
  });
});

describe('a wash is shown by an equivalence test', () => {
  it('checks the interval at level 2·confidence − 1 (90% for 95%), which lies inside the 95% one', () => {
    const baseline = [100, 103, 98, 101, 99, 104, 97, 102, 100, 101, 99, 98, 103, 100];
    const change = [...baseline].reverse().map((value, index) => value * (index % 2 === 0 ? 1.01 : 0.995));
    const ratio = ratioOfMedians(change, baseline, bootstrap);
    if (!ratio) throw new Error('no ratio');
    expect(equivalenceLevel(0.95)).toBeCloseTo(0.9, 10);
    expect(ratio.equivalence[0]).toBeGreaterThanOrEqual(ratio.interval[0]);
    expect(ratio.equivalence[1]).toBeLessThanOrEqual(ratio.interval[1]);
    expect(ratio.equivalence[1] - ratio.equivalence[0]).toBeLessThan(ratio.interval[1] - ratio.interval[0]);
  });

  it('calls a wash on the equivalence interval; the wider interval alone would leave it unclear', () => {
    const judge = (equivalence?: [number, number]) =>
      judgeChange({
        ratio: 1.005,
        interval: [0.965, 1.045],
        ...(equivalence ? { equivalence } : {}),
        p: 0.6,
        better: 'lower',
        confidence: 0.95,
        minEffect: 0.03,
      });
    expect(judge([0.975, 1.028])).toBe('wash');
    expect(judge([0.975, 1.031])).toBe('unclear');
    expect(judge()).toBe('unclear'); // no equivalence interval: the stricter 95% one decides
  });

  it('calls a real move of min_effect or more a wash in at most ~5% of noisy samplings', () => {
    // 4% slower, 2% run-to-run noise, 21 runs a side: sampled with a fixed seed, 80 times.
    const random = seededRandom(42);
    const noise = () => {
      // Sum of uniforms: roughly normal, sd about 2%.
      let sum = 0;
      for (let draw = 0; draw < 6; draw++) sum += random() - 0.5;
      return 1 + sum * 0.028;
    };
    let washes = 0;
    let regressed = 0;
    for (let trial = 0; trial < 80; trial++) {
      const baseline = Array.from({ length: 21 }, () => 100 * noise());
      const change = Array.from({ length: 21 }, () => 104 * noise());
      const call = verdict(change, baseline);
      if (call === 'wash') washes++;
      if (call === 'regressed') regressed++;
    }
    expect(washes).toBeLessThanOrEqual(4);
    expect(regressed).toBeGreaterThan(40);
  });
});

describe('coefficient of variation', () => {
  it('is the sample standard deviation over the mean', () => {
    expect(coefficientOfVariation([10, 10, 10])).toBe(0);
    // [2, 4, 6, 8]: mean 5, squared deviations 20 over 3, sd 2.582, cv 0.5164
    expect(coefficientOfVariation([2, 4, 6, 8])).toBeCloseTo(0.5164, 4);
    expect(coefficientOfVariation([7])).toBeNaN();
    expect(coefficientOfVariation([-1, 1])).toBeNaN();
  });
});
