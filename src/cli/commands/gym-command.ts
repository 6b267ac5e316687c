import { parseBenchGoal } from '../../config/bench-goal.ts';
import type { SluiceConfig } from '../../config/schema.ts';
import { UsageError } from '../../errors.ts';
import { declareCommand } from '../declare-command.ts';
import { runFlags, startFromFlags } from './run-command.ts';

/** `sluice gym`: `sluice run` driven by the bench goals. */
export const command = declareCommand({
  name: 'gym',
  description: `A run with measurable goals: the goals of the bench gates in sluice.yaml (kind: bench, bench.goals).
The agent keeps iterating while any goal is missed and the budget allows; after each iteration a line
per metric says where it stands against the base. The run is done when every goal is met and every
other gate passes. When no iteration comes closer to the goals for --patience iterations, it stops as
stalled. Either way the branch ends on the best result, the evidence has a chart per metric, and
notify (sluice.yaml) tells you. The flags are those of "sluice run", and --patience.`,
  flags: {
    ...runFlags,
    patience: {
      type: 'whole',
      description: 'Iterations without progress before the run counts as stalled (default 3)',
    },
  },
  positionals: { placeholder: 'goal', description: 'What the agent is to improve, in quotes' },
  notes: 'Exit: 0 goals met, 1 stalled, blocked, budget-exhausted or failed, 2 usage or config error, 130 cancelled.',
  async run(values, positionals) {
    const goal = positionals.join(' ').trim();
    if (!goal) throw new UsageError('sluice gym needs a goal: sluice gym "make the parser faster"');
    const { patience = 3, ...runValues } = values;
    return startFromFlags(runValues, goal, { patience, checkConfig: describeGoals });
  },
});

export const run = command.run;

/** Refuse a config without bench goals: the gym would have nothing to measure. */
function describeGoals(config: SluiceConfig): void {
  const goals = Object.entries(config.gates).flatMap(([name, gate]) =>
    (gate.bench?.goals ?? []).map((goal) => {
      const parsed = parseBenchGoal(goal, Object.keys(gate.bench?.metrics ?? {}));
      return typeof parsed === 'string' ? goal : `${name}.${parsed.metric}`;
    }),
  );
  if (goals.length === 0) {
    throw new UsageError(
      'sluice gym needs goals: add a gate with kind: bench and bench.goals (e.g. "p50_ms ratio <= 0.8") to sluice.yaml and commit it',
    );
  }
}
