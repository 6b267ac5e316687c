/** One measured point of a metric: an iteration (0 = the baseline), its median and interval. */
export interface ChartPoint {
  label: string;
  median: number;
  interval: [number, number];
}

export interface MetricChartInput {
  title: string;
  unit?: string;
  points: ChartPoint[];
  /** Horizontal lines: the baseline's median, a goal's bound. */
  lines: Array<{ label: string; value: number; dashed?: boolean }>;
}

const width = 560;
const height = 260;
const margin = { top: 34, right: 110, bottom: 36, left: 64 };

/** A small self-contained SVG line chart: medians with interval whiskers, and reference lines. */
export function renderMetricChart(input: MetricChartInput): string {
  const values = [
    ...input.points.flatMap((point) => [point.median, ...point.interval]),
    ...input.lines.map((line) => line.value),
  ].filter(Number.isFinite);
  const low = Math.min(...values, 0);
  const high = Math.max(...values) * 1.08 || 1;
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const x = (index: number) =>
    margin.left + (input.points.length <= 1 ? plotWidth / 2 : (index / (input.points.length - 1)) * plotWidth);
  const y = (value: number) => margin.top + plotHeight - ((value - low) / (high - low)) * plotHeight;
  const unit = input.unit ? ` ${input.unit}` : '';
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${margin.left}" y="18" font-size="13" font-weight="bold">${escapeXml(input.title)}</text>`,
    `<line x1="${margin.left}" y1="${margin.top + plotHeight}" x2="${margin.left + plotWidth}" y2="${margin.top + plotHeight}" stroke="#999"/>`,
    `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${margin.top + plotHeight}" stroke="#999"/>`,
  ];
  for (const tick of [low, (low + high) / 2, high]) {
    parts.push(
      `<text x="${margin.left - 6}" y="${y(tick) + 4}" text-anchor="end" fill="#555">${formatTick(tick)}${escapeXml(unit)}</text>`,
    );
  }
  for (const line of input.lines) {
    const dash = line.dashed ? ' stroke-dasharray="5 4"' : '';
    parts.push(
      `<line x1="${margin.left}" y1="${y(line.value)}" x2="${margin.left + plotWidth}" y2="${y(line.value)}" stroke="#c33"${dash}/>`,
      `<text x="${margin.left + plotWidth + 6}" y="${y(line.value) + 4}" fill="#c33">${escapeXml(line.label)}</text>`,
    );
  }
  const path = input.points.map((point, index) => `${index === 0 ? 'M' : 'L'}${x(index)},${y(point.median)}`).join(' ');
  if (input.points.length > 1) parts.push(`<path d="${path}" fill="none" stroke="#2763c4" stroke-width="2"/>`);
  input.points.forEach((point, index) => {
    const [from, to] = point.interval;
    parts.push(
      `<line x1="${x(index)}" y1="${y(from)}" x2="${x(index)}" y2="${y(to)}" stroke="#2763c4" stroke-opacity="0.5" stroke-width="6"/>`,
      `<circle cx="${x(index)}" cy="${y(point.median)}" r="4" fill="#2763c4"><title>${escapeXml(`${point.label}: ${formatTick(point.median)}${unit}`)}</title></circle>`,
      `<text x="${x(index)}" y="${height - 14}" text-anchor="middle" fill="#555">${escapeXml(point.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function formatTick(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 100 || Number.isInteger(value)) return String(Math.round(value));
  return value.toFixed(magnitude >= 1 ? 1 : 3);
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
