import { parseArgs } from 'node:util';
import { UsageError } from '../../errors.ts';
import type { MetricResult } from '../../gates/bench/bench-types.ts';
import type { BenchRecord } from '../../store/bench-store.ts';
import { formatMeasure, sparkline } from '../output/sparkline.ts';
import { writeOut } from '../output/write.ts';
import { openProjectRunStore } from './open-run-store.ts';
import { parseWholeNumber } from './parse-flags.ts';

const help = `Usage: sluice trend [<gate>[.<metric>]] [options]

Every measurement of the bench gates, per metric, oldest first: from "sluice check", "sluice run"
and "sluice gym".

Options:
  -C, --dir <path>   The project (default: here)
      --run <id>     Only the measurements of this run
  -n, --last <n>     Only the newest n measurements of each metric (default 20)
      --json         Machine-readable
  -h, --help         Show this help`;

/** `sluice trend`: how each bench metric moved over time. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      dir: { type: 'string', short: 'C' },
      run: { type: 'string' },
      last: { type: 'string', short: 'n' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    writeOut(help);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError('give at most one <gate>[.<metric>]');
  const [gate, metric] = splitSelector(positionals[0]);
  const last = values.last === undefined ? 20 : parseWholeNumber(values.last, '--last', 1);
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
}

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
