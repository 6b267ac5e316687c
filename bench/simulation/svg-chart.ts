// A small hand-built SVG line chart: panels stacked over a shared x axis, log-scaled y, one legend.
// Enough for a benchmark's figure without a charting dependency.

export interface ChartSeries {
  label: string;
  color: string;
  /** [x, y] points; y at or below the panel's minimum is drawn on its floor. */
  points: ReadonlyArray<readonly [number, number]>;
  /** A reference line rather than a measured one. */
  dash?: 'dashed' | 'dotted';
  /** Mark each point with a dot (for sparse, daily figures). */
  dots?: boolean;
}

export interface ChartPanel {
  yLabel: string;
  /** Log scale from yMin to yMax, ticks at powers of ten. */
  yMin: number;
  yMax: number;
  series: ChartSeries[];
}

export interface LineChart {
  title: string;
  xLabel: string;
  xMax: number;
  xTickEvery: number;
  panels: ChartPanel[];
  width?: number;
  height?: number;
}

const margin = { left: 78, right: 24, top: 92, bottom: 52 };
const dashArrays = { dashed: '6 4', dotted: '2 3' } as const;
const panelGap = 44;

/** The chart as a standalone SVG document. */
export function renderLineChart(chart: LineChart): string {
  const width = chart.width ?? 800;
  const height = chart.height ?? 500;
  const plotWidth = width - margin.left - margin.right;
  const panelHeight =
    (height - margin.top - margin.bottom - panelGap * (chart.panels.length - 1)) / chart.panels.length;
  const xAt = (x: number) => margin.left + (x / chart.xMax) * plotWidth;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12" role="img">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    text(width / 2, 22, chart.title, { anchor: 'middle', size: 15, weight: 'bold' }),
    ...legend(uniqueSeries(chart.panels), width),
  ];
  chart.panels.forEach((panel, index) => {
    const top = margin.top + index * (panelHeight + panelGap);
    parts.push(...renderPanel(panel, top, panelHeight, xAt, chart));
  });
  parts.push(text(margin.left + plotWidth / 2, height - 12, chart.xLabel, { anchor: 'middle' }), '</svg>', '');
  return parts.join('\n');
}

function renderPanel(
  panel: ChartPanel,
  top: number,
  height: number,
  xAt: (x: number) => number,
  chart: LineChart,
): string[] {
  const low = Math.log10(panel.yMin);
  const high = Math.log10(panel.yMax);
  const yAt = (y: number) => top + height - ((Math.log10(Math.max(y, panel.yMin)) - low) / (high - low)) * height;
  const left = xAt(0);
  const right = xAt(chart.xMax);
  const parts = [
    `<rect x="${left}" y="${top}" width="${right - left}" height="${height}" fill="#fafafa" stroke="#999"/>`,
  ];
  for (let power = Math.ceil(low); power <= Math.floor(high); power++) {
    const y = round(yAt(10 ** power));
    parts.push(
      `<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#e3e3e3"/>`,
      text(left - 6, y + 4, formatTick(10 ** power), { anchor: 'end' }),
    );
  }
  for (let x = 0; x <= chart.xMax; x += chart.xTickEvery) {
    const at = round(xAt(x));
    parts.push(
      `<line x1="${at}" y1="${top + height}" x2="${at}" y2="${top + height + 5}" stroke="#666"/>`,
      text(at, top + height + 18, String(x), { anchor: 'middle' }),
    );
  }
  const middle = round(top + height / 2);
  parts.push(text(18, middle, panel.yLabel, { anchor: 'middle', rotate: true }));
  for (const series of panel.series) {
    const coordinates = series.points.map(([x, y]) => `${round(xAt(x))},${round(yAt(y))}`);
    if (coordinates.length === 0) continue;
    parts.push(
      `<polyline fill="none" stroke="${series.color}" stroke-width="${series.dash ? 1.5 : 2}"${dashAttribute(series)} points="${coordinates.join(' ')}"/>`,
    );
    if (series.dots) {
      for (const point of coordinates) {
        const [cx, cy] = point.split(',');
        parts.push(`<circle cx="${cx}" cy="${cy}" r="2.5" fill="${series.color}"/>`);
      }
    }
  }
  return parts;
}

/** One legend entry per distinct label, in order of first appearance. */
function uniqueSeries(panels: readonly ChartPanel[]): ChartSeries[] {
  const byLabel = new Map<string, ChartSeries>();
  for (const series of panels.flatMap((panel) => panel.series)) {
    if (!byLabel.has(series.label)) byLabel.set(series.label, series);
  }
  return [...byLabel.values()];
}

function legend(series: readonly ChartSeries[], width: number): string[] {
  const itemWidth = (width - margin.left - margin.right) / Math.max(1, Math.min(series.length, 2));
  return series.flatMap((entry, index) => {
    const x = margin.left + (index % 2) * itemWidth;
    const y = 40 + Math.floor(index / 2) * 16;
    return [
      `<line x1="${x}" y1="${y}" x2="${x + 24}" y2="${y}" stroke="${entry.color}" stroke-width="2"${dashAttribute(entry)}/>`,
      text(x + 30, y + 4, entry.label),
    ];
  });
}

function dashAttribute(series: ChartSeries): string {
  return series.dash ? ` stroke-dasharray="${dashArrays[series.dash]}"` : '';
}

function text(
  x: number,
  y: number,
  content: string,
  style: { anchor?: 'start' | 'middle' | 'end'; size?: number; weight?: 'bold'; rotate?: boolean } = {},
): string {
  const attributes = [
    `x="${round(x)}"`,
    `y="${round(y)}"`,
    style.anchor && style.anchor !== 'start' ? `text-anchor="${style.anchor}"` : '',
    style.size ? `font-size="${style.size}"` : '',
    style.weight ? `font-weight="${style.weight}"` : '',
    style.rotate ? `transform="rotate(-90 ${round(x)} ${round(y)})"` : '',
  ].filter(Boolean);
  return `<text ${attributes.join(' ')} fill="#222">${escapeXml(content)}</text>`;
}

function formatTick(value: number): string {
  if (value >= 1_000_000) return `${value / 1_000_000}M`;
  if (value >= 1000) return `${value / 1000}k`;
  return String(value);
}

function escapeXml(content: string): string {
  return content.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
