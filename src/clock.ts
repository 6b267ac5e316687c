/**
 * Milliseconds on a monotonic clock, for durations. The global `performance` loads Node's whole perf_hooks
 * (a dozen internal modules) on first use: a cost every cached check and hook would pay for one subtraction.
 */
export function monotonicNow(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
