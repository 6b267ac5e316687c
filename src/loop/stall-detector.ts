/** What the loop remembers of each finished iteration to judge progress (gate state, not text). */
export interface IterationTrace {
  number: number;
  /** Stable digest of the failing gates and failures; undefined when the check passed. */
  failureSignature: string | undefined;
  /** Whether the agent's turn changed any file. */
  changedFiles: boolean;
}

export interface StallLimits {
  /** The same failure signature this many iterations in a row. */
  sameFailure: number;
  /** No file changed for this many iterations in a row. */
  noDiff: number;
}

export const defaultStallLimits: StallLimits = { sameFailure: 3, noDiff: 3 };

/** Why the run is stuck, in one line naming what is stuck, or undefined while it makes progress. */
export function detectStall(history: IterationTrace[], limits: StallLimits = defaultStallLimits): string | undefined {
  const last = history.at(-1);
  if (!last) return undefined;
  const tail = (count: number) => (history.length >= count ? history.slice(-count) : undefined);

  const unchanged = tail(limits.noDiff);
  if (unchanged?.every((trace) => !trace.changedFiles)) {
    return `the agent changed no file in ${limits.noDiff} iterations in a row (${rangeOf(unchanged)})`;
  }
  const same = tail(limits.sameFailure);
  if (last.failureSignature && same?.every((trace) => trace.failureSignature === last.failureSignature)) {
    const what = last.failureSignature.startsWith('guard:')
      ? 'the test guard blocked the same change'
      : 'the same checks failed the same way';
    return `${what} in ${limits.sameFailure} iterations in a row (${rangeOf(same)})`;
  }
  const [a, b, c] = tail(3) ?? [];
  if (
    a?.failureSignature &&
    b?.failureSignature &&
    c?.failureSignature === a.failureSignature &&
    b.failureSignature !== a.failureSignature
  ) {
    return `the agent is going back and forth between two failures (iterations ${a.number}, ${b.number}, ${c.number})`;
  }
  return undefined;
}

function rangeOf(traces: IterationTrace[]): string {
  return `iterations ${traces[0]?.number}–${traces.at(-1)?.number}`;
}
