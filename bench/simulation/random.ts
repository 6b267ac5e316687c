// A seeded random source for the simulations: Mulberry32 (Tommy Ettinger's 32-bit generator), written
// here from its description. Not for cryptography; for results that repeat exactly from a seed.

/** Uniform numbers in [0, 1) and the few distributions the simulations draw from. */
export interface RandomSource {
  /** Uniform in [0, 1). */
  next(): number;
  /** A fresh 32-bit seed, to split independent streams off one root seed. */
  nextSeed(): number;
  /** Exponentially distributed, with this mean. */
  exponential(mean: number): number;
  /** exp(N(ln median, sigma)): right-skewed sizes with this median. */
  logNormal(median: number, sigma: number): number;
  /** Uniform integer in [min, max], both included. */
  integer(min: number, max: number): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
}

export function createRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return (mixed ^ (mixed >>> 14)) >>> 0;
  };
  const next = () => nextUint32() / 4_294_967_296;
  // 1 - next() is in (0, 1], so the logarithms below never see 0.
  const standardNormal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return {
    next,
    nextSeed: nextUint32,
    exponential: (mean) => -mean * Math.log(1 - next()),
    logNormal: (median, sigma) => median * Math.exp(sigma * standardNormal()),
    integer: (min, max) => min + Math.floor(next() * (max - min + 1)),
    uniform: (min, max) => min + next() * (max - min),
  };
}
