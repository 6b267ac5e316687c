// Agents feeding a human review queue for 30 simulated days, paced by the dispatcher's own admission
// and capacity functions, against the same agents started whenever one is free: the review queue,
// the review latency, and whether any task is lost.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  mean,
  percentile,
  type SimulationTotals,
  shareWithin,
  summarizeSimulation,
} from './simulation/review-metrics.ts';
import { defaultSimulationOptions, type SimulationResult, simulateReview } from './simulation/review-model.ts';
import { minutesPerDay } from './simulation/reviewer-schedule.ts';
import { type ChartSeries, renderLineChart } from './simulation/svg-chart.ts';
import {
  type BenchReport,
  formatCount,
  formatMs,
  formatPercent,
  markdownTable,
  repoRoot,
  runAlone,
} from './support.ts';

export const simulationSeed = 2026;
const reportDays = [1, 5, 10, 15, 20, 25, 30];
const otherSeeds = [1, 2, 3, 4, 5];
/** The queue admission holds may overshoot capacity x target by what the runs in flight turn out to add. */
const queueBoundFactor = 2;
/** Without admission, the queue at the end must be at least this many times the admitted one. */
const growthFactor = 10;
const targetSimulationMs = 2000;
const chartFile = 'review-simulation.svg';
const colors = { with: '#1f77b4', without: '#d62728', reference: '#7f7f7f' };

export async function benchReviewSimulation(): Promise<BenchReport> {
  const started = performance.now();
  const admitted = simulateReview(defaultSimulationOptions(simulationSeed, true));
  const unpaced = simulateReview(defaultSimulationOptions(simulationSeed, false));
  const simulationMs = performance.now() - started;
  const repeat = [true, false].map((admission) => simulateReview(defaultSimulationOptions(simulationSeed, admission)));
  const deterministic =
    fingerprint(repeat[0]) === fingerprint(admitted) && fingerprint(repeat[1]) === fingerprint(unpaced);

  const options = admitted.options;
  const targetMinutes = options.review.target_latency / 60_000;
  const offHours = (minutesPerDay - (options.reviewer.closesAt - options.reviewer.opensAt)) / 60;
  // In calendar time a daily schedule adds up to a night to the 1-day target: judged against 2 x target.
  const judgedLatencyMinutes = 2 * targetMinutes;
  const reviewerMinutesPerDay = mean(admitted.days.map((day) => day.reviewerMinutes)) ?? 0;
  const queueBound = queueBoundFactor * reviewerMinutesPerDay * (targetMinutes / minutesPerDay);
  const withTotals = summarizeSimulation(admitted);
  const withoutTotals = summarizeSimulation(unpaced);
  const lastDayP90 = percentile(unpaced.days.at(-1)?.latencies ?? [], 0.9) ?? 0;

  const halfTarget = defaultSimulationOptions(simulationSeed, true);
  halfTarget.review = { ...halfTarget.review, target_latency: halfTarget.review.target_latency / 2 };
  const halfResult = simulateReview(halfTarget);
  const halfTotals = summarizeSimulation(halfResult);
  const seedTotals = otherSeeds.map((seed) =>
    summarizeSimulation(simulateReview(defaultSimulationOptions(seed, true))),
  );

  await writeFile(join(repoRoot, 'bench', chartFile), renderChart(admitted, unpaced, targetMinutes));

  const growthRatio = withoutTotals.waitingMinutes / Math.max(1, withTotals.waitingMinutes);
  const rows = reportDays.flatMap((day) =>
    [admitted, unpaced].map((result) => dayRow(result, day)).filter((row) => row !== undefined),
  );
  const p90Range = range(seedTotals.map((totals) => totals.p90LatencyMinutes ?? Number.NaN));
  const maxQueueRange = range(seedTotals.map((totals) => totals.maxWaitingMinutes));
  return {
    title: 'Review queue simulation: 30 days, with and without admission',
    method:
      `a discrete-event simulation (seed ${simulationSeed}, Mulberry32) driven by src/queue's admit, reviewCapacity ` +
      `and estimateReviewCost with the config defaults (target latency ${formatTarget(targetMinutes)}, ` +
      `max ${options.review.max_change_lines} lines per change). ${options.agents} agents work around the clock, a run ` +
      `taking exponential time with mean ${options.meanRunMinutes} min (lambda = ${Math.round((60 / options.meanRunMinutes) * 10) / 10}/h per agent), ` +
      `from a backlog of ${formatCount(options.backlogTasks)} tasks. A change has log-normal lines (median ` +
      `${options.change.medianLines}, sigma ${options.change.sigmaLines}, cut at ${options.review.max_change_lines}) ` +
      `and 1–${options.change.maxFiles} files. Reviewers work every day ${clock(options.reviewer.opensAt)}–` +
      `${clock(options.reviewer.closesAt)} UTC, spending that day's review minutes (uniform ` +
      `${options.reviewer.reviewMinutesPerDay.min}–${options.reviewer.reviewMinutesPerDay.max}) evenly, oldest change ` +
      'first; a change is decided when its estimated minutes are spent (so mu follows from its cost). With admission, ' +
      'admit runs at every run end, decision and hour, on capacity measured from the decisions so far; without, a task ' +
      'starts whenever an agent is free. Latency is calendar time from a change finishing to its decision. Figures are ' +
      'taken at each midnight.',
    table: {
      headers: [
        'Day',
        'Admission',
        'Waiting (changes)',
        'Waiting (review min)',
        'Decided that day',
        'Mean latency',
        'p90 latency',
        'Measured capacity',
      ],
      rows,
    },
    targets: [
      {
        target: `with admission, p90 review latency <= ${formatTarget(judgedLatencyMinutes)} (the ${formatTarget(targetMinutes)} target plus the ${offHours} h reviewer night a change finished late may wait)`,
        measured:
          `${formatHours(withTotals.p90LatencyMinutes)} (max ${formatHours(withTotals.maxLatencyMinutes)}; ` +
          `${formatPercent(withTotals.withinTarget)} decided within ${formatTarget(targetMinutes)})`,
        met: (withTotals.p90LatencyMinutes ?? Number.POSITIVE_INFINITY) <= judgedLatencyMinutes,
      },
      {
        target: `with admission, the review queue stays <= ${queueBoundFactor} x capacity x target = ${Math.round(queueBound)} review min at every moment`,
        measured: `max ${Math.round(withTotals.maxWaitingMinutes)} min; ${Math.round(withTotals.waitingMinutes)} min at day ${options.days}`,
        met: withTotals.maxWaitingMinutes <= queueBound,
      },
      {
        target: `without admission, the queue grows every day and ends >= ${growthFactor}x the admitted one, latency past the target`,
        measured:
          `grew on ${withoutTotals.daysQueueGrew} of ${unpaced.days.length - 1} days; ${formatCount(Math.round(withoutTotals.waitingMinutes))} ` +
          `vs ${Math.round(withTotals.waitingMinutes)} min (${Math.round(growthRatio)}x); day-${options.days} p90 latency ${formatHours(lastDayP90)}`,
        met:
          withoutTotals.daysQueueGrew === unpaced.days.length - 1 &&
          growthRatio >= growthFactor &&
          lastDayP90 > judgedLatencyMinutes,
      },
      {
        target: `both ${options.days}-day simulations run in < ${formatMs(targetSimulationMs)}`,
        measured: formatMs(simulationMs),
        met: simulationMs < targetSimulationMs,
      },
    ],
    checks: [
      {
        check:
          'no task lost or held twice: every task is queued, running, waiting for review or decided, each midnight',
        ok: [withTotals, withoutTotals].every((totals) => totals.lost === 0 && totals.duplicated === 0),
        detail: `lost ${withTotals.lost} / ${withoutTotals.lost}, duplicated ${withTotals.duplicated} / ${withoutTotals.duplicated} (with / without)`,
      },
      {
        check: 'admit accounted for every task shown to it (started or waiting with a reason)',
        ok: admitted.admitMiscounts === 0 && admitted.admitCalls > 0,
        detail: `${formatCount(admitted.admitCalls)} calls, ${admitted.admitMiscounts} miscounted`,
      },
      {
        check: 'deterministic: the same seed gives the same figures',
        ok: deterministic,
      },
      {
        check: 'the agents never ran out of tasks, so without admission they worked all the time',
        ok: !admitted.backlogRanDry && !unpaced.backlogRanDry,
        detail: `${formatCount(unpaced.runsStarted)} runs of ${formatCount(options.backlogTasks)} tasks`,
      },
      {
        check: 'reviewers decided only inside their window',
        ok: withTotals.decisionsOffSchedule === 0 && withoutTotals.decisionsOffSchedule === 0,
      },
    ],
    notes: [
      `Cost of pacing: with admission the agents ran ${formatCount(admitted.runsStarted)} tasks (busy ` +
        `${formatPercent(admitted.agentUtilisation)} of the time) against ${formatCount(unpaced.runsStarted)}; the ` +
        `reviewers decided ${withTotals.decided} vs ${withoutTotals.decided} changes — the same, since they are the bottleneck either way.`,
      `The 1-day target holds about a day of review work in the queue, so a change that finishes in the afternoon ` +
        `slips past a night: ${formatPercent(withTotals.withinTarget)} are decided within 1 day. With target_latency ` +
        `${formatTarget(targetMinutes / 2)} the same run gives p90 ${formatHours(halfTotals.p90LatencyMinutes)} ` +
        `(${formatPercent(shareWithin(halfResult, targetMinutes))} within ${formatTarget(targetMinutes)}) and ${halfTotals.decided} decisions.`,
      `Seeds ${otherSeeds.join(', ')} with admission: p90 latency ${p90Range(formatHours)}, max queue ` +
        `${maxQueueRange((minutes) => `${Math.round(minutes)}`)} review min.`,
      `Reviewers had ${Math.round(reviewerMinutesPerDay)} review min/day on average; admission saw it through ` +
        `reviewCapacity (measured, not configured): ${admitted.days.at(-1)?.capacityMinutesPerDay} min/day at day ${options.days}.`,
    ],
    appendix: [
      markdownTable({
        headers: [
          'Admission',
          'Runs',
          'Decided',
          `Waiting at day ${options.days}`,
          'Max queue',
          'p90 latency',
          'Max latency',
          'Oldest waiting',
          'Lost',
        ],
        rows: [totalsRow('with', admitted, withTotals), totalsRow('without', unpaced, withoutTotals)],
      }),
      '',
      `![Review queue and p90 latency by day, with and without admission](${chartFile})`,
    ].join('\n'),
  };
}

function dayRow(result: SimulationResult, day: number): string[] | undefined {
  const summary = result.days[day - 1];
  if (!summary) return undefined;
  return [
    String(day),
    result.options.admission ? 'with' : 'without',
    formatCount(summary.waitingItems),
    formatCount(Math.round(summary.waitingMinutes)),
    String(summary.latencies.length),
    formatHours(mean(summary.latencies)),
    formatHours(percentile(summary.latencies, 0.9)),
    `${Math.round(summary.capacityMinutesPerDay)} min/day`,
  ];
}

function totalsRow(label: string, result: SimulationResult, totals: SimulationTotals): string[] {
  return [
    label,
    formatCount(result.runsStarted),
    formatCount(totals.decided),
    `${formatCount(totals.waitingItems)} (${formatCount(Math.round(totals.waitingMinutes))} min)`,
    `${formatCount(result.maxWaitingItems)} (${formatCount(Math.round(totals.maxWaitingMinutes))} min)`,
    formatHours(totals.p90LatencyMinutes),
    formatHours(totals.maxLatencyMinutes),
    formatHours(totals.oldestWaitingMinutes),
    String(totals.lost),
  ];
}

function renderChart(admitted: SimulationResult, unpaced: SimulationResult, targetMinutes: number): string {
  const queueSeries = (result: SimulationResult, label: string, color: string): ChartSeries => ({
    label,
    color,
    points: result.hours.map((sample) => [sample.time / minutesPerDay, sample.waitingMinutes]),
  });
  const latencySeries = (result: SimulationResult, label: string, color: string): ChartSeries => ({
    label,
    color,
    dots: true,
    points: result.days.flatMap((day) => {
      const p90 = percentile(day.latencies, 0.9);
      return p90 === undefined ? [] : [[day.day, p90 / 60] as const];
    }),
  });
  const days = admitted.options.days;
  const maxQueue = Math.max(...unpaced.hours.map((sample) => sample.waitingMinutes), 1000);
  return renderLineChart({
    title: `Review queue and latency over ${days} simulated days (seed ${admitted.options.seed})`,
    xLabel: 'Simulated day',
    xMax: days,
    xTickEvery: 5,
    panels: [
      {
        yLabel: 'Queue (review min)',
        yMin: 10,
        // Up to the next half decade: room above the unpaced queue without an empty decade.
        yMax: 10 ** (Math.ceil(Math.log10(maxQueue) * 2) / 2),
        series: [
          queueSeries(admitted, 'with admission', colors.with),
          queueSeries(unpaced, 'without admission', colors.without),
          {
            label: 'admission limit: measured capacity x target',
            color: colors.reference,
            dash: 'dashed',
            points: admitted.hours.map((sample) => [sample.time / minutesPerDay, sample.limitMinutes]),
          },
        ],
      },
      {
        yLabel: 'p90 latency (hours)',
        yMin: 5,
        yMax: 1000,
        series: [
          latencySeries(admitted, 'with admission', colors.with),
          latencySeries(unpaced, 'without admission', colors.without),
          {
            label: `target latency (${formatTarget(targetMinutes)})`,
            color: colors.reference,
            dash: 'dashed',
            points: [
              [0, targetMinutes / 60],
              [days, targetMinutes / 60],
            ],
          },
          {
            label: `judged p90 bound: 2 x target (${formatTarget(2 * targetMinutes)})`,
            color: colors.reference,
            dash: 'dotted',
            points: [
              [0, (2 * targetMinutes) / 60],
              [days, (2 * targetMinutes) / 60],
            ],
          },
        ],
      },
    ],
  });
}

/** Whole-run figures that must repeat exactly from a seed. */
function fingerprint(result: SimulationResult | undefined): string {
  if (!result) return '';
  return JSON.stringify([result.days, result.changes, result.runsStarted, result.maxWaitingMinutes]);
}

function range(values: number[]): (format: (value: number) => string) => string {
  return (format) => `${format(Math.min(...values))} to ${format(Math.max(...values))}`;
}

/** Minutes as hours ("40.4 h"), days past two days ("28.8 d"), "–" when there is no figure. */
function formatHours(minutes: number | undefined): string {
  if (minutes === undefined || Number.isNaN(minutes)) return '–';
  const hours = minutes / 60;
  return hours > 48 ? `${(hours / 24).toFixed(1)} d` : `${hours.toFixed(1)} h`;
}

/** A configured duration: "1 day", "2 days", "12 h". */
function formatTarget(minutes: number): string {
  const days = minutes / minutesPerDay;
  if (Number.isInteger(days)) return `${days} day${days === 1 ? '' : 's'}`;
  return `${Math.round((minutes / 60) * 10) / 10} h`;
}

function clock(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
}

if (import.meta.main) await runAlone(benchReviewSimulation);
