import { meetsBound } from '../config/bench-goal.ts';
import type { MetricResult } from '../gates/bench/bench-types.ts';
import { type CheckResult, isGatePass } from '../gates/gate-results.ts';

/** One iteration as the gym sees it: the goals' metrics and how far from the goals they are. */
export interface GymPoint {
  iteration: number;
  commit: string | null;
  metrics: Array<{ gate: string; result: MetricResult }>;
  goalsMet: number;
  goalsTotal: number;
  /** Sum over goals of how far the value is from its bound, relative (0 when every goal is met). */
  shortfall: number;
  /** Every blocking gate other than the benchmarks passed: only such a tree can be kept as best. */
  sound: boolean;
}

export interface GymStep {
  point: GymPoint;
  /** The iteration whose result is the best so far (a sound tree closest to the goals). */
  best: GymPoint | undefined;
  /** Set when no iteration came closer to the goals in `patience` iterations. */
  stall?: string;
}

/** A result must beat the best by this fraction of its shortfall to count as progress, not noise. */
const minimumProgress = 0.02;

/** Follows the bench goals of a run iteration by iteration: progress, the best result, stalls. */
export class GymTracker {
  readonly #patience: number;
  readonly #points: GymPoint[] = [];
  #best: GymPoint | undefined;
  #sinceProgress = 0;

  constructor(patience: number, earlier: GymPoint[] = []) {
    this.#patience = patience;
    for (const point of earlier) this.#take(point);
  }

  get points(): readonly GymPoint[] {
    return this.#points;
  }

  get best(): GymPoint | undefined {
    return this.#best;
  }

  /** Take an iteration's check; say where the run stands and whether it stalled. */
  observe(iteration: number, commit: string | null, check: CheckResult): GymStep {
    const point = gymPoint(iteration, commit, check);
    this.#take(point);
    const stall =
      this.#sinceProgress >= this.#patience
        ? `stalled: no iteration came closer to the goals in ${this.#patience} iterations (best: ${this.#best ? `iteration ${this.#best.iteration}` : 'none passed the other gates'})`
        : undefined;
    return { point, best: this.#best, ...(stall ? { stall } : {}) };
  }

  #take(point: GymPoint): void {
    this.#points.push(point);
    if (point.sound && isBetter(point, this.#best)) {
      this.#best = point;
      this.#sinceProgress = 0;
    } else {
      this.#sinceProgress++;
    }
  }
}

function isBetter(point: GymPoint, best: GymPoint | undefined): boolean {
  if (!best) return true;
  if (point.goalsMet !== best.goalsMet) return point.goalsMet > best.goalsMet;
  return point.shortfall < best.shortfall * (1 - minimumProgress);
}

/** The gym's reading of one check. */
export function gymPoint(iteration: number, commit: string | null, check: CheckResult): GymPoint {
  const metrics = check.gates.flatMap((gate) =>
    (gate.bench?.metrics ?? []).map((result) => ({ gate: gate.name, result })),
  );
  const goals = metrics.flatMap(({ result }) => result.goals);
  const shortfall = goals.reduce((sum, goal) => sum + distance(goal.value, goal.goal), 0);
  const sound = check.gates.every((gate) => gate.bench !== undefined || !gate.blocking || isGatePass(gate.status));
  return {
    iteration,
    commit,
    metrics,
    goalsMet: goals.filter((goal) => goal.verdict === 'goal-met').length,
    goalsTotal: goals.length,
    shortfall,
    sound: sound && metrics.length > 0,
  };
}

/** How far a value is from a goal such as `p50_ms ratio <= 0.9`, as a fraction of the bound. */
function distance(value: number, goalText: string): number {
  const match = /(<=|<|>=|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/i.exec(goalText);
  if (!match) return 0;
  const op = match[1] as '<=' | '<' | '>=' | '>';
  const bound = Number(match[2]);
  if (meetsBound(value, { op, bound })) return 0;
  const scale = Math.abs(bound) || 1;
  return Math.abs(value - bound) / scale;
}

/** "goals met: speed.p50_ms x0.51 (ratio <= 0.6)": what a gym run reached, for its verdict and notice. */
export function describeGoalsMet(step: GymStep): string {
  const reached = step.point.metrics.flatMap(({ gate, result }) =>
    result.goals.map((goal) => {
      const shown =
        goal.on === 'ratio'
          ? `x${goal.value.toFixed(2)}`
          : `${Number(goal.value.toPrecision(3))}${result.unit ? ` ${result.unit}` : ''}`;
      return `${gate}.${result.metric} ${shown} (${goal.goal})`;
    }),
  );
  return `goals met: ${reached.join(', ')}`;
}
