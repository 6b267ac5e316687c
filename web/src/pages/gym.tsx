import { useMemo } from 'preact/hooks';
import type { GymSeries, GymTrend } from '../../../src/server/api-types.ts';
import { useResource } from '../api/live.ts';
import { type ChartSeries, Legend, TimeChart } from '../charts/chart.tsx';
import { Card, Empty, ErrorNotice, PageHead, Skeleton } from '../components/ui.tsx';

function withUnit(value: number, unit: string | null): string {
  const size = Math.abs(value);
  const digits = size >= 100 ? 0 : size >= 10 ? 1 : 2;
  const rounded = size >= 1 || size === 0 ? value.toFixed(digits) : value.toPrecision(2);
  return unit ? `${rounded} ${unit}` : rounded;
}

function SeriesChart({ series }: { series: GymSeries }) {
  const chart = useMemo(() => {
    const points = [...series.points].sort((a, b) => a.at.localeCompare(b.at));
    const x = points.map((point) => Date.parse(point.at) / 1000);
    const lines: ChartSeries[] = [
      { label: 'high', values: points.map((point) => point.interval[1]), color: '--chart-5', dash: true },
      { label: 'low', values: points.map((point) => point.interval[0]), color: '--chart-5', dash: true },
      { label: 'median', values: points.map((point) => point.median), color: '--chart-1', points: true },
    ];
    for (const goal of series.goals) {
      if (goal.bound === null || goal.ratio) continue;
      lines.push({ label: `goal ${goal.text}`, values: points.map(() => goal.bound), color: '--bad', dash: true });
    }
    return { x, lines };
  }, [series]);
  const latest = series.points.at(-1);
  const format = (value: number) => withUnit(value, series.unit);
  return (
    <Card
      title={`${series.gate} · ${series.metric}`}
      sub={`${series.better} is better${latest ? ` · latest ${format(latest.median)}` : ''}`}
      pad={false}
      testId="gym-series"
    >
      <div class="card-body">
        {series.points.length === 0 ? (
          <Empty title="No measurement yet" />
        ) : (
          <TimeChart x={chart.x} series={chart.lines} format={format} height={200} />
        )}
      </div>
      <Legend
        items={[
          { label: 'median', swatch: 'c1' },
          { label: 'interval', swatch: 'c5' },
          ...series.goals
            .filter((goal) => goal.bound !== null && !goal.ratio)
            .map((goal) => ({ label: `goal ${goal.text}`, swatch: 'goal' })),
        ]}
      />
    </Card>
  );
}

export function GymPage() {
  const gym = useResource<GymTrend>('/api/gym', ['bench']);
  return (
    <>
      <PageHead title="Gym" sub="Benchmark gates over time, against their goals." />
      <ErrorNotice error={gym.error} />
      {!gym.data ? (
        <div class="grid grid-2">
          <Card>
            <Skeleton height={240} />
          </Card>
          <Card>
            <Skeleton height={240} />
          </Card>
        </div>
      ) : gym.data.series.length === 0 ? (
        <Card>
          <Empty title="No benchmark results yet" command="sluice check">
            Add a gate of kind <code>bench</code> to sluice.yaml; each check records its metrics here.
          </Empty>
        </Card>
      ) : (
        <div class="grid grid-2">
          {gym.data.series.map((series) => (
            <SeriesChart key={`${series.gate}:${series.metric}`} series={series} />
          ))}
        </div>
      )}
    </>
  );
}
