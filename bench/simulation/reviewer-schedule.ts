// When the simulated reviewers work: a window every day (09:00–17:00 UTC, say), in which they spend
// that day's review minutes evenly. Time is in minutes since the simulation's start (a midnight).
import type { RandomSource } from './random.ts';

export const minutesPerDay = 1440;

export interface ReviewerScheduleOptions {
  /** Minutes after midnight the window opens and closes: 540 and 1020 for 09:00–17:00. */
  opensAt: number;
  closesAt: number;
  /** Each day's review minutes are drawn uniformly from [min, max]: a reviewer is not a clock. */
  reviewMinutesPerDay: { min: number; max: number };
}

/** Review work the reviewers can do, as a function of time, and its inverse. */
export interface ReviewerSchedule {
  /** Review minutes the reviewers could have spent from the start to `time`, had they never run dry. */
  workDoneBy(time: number): number;
  /** The earliest time by which `work` review minutes can have been spent (Infinity past the schedule). */
  timeWhenDone(work: number, notBefore: number): number;
  /** Review minutes available on day `day` (0-based). */
  minutesOnDay(day: number): number;
}

/** A schedule for `days` days, each day's minutes drawn from `random`. */
export function createReviewerSchedule(
  options: ReviewerScheduleOptions,
  days: number,
  random: RandomSource,
): ReviewerSchedule {
  const windowMinutes = options.closesAt - options.opensAt;
  if (windowMinutes <= 0 || options.opensAt < 0 || options.closesAt > minutesPerDay) {
    throw new Error(`reviewer window ${options.opensAt}–${options.closesAt} is not inside a day`);
  }
  const daily = Array.from({ length: days }, () =>
    random.uniform(options.reviewMinutesPerDay.min, options.reviewMinutesPerDay.max),
  );
  // before[d]: work available in days 0..d-1.
  const before = [0];
  for (const minutes of daily) before.push((before.at(-1) ?? 0) + minutes);
  const dayOf = (time: number) => Math.floor(time / minutesPerDay);

  const workDoneBy = (time: number): number => {
    const day = dayOf(time);
    if (day >= days) return before[days] ?? 0;
    const into = Math.min(windowMinutes, Math.max(0, time - day * minutesPerDay - options.opensAt));
    return (before[day] ?? 0) + ((daily[day] ?? 0) * into) / windowMinutes;
  };

  const timeWhenDone = (work: number, notBefore: number): number => {
    for (let day = Math.max(0, dayOf(notBefore)); day < days; day++) {
      const dayEnd = before[day + 1] ?? 0;
      if (work > dayEnd) continue;
      const rate = (daily[day] ?? 0) / windowMinutes;
      const into = rate > 0 ? (work - (before[day] ?? 0)) / rate : 0;
      return Math.max(notBefore, day * minutesPerDay + options.opensAt + Math.max(0, into));
    }
    return Number.POSITIVE_INFINITY;
  };

  return {
    workDoneBy,
    timeWhenDone,
    minutesOnDay: (day) => daily[day] ?? 0,
  };
}
