import type { GymStep } from '../../loop/gym-progress.ts';
import { formatMeasure } from './sparkline.ts';

/**
 * One line per metric after a gym iteration, readable at a glance:
 * `speed.p50_ms 30.2 ms [29.8-30.9] · x0.75 vs base, improved · goal ratio <= 0.6: missed`.
 */
export function gymLines(step: GymStep): string[] {
  const { point, best } = step;
  const lines = point.metrics.map(({ gate, result }) => {
    const unit = result.unit ? ` ${result.unit}` : '';
    const [low, high] = result.interval;
    const parts = [
      `${gate}.${result.metric} ${formatMeasure(result.median)}${unit} [${formatMeasure(low)}-${formatMeasure(high)}]`,
    ];
    if (result.ratio) parts.push(`x${result.ratio.value.toFixed(2)} vs base, ${result.change ?? 'wash'}`);
    for (const goal of result.goals) parts.push(`goal ${goal.goal}: ${goal.verdict === 'goal-met' ? 'met' : 'missed'}`);
    return parts.join(' · ');
  });
  const standing = `goals met ${point.goalsMet}/${point.goalsTotal}${point.sound ? '' : ' (other gates failing: not a candidate)'} · best so far: ${best ? `iteration ${best.iteration}` : 'none'}`;
  return [...lines, standing];
}
