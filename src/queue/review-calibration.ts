import type { ReviewItemRecord } from '../store/task-records.ts';

/** How the review-cost estimates compare with the active review time the review page measured. */
export interface ReviewCalibration {
  /** Decided rounds with measured time in the window. */
  decisions: number;
  estimatedMinutes: number;
  observedMinutes: number;
  /** observed / estimated: 1.4 means the estimates are 1.4x low. */
  ratio: number;
  /** `week`: the last 7 days; `all`: no measured decision this week, so every measured one. */
  window: 'week' | 'all';
  sentence: string;
}

const weekMs = 7 * 86_400_000;
/** Rounds measured at under this many seconds were glanced at, not reviewed: they say nothing of cost. */
const minimumMeasuredMs = 10_000;

/**
 * Compare estimated and measured minutes over the decided rounds that have measured time (this week's,
 * or all of them when none is this week's); undefined until any round was measured.
 */
export function calibrateReviewEstimates(items: readonly ReviewItemRecord[], now: Date): ReviewCalibration | undefined {
  const measured = items.filter(
    (item) => item.decidedAt !== undefined && (item.activeMs ?? 0) >= minimumMeasuredMs && item.reviewMinutes > 0,
  );
  if (measured.length === 0) return undefined;
  const thisWeek = measured.filter((item) => now.getTime() - Date.parse(item.decidedAt ?? '') <= weekMs);
  const window = thisWeek.length > 0 ? 'week' : 'all';
  const used = window === 'week' ? thisWeek : measured;
  const estimated = used.reduce((sum, item) => sum + item.reviewMinutes, 0);
  const observed = used.reduce((sum, item) => sum + (item.activeMs ?? 0), 0) / 60_000;
  const [estimatedMinutes, observedMinutes] = [round1(estimated), round1(observed)];
  const exact = observed / estimated;
  const ratio = Math.round(exact * 100) / 100;
  const when = window === 'week' ? 'this week' : 'so far';
  const verdict =
    Math.abs(ratio - 1) < 0.1
      ? `estimates are about right ${when}`
      : ratio > 1
        ? `estimates are ${ratio.toFixed(1)}x low ${when}`
        : `estimates are ${(1 / exact).toFixed(1)}x high ${when}`;
  return {
    decisions: used.length,
    estimatedMinutes,
    observedMinutes,
    ratio,
    window,
    sentence: `${verdict} (${used.length} decision${used.length === 1 ? '' : 's'}: ${observedMinutes} min observed, ${estimatedMinutes} min estimated)`,
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * The real minutes a decided round cost: its measured time when it was measured, else its estimate
 * corrected by the calibration (the estimate itself before any calibration).
 */
export function realReviewMinutes(item: ReviewItemRecord, calibration: ReviewCalibration | undefined): number {
  if ((item.activeMs ?? 0) >= minimumMeasuredMs) return (item.activeMs ?? 0) / 60_000;
  return item.reviewMinutes * (calibration?.ratio ?? 1);
}
