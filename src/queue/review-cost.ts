import picomatch from 'picomatch';
import type { ReviewCostConfig } from '../config/review-schema.ts';

/** What a reviewer faces in a change. */
export interface ChangeSize {
  linesAdded: number;
  linesDeleted: number;
  /** Paths of the files touched, relative to the repository root. */
  files: string[];
}

/** The review minutes a change is estimated to cost, and how the figure was reached. */
export interface ReviewCost {
  minutes: number;
  risky: string[];
  explanation: string;
}

/**
 * (base + lines/100 x minutes_per_100_lines + files x minutes_per_file), times risky_factor when the change
 * touches a risky path. Rounded to a tenth of a minute.
 */
export function estimateReviewCost(change: ChangeSize, cost: ReviewCostConfig): ReviewCost {
  const lines = change.linesAdded + change.linesDeleted;
  const isRisky = picomatch(cost.risky_paths.length > 0 ? cost.risky_paths : ['\0'], { dot: true });
  const risky = change.files.filter((path) => isRisky(path));
  const plain =
    cost.base_minutes + (lines / 100) * cost.minutes_per_100_lines + change.files.length * cost.minutes_per_file;
  const factor = risky.length > 0 ? cost.risky_factor : 1;
  const minutes = Math.round(plain * factor * 10) / 10;
  const riskNote =
    risky.length > 0 ? `, x${factor} for ${risky.length} risky file${risky.length === 1 ? '' : 's'}` : '';
  return {
    minutes,
    risky,
    explanation: `${lines} line${lines === 1 ? '' : 's'}, ${change.files.length} file${change.files.length === 1 ? '' : 's'}${riskNote}: ${minutes} min`,
  };
}
