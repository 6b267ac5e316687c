import { describe, expect, it } from 'vitest';
import { renderMetricChart } from '../../../src/review/metric-chart.ts';

describe('renderMetricChart', () => {
  it('draws a point per iteration, the reference lines and escapes labels', () => {
    const svg = renderMetricChart({
      title: 'speed.p50_ms (lower is better)',
      unit: 'ms',
      points: [
        { label: 'base', median: 40, interval: [39, 41] },
        { label: '#1', median: 30, interval: [29, 31] },
        { label: '#2', median: 16, interval: [15.5, 16.5] },
      ],
      lines: [
        { label: 'baseline', value: 40 },
        { label: 'goal <= x0.6', value: 24, dashed: true },
      ],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('>#2: 16 ms</title>');
    expect(svg).toContain('goal &lt;= x0.6');
    expect(svg).toContain('stroke-dasharray');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('places a lower median lower on the chart', () => {
    const svg = renderMetricChart({
      title: 't',
      points: [
        { label: 'a', median: 10, interval: [10, 10] },
        { label: 'b', median: 5, interval: [5, 5] },
      ],
      lines: [],
    });
    const ys = [...svg.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map((match) => Number(match[1]));
    expect(ys[1]).toBeGreaterThan(ys[0] ?? 0);
  });
});
