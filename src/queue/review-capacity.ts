/** One recorded review decision: when, and the review minutes of the item decided. */
export interface ReviewDecision {
  decidedAt: Date;
  minutes: number;
}

export interface ReviewCapacity {
  minutesPerDay: number;
  source: 'configured' | 'measured' | 'default';
  explanation: string;
}

/** Weight of the latest day in the moving average; older days fade by (1 - weight) per day. */
export const capacityDayWeight = 0.3;
/** Until a reviewer has decided anything, assume this much and say so. */
export const defaultCapacityMinutesPerDay = 60;

const dayMs = 86_400_000;

/**
 * Review minutes decided per day: the configured figure, or an exponentially weighted average over the
 * days from the first decision to `now` (days without decisions count as 0, so a reviewer who stops
 * reviewing lowers the capacity), or a default before any decision.
 */
export function reviewCapacity(decisions: readonly ReviewDecision[], now: Date, configured?: number): ReviewCapacity {
  if (configured !== undefined) {
    return { minutesPerDay: configured, source: 'configured', explanation: `${configured} min/day (configured)` };
  }
  if (decisions.length === 0) {
    return {
      minutesPerDay: defaultCapacityMinutesPerDay,
      source: 'default',
      explanation: `${defaultCapacityMinutesPerDay} min/day (assumed: no review decided yet)`,
    };
  }
  const first = Math.min(...decisions.map((decision) => decision.decidedAt.getTime()));
  const days = Math.max(1, Math.ceil((now.getTime() - startOfDay(first)) / dayMs));
  const perDay = new Array<number>(days).fill(0);
  for (const decision of decisions) {
    const index = Math.min(days - 1, Math.floor((decision.decidedAt.getTime() - startOfDay(first)) / dayMs));
    perDay[index] = (perDay[index] ?? 0) + decision.minutes;
  }
  // The day still under way counts only for what it has so far when that beats the average: a
  // morning without decisions yet must not look like a day without review.
  let average = perDay[0] ?? 0;
  for (const minutes of perDay.slice(1, -1)) average = capacityDayWeight * minutes + (1 - capacityDayWeight) * average;
  if (days > 1) {
    const today = perDay.at(-1) ?? 0;
    average = today > average ? capacityDayWeight * today + (1 - capacityDayWeight) * average : average;
  }
  const minutesPerDay = Math.max(1, Math.round(average * 10) / 10);
  return {
    minutesPerDay,
    source: 'measured',
    explanation: `${minutesPerDay} min/day (measured over ${days} day${days === 1 ? '' : 's'}, ${decisions.length} decisions)`,
  };
}

function startOfDay(time: number): number {
  return Math.floor(time / dayMs) * dayMs;
}
