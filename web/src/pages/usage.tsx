import { useMemo, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import type { UsageReport } from '../../../src/server/api-types.ts';
import { useResource } from '../api/live.ts';
import { BarList, type ChartSeries, Legend, TimeChart } from '../charts/chart.tsx';
import { Card, Empty, ErrorNotice, PageHead, Skeleton, Stat } from '../components/ui.tsx';
import { money, tokens } from '../format.ts';

const ranges = [7, 30, 90] as const;

function daySeconds(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}

type DayRow = UsageReport['byDay'][number];

/** One row per day of the range, zeros where nothing ran: the chart's axis is the calendar, not the data. */
function everyDay(report: UsageReport): DayRow[] {
  const byKey = new Map(report.byDay.map((row) => [row.key, row]));
  const keys = report.byDay.map((row) => row.key).sort();
  const first = [report.since.slice(0, 10), keys[0]].filter(Boolean).sort()[0] as string;
  const today = new Date().toISOString().slice(0, 10);
  const last = [today, keys.at(-1)].filter(Boolean).sort().at(-1) as string;
  const rows: DayRow[] = [];
  for (let day = Date.parse(`${first}T00:00:00Z`); day <= Date.parse(`${last}T00:00:00Z`); day += 86_400_000) {
    const key = new Date(day).toISOString().slice(0, 10);
    rows.push(
      byKey.get(key) ?? {
        key,
        records: 0,
        unknownCostRecords: 0,
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0,
        apiMs: 0,
        turns: 0,
      },
    );
  }
  return rows;
}

export function UsagePage() {
  const [days, setDays] = useState<number>(30);
  const usage = useResource<UsageReport>(`/api/usage?days=${days}`, ['usage']);
  const data = usage.data;

  const tokenChart = useMemo(() => {
    if (!data) return null;
    const rows = everyDay(data);
    const x = rows.map((row) => daySeconds(row.key));
    // Stacked bars: each kind is drawn from zero to its running total, the tallest first, so each shows its band.
    const input = rows.map((row) => row.inputTokens);
    const output = rows.map((row, index) => (input[index] ?? 0) + row.outputTokens);
    const cacheWrite = rows.map((row, index) => (output[index] ?? 0) + row.cacheWriteTokens);
    const cacheRead = rows.map((row, index) => (cacheWrite[index] ?? 0) + row.cacheReadTokens);
    const series: ChartSeries[] = [
      { label: 'cache read', values: cacheRead, color: '--chart-5', bars: true },
      { label: 'cache write', values: cacheWrite, color: '--chart-3', bars: true },
      { label: 'output', values: output, color: '--chart-2', bars: true },
      { label: 'input', values: input, color: '--chart-1', bars: true },
    ];
    const cost: ChartSeries[] = [
      { label: 'cost', values: rows.map((row) => row.costUsd ?? 0), color: '--chart-1', bars: true },
    ];
    return { x, series, cost };
  }, [data]);

  const total = data?.total;
  const totalTokens = total
    ? total.inputTokens + total.outputTokens + total.cacheReadTokens + total.cacheWriteTokens
    : 0;
  const unknown = data ? data.byModel.reduce((sum, row) => sum + row.unknownCostRecords, 0) : 0;

  return (
    <>
      <PageHead
        title="Usage"
        sub="Tokens and money the agents spent."
        actions={
          <div class="seg">
            {ranges.map((range) => (
              <button key={range} type="button" class={days === range ? 'on' : ''} onClick={() => setDays(range)}>
                {range} days
              </button>
            ))}
          </div>
        }
      />
      <ErrorNotice error={usage.error} />
      <div class="stats">
        <Stat
          label="Cost"
          value={total ? money(total.costUsd ?? 0, 2) : '–'}
          note={unknown > 0 ? `${unknown} records without a price` : `last ${days} days`}
        />
        <Stat
          label="Tokens"
          value={total ? tokens(totalTokens) : '–'}
          note={total ? `${tokens(total.inputTokens)} in · ${tokens(total.outputTokens)} out` : ' '}
        />
        <Stat
          label="Cache reads"
          value={total ? tokens(total.cacheReadTokens) : '–'}
          note={total ? `${tokens(total.cacheWriteTokens)} written` : ' '}
        />
        <Stat
          label="Agent turns"
          value={total ? total.turns : '–'}
          note={total ? `${Math.round(total.apiMs / 60000)} min of model time` : ' '}
        />
      </div>
      {data && data.byDay.length === 0 ? (
        <Card>
          <Empty title="No usage recorded in this range" command={'sluice run "<goal>"'}>
            Every agent turn records its tokens and cost; they show up here.
          </Empty>
        </Card>
      ) : (
        <div class="grid grid-2">
          <Card title="Tokens by kind" sub="per day, stacked" pad={false} testId="tokens-chart">
            <div class="card-body">
              {tokenChart ? (
                <TimeChart x={tokenChart.x} series={tokenChart.series} format={tokens} zeroBased />
              ) : (
                <Skeleton height={240} />
              )}
            </div>
            <Legend
              items={[
                { label: 'input', swatch: 'c1' },
                { label: 'output', swatch: 'c2' },
                { label: 'cache write', swatch: 'c3' },
                { label: 'cache read', swatch: 'c5' },
              ]}
            />
          </Card>
          <Card title="Cost" sub="per day" pad={false} testId="cost-chart">
            <div class="card-body">
              {tokenChart ? (
                <TimeChart x={tokenChart.x} series={tokenChart.cost} format={(value) => money(value, 2)} zeroBased />
              ) : (
                <Skeleton height={240} />
              )}
            </div>
          </Card>
          <Card title="Cost by model" pad={false} testId="by-model">
            {data ? (
              <BarList
                rows={data.byModel.map((row) => ({
                  key: row.key,
                  label: <span class="mono">{row.key}</span>,
                  value: row.costUsd ?? 0,
                  note: `${tokens(row.inputTokens + row.outputTokens)} tok`,
                }))}
                format={(value) => money(value)}
              />
            ) : (
              <div class="card-body">
                <Skeleton rows={3} />
              </div>
            )}
          </Card>
          <Card title="Cost by run" sub="the 12 most expensive" pad={false} testId="by-run">
            {data ? (
              <BarList
                rows={[...data.byRun]
                  .sort((a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0))
                  .slice(0, 12)
                  .map((row) => ({
                    key: row.key,
                    label: (
                      <Link href={`/runs/${row.key}`} title={row.goal}>
                        {row.goal}
                      </Link>
                    ),
                    value: row.costUsd ?? 0,
                    note: `${tokens(row.inputTokens + row.outputTokens)} tok`,
                  }))}
                format={(value) => money(value)}
              />
            ) : (
              <div class="card-body">
                <Skeleton rows={3} />
              </div>
            )}
          </Card>
        </div>
      )}
    </>
  );
}
