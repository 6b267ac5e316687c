// A chain of N gates (each needs the one before) and N independent gates: what Sluice spends to read the
// config and schedule them, per gate, as N grows from 1,000 to 10,000. Linear time is a flat cost per gate.
// The gates themselves finish at once (the `run` callback the scheduler is handed resolves on the next
// tick), so only the config's validation and the scheduler are timed; the baseline is a plain loop that
// awaits the same callback once per gate, in the same process.
import { performance } from 'node:perf_hooks';
import { parseConfigText } from '../src/config/load-config.ts';
import type { GateConfig } from '../src/config/schema.ts';
import type { GateResult } from '../src/gates/gate-results.ts';
import { scheduleTier } from '../src/gates/schedule-tier.ts';
import { type BenchReport, formatMs, formatRatio, median, runAlone } from './support.ts';

const sizes = [1_000, 2_500, 5_000, 10_000];
const rounds = 7;
/** Issue 16: "a 10,000-gate chain scheduled in linear time": the cost per gate at 10,000 against 1,000. */
const targetGrowth = 1.5;

type Shape = 'chain' | 'independent';

function configText(shape: Shape, count: number): string {
  const lines = ['gates:', '  g0: { run: "true" }'];
  for (let index = 1; index < count; index++) {
    lines.push(
      shape === 'chain' ? `  g${index}: { run: "true", needs: [g${index - 1}] }` : `  g${index}: { run: "true" }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function passed(name: string): GateResult {
  return { name, tier: 0, blocking: true, kind: 'other', status: 'passed', durationMs: 0, failures: [], problems: [] };
}

/** The gate: done on the next turn of the event loop, as a finished process would be reported. */
function finishAtOnce(name: string): Promise<GateResult> {
  return new Promise((resolve) => setImmediate(() => resolve(passed(name))));
}

/** Sluice: validate the config, then schedule every gate by its needs. Returns [parse ms, schedule ms, order]. */
async function sluiceRound(text: string): Promise<{ parseMs: number; scheduleMs: number; order: string[] }> {
  const parseStart = performance.now();
  const gates = parseConfigText(text, 'sluice.yaml').gates;
  const parseMs = performance.now() - parseStart;
  const order: string[] = [];
  const results = new Map<string, GateResult>();
  const entries: Array<[string, GateConfig]> = Object.entries(gates);
  const scheduleStart = performance.now();
  await scheduleTier({
    gates: entries,
    selected: new Map(entries),
    results,
    concurrency: 2,
    runningProcesses: () => [],
    run: (name) => {
      order.push(name);
      return finishAtOnce(name);
    },
    finish: (result) => results.set(result.name, result),
    skip: (name) => passed(name),
  });
  return { parseMs, scheduleMs: performance.now() - scheduleStart, order };
}

/** The baseline: a loop awaiting the same callback once per gate, in order (a chain cannot do better). */
async function naiveRound(count: number): Promise<number> {
  const start = performance.now();
  for (let index = 0; index < count; index++) await finishAtOnce(`g${index}`);
  return performance.now() - start;
}

export async function benchGateChain(): Promise<BenchReport> {
  const rows: string[][] = [];
  const perGate = new Map<string, number>();
  let ordered = true;
  // One untimed pass over every shape and size first: the smallest size must not pay for the JIT's warm-up.
  for (const shape of ['chain', 'independent'] as const)
    for (const count of sizes) await sluiceRound(configText(shape, count));
  for (const shape of ['chain', 'independent'] as const) {
    for (const count of sizes) {
      const text = configText(shape, count);
      const parse: number[] = [];
      const schedule: number[] = [];
      const naive: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const sample = await sluiceRound(text);
        parse.push(sample.parseMs);
        schedule.push(sample.scheduleMs);
        naive.push(await naiveRound(count));
        if (shape === 'chain') ordered &&= sample.order.every((name, index) => name === `g${index}`);
        ordered &&= sample.order.length === count;
      }
      const total = median(parse) + median(schedule);
      perGate.set(`${shape} ${count}`, total / count);
      rows.push([
        `${shape}, ${count.toLocaleString('en-US')} gates`,
        formatMs(median(parse)),
        formatMs(median(schedule)),
        `${((total / count) * 1000).toFixed(1)} µs`,
        formatMs(median(naive)),
        formatRatio(median(schedule) / median(naive)),
      ]);
    }
  }
  const growth = (shape: Shape) =>
    (perGate.get(`${shape} ${sizes.at(-1)}`) ?? Number.NaN) / (perGate.get(`${shape} ${sizes[0]}`) ?? Number.NaN);
  const chainGrowth = growth('chain');
  const independentGrowth = growth('independent');
  const met = (value: number) => value <= targetGrowth;
  if (!met(chainGrowth)) console.error(`missed: a 10,000-gate chain in linear time (${formatRatio(chainGrowth)})`);
  if (!met(independentGrowth)) {
    console.error(`missed: 10,000 independent gates in linear time (${formatRatio(independentGrowth)})`);
  }
  return {
    title: 'Scheduling: a chain of 10,000 gates, and 10,000 independent ones',
    method: `per shape and size, ${rounds} rounds in one process, after one untimed pass over every shape and size: \`parseConfigText\` (YAML, schema, needs and cycle checks) and \`scheduleTier\` (concurrency 2) with gates that finish on the next turn of the event loop; the baseline awaits the same per-gate callback in a plain loop. Medians. The cost per gate is (parse + schedule) / gates; linear time keeps it flat as the gates grow tenfold.`,
    table: {
      headers: ['Gates', 'Config read and checked', 'Scheduled', 'Per gate (both)', 'Plain loop', 'Scheduled vs loop'],
      rows,
    },
    targets: [
      {
        target: `A chain's cost per gate at 10,000 gates within ${targetGrowth}x of that at 1,000 (linear time; issue 16)`,
        measured: formatRatio(chainGrowth),
        met: met(chainGrowth),
      },
      {
        target: `The same for 10,000 independent gates`,
        measured: formatRatio(independentGrowth),
        met: met(independentGrowth),
      },
    ],
    checks: [
      {
        check: 'every gate ran once, and a chain in its order',
        ok: ordered,
      },
    ],
    notes: [
      'A scheduler that looked through every waiting gate when one finished (quadratic) would cost about 10x more per gate at 10,000 than at 1,000.',
    ],
  };
}

if (import.meta.main) await runAlone(benchGateChain);
