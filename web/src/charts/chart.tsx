import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useTheme } from '../theme.ts';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** A CSS variable of the theme, e.g. --chart-1. */
  color: string;
  fill?: boolean;
  dash?: boolean;
  points?: boolean;
  bars?: boolean;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function withAlpha(color: string, alpha: number): string {
  // Theme colours are #rrggbb.
  const hex = color.replace('#', '');
  if (hex.length !== 6) return color;
  const [r, g, b] = [0, 2, 4].map((start) => Number.parseInt(hex.slice(start, start + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/**
 * A uPlot time chart that fits its box and follows the theme. `x` is in seconds since the epoch.
 * The box has a fixed height, so nothing moves when data arrives.
 */
export function TimeChart(props: {
  x: number[];
  series: ChartSeries[];
  format?: (value: number) => string;
  height?: number;
  /** Start the value axis at zero (amounts), rather than around the data (measurements). */
  zeroBased?: boolean;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [theme] = useTheme();
  const height = props.height ?? 240;

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const text = cssVar('--text-3');
    const grid = cssVar('--border');
    const format = props.format ?? ((value: number) => String(value));
    const bars = uPlot.paths.bars?.({ size: [0.6, 40] });
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height,
      legend: { show: false },
      cursor: { points: { size: 6 } },
      scales: {
        x: {
          time: true,
          // Bars are centred on their day: half a day of room at each end keeps the first and last whole.
          ...(props.series.some((series) => series.bars)
            ? { range: (_chart: uPlot, min: number, max: number): uPlot.Range.MinMax => [min - 43_200, max + 43_200] }
            : {}),
        },
        y: props.zeroBased
          ? { range: (_chart, _min, max) => [0, max > 0 ? max * 1.1 : 1] }
          : {
              range: (_chart, min, max) => {
                const pad = (max - min) * 0.15 || Math.abs(max) * 0.1 || 1;
                return [min - pad, max + pad];
              },
            },
      },
      axes: [
        { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } },
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          ticks: { show: false },
          size: 64,
          values: (_chart, ticks) => ticks.map((tick) => format(tick)),
        },
      ],
      series: [
        {},
        ...props.series.map((series): uPlot.Series => {
          const color = cssVar(series.color);
          return {
            label: series.label,
            stroke: color,
            width: series.bars ? 0 : 2,
            dash: series.dash ? [6, 4] : undefined,
            fill: series.bars ? withAlpha(color, 0.85) : series.fill ? withAlpha(color, 0.18) : undefined,
            points: { show: series.points ?? false, size: 6, fill: color },
            paths: series.bars ? bars : undefined,
            spanGaps: true,
          };
        }),
      ],
    };
    const chart = new uPlot(
      options,
      [props.x, ...props.series.map((series) => series.values)] as uPlot.AlignedData,
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(200, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [props.x, props.series, theme, height, props.format, props.zeroBased]);

  return <div ref={box} class="chart" style={{ height: `${height}px` }} data-testid={props.testId} />;
}

export function Legend({ items }: { items: Array<{ label: string; swatch: string }> }) {
  return (
    <div class="chart-legend">
      {items.map((item) => (
        <span key={item.label}>
          <span class={`swatch ${item.swatch}`} />
          {item.label}
        </span>
      ))}
    </div>
  );
}

/** Categories as horizontal bars (cost by model, by run): a chart that needs no canvas. */
export function BarList(props: {
  rows: Array<{ key: string; label: ComponentChildren; value: number; note?: string }>;
  format: (value: number) => string;
  testId?: string;
}) {
  const max = Math.max(...props.rows.map((row) => row.value), 0);
  return (
    <ul class="list bar-list" data-testid={props.testId}>
      {props.rows.map((row) => (
        <li key={row.key} class="bar-row">
          <div class="bar-label">{row.label}</div>
          <div class="bar-track">
            <span class="bar-fill" style={{ width: `${max > 0 ? (row.value / max) * 100 : 0}%` }} />
          </div>
          <div class="bar-value">
            {props.format(row.value)}
            {row.note && <span class="muted"> · {row.note}</span>}
          </div>
        </li>
      ))}
    </ul>
  );
}
