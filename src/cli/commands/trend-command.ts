import { UsageError } from '../../errors.ts';
import type { MetricResult } from '../../gates/bench/bench-types.ts';
import type { BenchRecord } from '../../store/bench-store.ts';
import { declareCommand } from '../declare-command.ts';
import { formatMeasure, sparkline } from '../output/sparkline.ts';
import { writeOut } from '../output/write.ts';
import { openProjectRunStore } from './open-run-store.ts';

/** `sluice trend`: how each bench metric moved over time. */
export const command = declareCommand({
  name: 'trend',
  description:
    'Every measurement of the bench gates, per metric, oldest first: from "sluice check", "sluice run"\nand "sluice gym".',
  flags: {
    dir: { type: 'string', alias: 'C', placeholder: 'path', description: 'The project (default: here)' },
    run: { type: 'string', placeholder: 'id', description: 'Only the measurements of this run' },
    last: { type: 'whole', alias: 'n', description: 'Only the newest n measurements of each metric (default 20)' },
    json: { type: 'boolean', description: 'Machine-readable' },
  },
  positionals: { placeholder: 'gate[.metric]', description: 'Only this gate, or one metric of it' },
  async run(values, positionals) {
    if (positionals.length > 1) throw new UsageError('give at most one <gate>[.<metric>]');
    const [gate, metric] = splitSelector(positionals[0]);
    const last = values.last ?? 20;
    const store = await openProjectRunStore(values.dir);
    try {
      const records = await store.bench.list({
        ...(gate ? { gate } : {}),
        ...(metric ? { metric } : {}),
        ...(values.run ? { runId: values.run } : {}),
        limit: last,
      });
      if (values.json) {
        writeOut(JSON.stringify(records, null, 2));
        return 0;
      }
      if (records.length === 0) {
        const what = positionals[0] ? ` for ${positionals[0]}` : '';
        writeOut(`No bench results recorded${what}. Bench gates record one per check (kind: bench in sluice.yaml).`);
        return 0;
      }
      writeOut(renderTrends(records));
      return 0;
    } finally {
      await store.close();
    }
  },
});

export const run = command.run;

function splitSelector(selector: string | undefined): [string | undefined, string | undefined] {
  if (!selector) return [undefined, undefined];
  const dot = selector.indexOf('.');
  return dot < 0 ? [selector, undefined] : [selector.slice(0, dot), selector.slice(dot + 1)];
}

/** One block per gate and metric: a sparkline of the medians, then one line per measurement. */
export function renderTrends(records: BenchRecord[]): string {
  const groups = new Map<string, BenchRecord[]>();
  for (const record of records) {
    const key = `${record.gate}.${record.result.metric}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  const blocks: string[] = [];
  for (const [key, group] of groups) {
    const first = group[0]?.result as MetricResult;
    const medians = group.map((record) => record.result.median);
    const unit = first.unit ? ` ${first.unit}` : '';
    const best = first.better === 'lower' ? Math.min(...medians) : Math.max(...medians);
    blocks.push(
      [
        `${key} (${first.better} is better) · ${group.length} measurement${group.length === 1 ? '' : 's'}`,
        `  ${sparkline(medians)}  latest ${formatMeasure(medians.at(-1) ?? 0)}${unit}, best ${formatMeasure(best)}${unit}, first ${formatMeasure(medians[0] ?? 0)}${unit}`,
        ...group.map((record) => `  ${trendLine(record)}`),
      ].join('\n'),
    );
  }
  return blocks.join('\n\n');
}

function trendLine(record: BenchRecord): string {
  const result = record.result;
  const unit = result.unit ? ` ${result.unit}` : '';
  const when = record.recordedAt.slice(0, 16).replace('T', ' ');
  const where = record.runId
    ? `run ${record.runId}${record.iteration !== undefined ? ` #${record.iteration}` : ''}`
    : `check${record.commit ? ` @${record.commit.slice(0, 7)}` : ''}`;
  const [low, high] = result.interval;
  const value = `${formatMeasure(result.median)}${unit} [${formatMeasure(low)}-${formatMeasure(high)}]`;
  const ratio = result.ratio ? ` x${result.ratio.value.toFixed(2)} ${result.change ?? ''}`.trimEnd() : '';
  const goals = result.goals.map((goal) => `${goal.goal}: ${goal.verdict === 'goal-met' ? 'met' : 'missed'}`);
  return [when, where, value + ratio, ...goals].join('  ');
}
